import Foundation
@testable import NumpyIO
import Testing

/// The typed bulk decoder must give the per-element path's bits for every dtype and byte order,
/// and the chunked file reader and writer must agree with whole-file decoding and encoding.
@Suite("NPY chunked reading and writing")
struct NPYChunkedIOTests {
    static let descrs: [String] = ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]
        .flatMap { ["<" + $0, ">" + $0] } + ["|b1", "|i1", "|u1", "?"]

    /// Bytes covering every pattern class (NaN payloads, infinities, subnormals, extremes).
    static func bytes(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 7 ^ $0 &* 31) }
            + [UInt8](repeating: 0xFF, count: 16) + [UInt8](repeating: 0, count: 16) + [0x7F, 0x80, 0x7F, 0xF0, 0x80, 0x00, 0x00, 0x01]
    }

    @Test("the bulk decoder equals the per-element path for every dtype and byte order", arguments: descrs)
    func bulkEqualsElements(descr: String) throws {
        let dtype = try NPYDType(descr: descr)
        let raw = Self.bytes(count: 8192)
        let count = raw.count / dtype.size
        var bulk = [Float](repeating: 0, count: count), elementwise = [Float](repeating: 1, count: count)
        raw.withUnsafeBytes { source in
            bulk.withUnsafeMutableBufferPointer { NPYBulkDecoder.decode(source.baseAddress!, count: count, dtype: dtype, into: $0.baseAddress!) }
            elementwise.withUnsafeMutableBufferPointer { target in
                for i in 0..<count { target[i] = dtype.value(source, at: i * dtype.size) }
            }
        }
        #expect(bulk.map(\.bitPattern) == elementwise.map(\.bitPattern))
    }

    /// A `.npy` file of `descr` holding `raw` as its payload (C order, shape `(count,)` or `shape`).
    static func file(descr: String, raw: [UInt8], shape: [Int], fortran: Bool = false) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let length = header.utf8.count
        return Data(NPYReader.magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + raw)
    }

    @Test("chunked reads equal the whole-file decode for every dtype, in chunks of any size", arguments: descrs)
    func chunkedReads(descr: String) throws {
        let dtype = try NPYDType(descr: descr)
        let count = 1000
        let data = Self.file(descr: descr, raw: Array(Self.bytes(count: count * dtype.size).prefix(count * dtype.size)), shape: [count])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npy-chunks-\(UUID().uuidString).npy").path
        try data.write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let whole = try NPYArray(data: data).values
        for size in [1, 7, 333, 4096] {
            let reader = try NPYFileReader(path: path)
            #expect(reader.shape == [count] && reader.count == count && reader.readsInChunks)
            var read: [Float] = [], chunk = [Float](repeating: 0, count: size)
            while true {
                let got = try chunk.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
                if got == 0 { break }
                read += chunk.prefix(got)
            }
            #expect(read.map(\.bitPattern) == whole.map(\.bitPattern), "chunks of \(size)")
        }
    }

    @Test("the reader checks sizes up front and leaves Fortran order to the whole-file path")
    func readerRefusals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("npy-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let truncated = folder.appendingPathComponent("t.npy").path
        try Self.file(descr: "<f4", raw: [UInt8](repeating: 0, count: 10), shape: [4]).write(to: URL(fileURLWithPath: truncated))
        #expect(throws: NPYError.truncatedData(expectedBytes: 16, availableBytes: 10)) { try NPYFileReader(path: truncated) }
        #expect(throws: NPYError.self) { try NPYFileReader(path: folder.appendingPathComponent("missing.npy").path) }
        let fortran = folder.appendingPathComponent("f.npy").path
        try Self.file(descr: "<f4", raw: [UInt8](repeating: 0, count: 24), shape: [2, 3], fortran: true).write(to: URL(fileURLWithPath: fortran))
        #expect(try !NPYFileReader(path: fortran).readsInChunks)
    }

    @Test("the chunked writer writes the encoder's bytes, and an abandoned write leaves nothing")
    func writer() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("npy-file-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let array = NPYArray(shape: [4, 5, 6], values: (0..<120).map { Float($0) * 0.5 - 7 })
        let path = folder.appendingPathComponent("a.npy").path
        let writer = try NPYFileWriter(path: path, shape: array.shape)
        try array.values.withUnsafeBufferPointer { values in
            for start in stride(from: 0, to: 120, by: 17) {
                try writer.write(UnsafeBufferPointer(rebasing: values[start..<min(120, start + 17)]))
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1)  // only the temporary file
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.finish()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == array.encoded())
        do {
            let abandoned = try NPYFileWriter(path: folder.appendingPathComponent("b.npy").path, shape: [3])
            try [Float(1)].withUnsafeBufferPointer { try abandoned.write($0) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.npy"])
    }
}
