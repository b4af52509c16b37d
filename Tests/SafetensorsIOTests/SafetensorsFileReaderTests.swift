import Foundation
import SafetensorsIO
import Testing

/// `SafetensorsFileReader` reads a file in place: the same entries, values and errors as
/// `SafetensorsFile(data:)` on the file's bytes, for the whole tensor and any range of it.
@Suite("safetensors files read in place")
struct SafetensorsFileReaderTests {
    /// A scratch file holding `data`; removed by `cleanup`.
    static func write(_ data: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString).safetensors").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("the reference file: every entry, whole and in every range of one to three elements, as read from memory")
    func referenceFile() throws {
        let data = try Data(contentsOf: SafetensorsFileTests.fixture)
        let memory = try SafetensorsFile(data: data)
        let path = try Self.write(data)
        defer { unlink(path) }
        let file = try SafetensorsFileReader(path: path)
        #expect(file.entries == memory.entries)
        #expect(file.metadata == memory.metadata)
        for entry in memory.entries {
            let expected = memory.values(of: entry)
            #expect(try file.values(of: entry) == expected, "\(entry.name)")
            for first in 0...expected.count {
                for length in 1...3 {
                    var target = [Float](repeating: .nan, count: length)
                    let got = try target.withUnsafeMutableBufferPointer { try file.read(entry, into: $0, from: first) }
                    #expect(got == min(length, expected.count - first), "\(entry.name) from \(first)")
                    #expect(Array(target.prefix(got)) == Array(expected[first..<(first + got)]), "\(entry.name) from \(first)")
                }
            }
        }
    }

    @Test("a tensor longer than one read's scratch converts every part")
    func longConversion() throws {
        // BF16 values 0, 1, ..., 255 repeated: more elements than one read converts.
        let count = 3 * (1 << 18) + 5
        var payload = [UInt8](repeating: 0, count: 2 * count)
        for i in 0..<count {
            let bits = Float(i % 256).bitPattern >> 16
            (payload[2 * i], payload[2 * i + 1]) = (UInt8(bits & 0xFF), UInt8(bits >> 8))
        }
        let header = #"{"x":{"dtype":"BF16","shape":[\#(count)],"data_offsets":[0,\#(2 * count)]}}"#
        let path = try Self.write(SafetensorsFileTests.file(header, payload: payload))
        defer { unlink(path) }
        let file = try SafetensorsFileReader(path: path)
        let values = try file.values(of: try #require(file.entry(named: "x")))
        #expect(values == (0..<count).map { Float($0 % 256) })
    }

    @Test("headers that lie: the errors of the bytes in memory", arguments: [
        SafetensorsFileTests.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, payload: [0, 0, 0, 0]),
        SafetensorsFileTests.file(#"{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, payload: [UInt8](repeating: 0, count: 8)),
        SafetensorsFileTests.file(#"{"a":"#, payload: []),
        SafetensorsFileTests.file("{}", payload: [], declaredLength: 100_000_001),
        SafetensorsFileTests.file("{}", payload: [], declaredLength: 1000),
        Data([1, 2, 3]),
    ])
    func lyingHeaders(data: Data) throws {
        let path = try Self.write(data)
        defer { unlink(path) }
        var memoryError: SafetensorsError?
        do { _ = try SafetensorsFile(data: data) } catch { memoryError = error }
        let expected = try #require(memoryError)
        #expect(throws: expected) { try SafetensorsFileReader(path: path) }
    }

    @Test("a missing file, and a file cut short after it was opened, are I/O errors that name it")
    func ioErrors() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("st-missing-\(UUID().uuidString)").path
        #expect(throws: SafetensorsError.io("cannot read \(missing): No such file or directory")) { try SafetensorsFileReader(path: missing) }
        let path = try Self.write(SafetensorsFileTests.file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
                                                            payload: [UInt8](repeating: 0, count: 16)))
        defer { unlink(path) }
        let file = try SafetensorsFileReader(path: path)
        // Ten of the tensor's sixteen bytes gone.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(truncate(path, off_t(size - 10)) == 0)
        let entry = try #require(file.entry(named: "a"))
        do {
            _ = try file.values(of: entry)
            Issue.record("a cut file read whole")
        } catch {
            #expect(error.description.hasPrefix("cannot read \(path): the file ends"), "\(error)")
        }
    }
}
