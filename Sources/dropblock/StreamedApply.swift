import DropBlock
import Foundation
import NumpyIO

/// `apply` on an array read in chunks (a C-order `.npy`, a `.safetensors` tensor, a large
/// `.npz` member) whose layout is the core's order (`nchw`, `ncdhw`, `chw`, `hw`) or that
/// order with the channels last (`nhwc`, `ndhwc`, `hwc`):
/// the mask is built first, then the input streams from the file through it into the output
/// file one chunk at a time, so memory holds the mask and one chunk, never the tensor.
struct StreamedApply {
    /// Elements per chunk by default: 4 MB, large enough that system calls cost nothing, small
    /// enough to stay in L2/L3 between the read and the write.
    static let defaultChunkElements = 1 << 20

    let mask: DropBlockMask
    let chunkElements: Int
    /// Whether the file is channels last (`TensorLayout.isChannelsLast`): the input, the output
    /// and the keep mask are then in `(N, *spatial, C)` order, and the mask is applied in it.
    var channelsLast = false

    /// Streams `reader`'s elements through the mask into `output` (an array of `shape`, the input's
    /// own), then writes the keep mask (`maskShape`, in the input's layout) to `maskOutput` if asked.
    /// On any error, nothing is left at either path.
    /// - Returns: the non-finite units of the input and of the output (`NonFiniteCount`), for the summary line.
    @discardableResult
    func run(reader: ChunkedArrayReader, inputPath: String, shape: [Int], output: String, maskOutput: String?, maskShape: [Int]) throws
        -> (input: Int, output: Int) {
        let elements = max(1, min(chunkElements, reader.count))
        // The chunk, and the reader's scratch for a dtype it converts (up to 8 bytes an
        // element): refused in one line where Swift's allocation would trap.
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: 12)
        try MemoryProbe.require(overflow ? Int.max : bytes, for: "a chunk of \(elements) elements and its read buffer")
        var buffer = [Float](repeating: 0, count: elements)
        let writer = try Self.writer(output, shape: shape)
        var nonFinite = (input: 0, output: 0)
        let scale = mask.summary.scale
        try buffer.withUnsafeMutableBufferPointer { chunk in
            var offset = 0
            while true {
                let got: Int
                do { got = try reader.read(into: chunk) } catch { throw CLIError("input \(inputPath): \(error)") }
                if got == 0 { break }
                let part = UnsafeMutableBufferPointer(rebasing: chunk[0..<got])
                // A piece at a time that stays in L2 between its survey and its multiply (over
                // the whole 4 MB chunk, the survey read it from L3 once more).
                var done = 0
                while done < got {
                    let piece = UnsafeMutableBufferPointer(rebasing: part[done..<min(got, done + Self.pieceElements)])
                    let survey = NonFiniteCount.survey(UnsafeBufferPointer(piece))
                    if channelsLast {
                        mask.apply(channelsLastInPlace: piece, at: offset + done)
                    } else {
                        mask.apply(inPlace: piece, at: offset + done)
                    }
                    nonFinite.input &+= survey.nonFinite
                    // Counted again only where the scale may push a finite value past float32.
                    nonFinite.output &+= survey.mayOverflow(scale: scale) ? NonFiniteCount.of(UnsafeBufferPointer(piece)) : survey.nonFinite
                    done += piece.count
                }
                do { try writer.write(UnsafeBufferPointer(part)) } catch { throw CLIError("\(error)") }
                offset += got
            }
        }
        do { try writer.finish() } catch { throw CLIError(error.description) }
        guard let maskOutput else { return nonFinite }
        do {
            let maskWriter = try Self.writer(maskOutput, shape: maskShape)
            try buffer.withUnsafeMutableBufferPointer { chunk in
                var offset = 0
                while offset < mask.maskCount {
                    let part = UnsafeMutableBufferPointer(rebasing: chunk[0..<min(chunk.count, mask.maskCount - offset)])
                    if channelsLast {
                        mask.keepMask(channelsLastAt: offset, into: part)
                    } else {
                        mask.keepMask(at: offset, into: part)
                    }
                    do { try maskWriter.write(UnsafeBufferPointer(part)) } catch { throw CLIError("\(error)") }
                    offset += part.count
                }
            }
            do { try maskWriter.finish() } catch { throw CLIError(error.description) }
        } catch {
            // Nothing written on error: take the output back too.
            try? FileManager.default.removeItem(atPath: output)
            throw error
        }
        return nonFinite
    }

    /// Elements surveyed and multiplied together: 256 KB, well inside L2.
    static let pieceElements = 1 << 16

    static func writer(_ path: String, shape: [Int]) throws -> NPYFileWriter {
        do { return try NPYFileWriter(path: path, shape: shape) } catch { throw CLIError(error.description) }
    }
}
