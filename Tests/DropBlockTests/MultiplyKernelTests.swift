@testable import DropBlock
import Foundation
import Testing

/// The per-channel multiply from mask bits (`MaskBits.multiply`) has a portable loop and an
/// AVX2 kernel (`CMaskKernels`) chosen at run time. Both must give `x * (dropped ? 0 : scale)`
/// bit for bit, for any range of units (a streamed chunk starts and ends anywhere in a map),
/// in place and not, non-finite values and signed zeros included.
@Suite("Multiply kernels: portable and AVX2 agree bit for bit")
struct MultiplyKernelTests {
    /// Values that stress the products: signed zeros, subnormals, the largest floats (whose
    /// product with a scale above 1 overflows), infinities and NaN, then ordinary ones.
    static func values(_ count: Int, generator: inout SeededGenerator) -> [Float] {
        let special: [Float] = [0, -0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, -.infinity,
                                .infinity, .nan, 1, -1]
        return (0..<count).map { i in
            i % 7 == 0 ? special[Int(generator.next() % UInt64(special.count))] : Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0xBFFF_FFFF)
        }
    }

    /// Mask bits (about a quarter set) and values (`values`) for `units` units, from `seed`.
    static func fixture(seed: UInt64, units: Int) -> (words: [UInt64], x: [Float]) {
        var generator = SeededGenerator(seed: seed)
        let words = (0..<MaskBits.wordsPerMap(units)).map { _ in generator.next() & generator.next() }
        return (words, values(units, generator: &generator))
    }

    /// `x * (dropped ? 0 : scale)` over `range`, as bit patterns.
    static func expected(_ x: [Float], words: [UInt64], range: Range<Int>, scale: Float) -> [UInt32] {
        range.map { (x[$0] * (MaskBits.isDropped(words, unit: $0) ? 0 : scale)).bitPattern }
    }

    @Test("every range of units, in place and into another buffer", arguments: [false, true])
    func kernelsAgree(inPlace: Bool) throws {
        let units = 3 * 64 + 37
        let (words, x) = Self.fixture(seed: 14, units: units)
        var generator = SeededGenerator(seed: 114)
        let table = UnsafeMutablePointer<Float>.allocate(capacity: MaskBits.FactorTable.floats)
        defer { table.deallocate() }
        var ranges = [0..<units, 8..<units, 0..<64, 61..<200, 128..<131, 5..<5]
        for _ in 0..<40 {
            let a = Int(generator.next() % UInt64(units)), b = Int(generator.next() % UInt64(units))
            ranges.append(min(a, b)..<max(a, b))
        }
        for scale: Float in [1.7, 1, 0.5] {
            let factors = MaskBits.FactorTable(storage: table, scale: scale)
            for range in ranges {
                let expected = Self.expected(x, words: words, range: range, scale: scale)
                for wide in MaskBits.hasAVX2 ? [false, true] : [false] {
                    var source = Array(x[range]), target = [Float](repeating: 42, count: range.count)
                    source.withUnsafeMutableBufferPointer { source in
                        target.withUnsafeMutableBufferPointer { target in
                            words.withUnsafeBufferPointer { bits in
                                guard let xs = source.baseAddress, let out = inPlace ? xs : target.baseAddress,
                                      let bits = bits.baseAddress else { return }
                                MaskBits.multiply(x: xs, words: bits, units: range, table: factors, out: out, wide: wide)
                            }
                        }
                    }
                    let got = inPlace ? source : target
                    #expect(got.map(\.bitPattern) == expected, "wide \(wide) range \(range) scale \(scale)")
                }
            }
        }
    }

    /// The AVX2 kernel works one unit at a time until its output is on a 32-byte boundary,
    /// then from bits at any offset: every offset of the buffers, in place and not.
    @Test("every alignment of the buffers, and every start and length of the range", arguments: [false, true])
    func alignments(inPlace: Bool) throws {
        let units = 5 * 64 + 24
        let (words, x) = Self.fixture(seed: 16, units: units)
        let table = UnsafeMutablePointer<Float>.allocate(capacity: MaskBits.FactorTable.floats)
        defer { table.deallocate() }
        let factors = MaskBits.FactorTable(storage: table, scale: 1.3)
        // Room for any offset of up to seven floats past a 32-byte boundary.
        let source = UnsafeMutableRawPointer.allocate(byteCount: 4 * (units + 8), alignment: 32)
        let target = UnsafeMutableRawPointer.allocate(byteCount: 4 * (units + 8), alignment: 32)
        defer { source.deallocate(); target.deallocate() }
        for offset in 0..<8 {
            for range in [0..<units, 8..<units, 64..<(units - 8), 120..<328, 0..<8, 56..<72] {
                let xs = source.assumingMemoryBound(to: Float.self) + offset
                let out = inPlace ? xs : target.assumingMemoryBound(to: Float.self) + (7 - offset)
                for wide in MaskBits.hasAVX2 ? [false, true] : [false] {
                    for (i, unit) in range.enumerated() { xs[i] = x[unit] }
                    words.withUnsafeBufferPointer { bits in
                        guard let bits = bits.baseAddress else { return }
                        MaskBits.multiply(x: xs, words: bits, units: range, table: factors, out: out, wide: wide)
                    }
                    let got = (0..<range.count).map { out[$0].bitPattern }
                    let expected = Self.expected(x, words: words, range: range, scale: 1.3)
                    let firstDifference = got.indices.first { $0 < expected.count && got[$0] != expected[$0] }
                    #expect(got.count == expected.count && firstDifference == nil, "offset \(offset) range \(range) wide \(wide)")
                }
            }
        }
    }

    @Test("bit counts by POPCNT and by the portable loop agree with a count bit by bit")
    func populationsAgree() {
        var generator = SeededGenerator(seed: 15)
        var words: [UInt64] = [~0, 0, 1, 1 << 63, 0x5555_5555_5555_5555]
        for _ in 0..<200 { words.append(generator.next() & generator.next()) }
        for count in [0, 1, 5, 16, 17, words.count] {
            let expected = words.prefix(count).reduce(0) { total, word in total + (0..<64).filter { word >> UInt64($0) & 1 == 1 }.count }
            for wide in MaskBits.hasPopcnt ? [false, true] : [false] {
                let got = words.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { MaskBits.population($0, count: count, wide: wide) } }
                #expect(got == expected, "wide \(wide) count \(count)")
            }
        }
    }

    @Test("the AVX2 kernel and POPCNT run wherever the CPU has them")
    func dispatchFollowsTheCPU() throws {
        #if arch(x86_64) && os(Linux)
        let flags = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("flags") }.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(MaskBits.hasAVX2 == flags.contains("avx2"))
        #expect(MaskBits.hasPopcnt == flags.contains("popcnt"))
        #elseif !arch(x86_64)
        #expect(!MaskBits.hasAVX2, "AVX2 is x86-64's")
        #expect(!MaskBits.hasPopcnt, "POPCNT is x86-64's")
        #endif
    }
}
