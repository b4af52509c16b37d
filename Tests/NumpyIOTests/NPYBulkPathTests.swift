import Foundation
@testable import NumpyIO
import Testing

/// The bulk copy for native float32 and the element-by-element conversion must agree bit for
/// bit, and the chunked writer must produce exactly the bytes of the in-memory encoder.
@Suite("NPY bulk paths")
struct NPYBulkPathTests {
    /// Every float32 bit pattern class: normals, subnormals, zeros, infinities, NaN payloads.
    static let patterns: [UInt32] = (0..<4096).map { UInt32(truncatingIfNeeded: $0 &* 2_654_435_761) }
        + [0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0001, 0x0000_0001, 0x807F_FFFF]

    @Test("native float32 decodes by bulk copy to the same bits as the per-element path")
    func bulkEqualsElements() throws {
        let values = Self.patterns.map { Float(bitPattern: $0) }
        let data = NPYArray(shape: [values.count], values: values).encoded()
        let decoded = try NPYArray(data: data)
        let dtype = try NPYDType(descr: "<f4")
        #expect(dtype.isNativeFloat32)
        var elementwise = [Float](repeating: 0, count: values.count)
        data.withUnsafeBytes { raw in
            NPYReader.decodeElements(UnsafeRawBufferPointer(rebasing: raw[(data.count - 4 * values.count)...]), dtype: dtype, into: &elementwise)
        }
        #expect(decoded.values.map(\.bitPattern) == Self.patterns)
        #expect(elementwise.map(\.bitPattern) == Self.patterns)
    }

    @Test("big-endian float32 is not taken for native, and reads the same values")
    func bigEndian() throws {
        let dtype = try NPYDType(descr: ">f4")
        #expect(!dtype.isNativeFloat32)
        let values: [Float] = [1.5, -2, .infinity, 0x1p-140]
        var bytes = NPYWriter.header(shape: [4])
        let at = try #require(bytes.indices.first { Array(bytes[$0..<min($0 + 4, bytes.count)]) == Array("'<f4".utf8) })
        bytes[at + 1] = UInt8(ascii: ">")
        for value in values { withUnsafeBytes(of: value.bitPattern.bigEndian) { bytes += $0 } }
        #expect(try NPYArray(data: Data(bytes)).values == values)
    }

    @Test("the file writer writes exactly the encoder's bytes, and leaves nothing behind on failure")
    func writer() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("npy-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let array = NPYArray(shape: [3, 5, 7], values: (0..<105).map { Float($0) * 0.25 - 4 })
        let path = folder.appendingPathComponent("a.npy").path
        try array.write(to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == array.encoded())
        #expect(throws: NPYError.self) { try array.write(to: folder.appendingPathComponent("missing/b.npy").path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.npy"])
    }
}
