import NumpyIO

/// Decodes one sample of an array read in chunks (`ChunkedArrayReader`) at a time for the
/// visualizer, in the core's `(C, *spatial)` order, reading only that sample's bytes.
struct SampleReader: @unchecked Sendable {
    // @unchecked: the reader's scratch buffer is used from the visualizer's one thread only.
    let reader: ChunkedArrayReader
    let path: String
    let layout: TensorLayout
    /// One sample's shape in the file's layout (N set to 1, or the whole shape without N).
    let sampleShape: [Int]

    /// Sample `n`'s values in canonical order.
    func values(of n: Int) throws -> [Float] {
        let count = sampleShape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        let got: Int
        do { got = try values.withUnsafeMutableBufferPointer { try reader.read(into: $0, from: n * count) } } catch {
            throw CLIError("input \(path): \(error)")
        }
        guard got == count else { throw CLIError("input \(path): sample \(n) is cut short") }
        return layout.toCanonical(values, shape: sampleShape)
    }

    /// How many values are NaN or infinite and whether any finite one is negative, in one pass of 1 MiB chunks.
    static func scan(_ reader: ChunkedArrayReader, path: String) throws -> (nonFinite: Int, negative: Bool) {
        var chunk = [Float](repeating: 0, count: min(1 << 18, max(1, reader.count)))
        var nonFinite = 0, negative = false, first = 0
        while first < reader.count {
            let got: Int
            do { got = try chunk.withUnsafeMutableBufferPointer { try reader.read(into: $0, from: first) } } catch {
                throw CLIError("input \(path): \(error)")
            }
            guard got > 0 else { break }
            chunk.withUnsafeBufferPointer { values in
                guard let base = values.baseAddress else { return }
                // Branch-free, so that it vectorises: all exponent bits set is NaN or Inf.
                var bad: UInt32 = 0, below: UInt32 = 0
                base.withMemoryRebound(to: UInt32.self, capacity: got) { bits in
                    for i in 0..<got {
                        let nonFinite: UInt32 = (bits[i] & 0x7F80_0000) == 0x7F80_0000 ? 1 : 0
                        bad &+= nonFinite
                        // A finite negative value: the scale is set by the finite values alone (-inf is data).
                        below |= (base[i] < 0 ? 1 : 0) & (1 &- nonFinite)
                    }
                }
                nonFinite += Int(bad)
                negative = negative || below != 0
            }
            first += got
        }
        return (nonFinite, negative)
    }
}
