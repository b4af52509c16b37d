import Foundation
import SafetensorsIO
import Testing

/// A file written by the reference `safetensors` package (`Fixtures/make_safetensors.py`), and
/// headers that lie, built here byte by byte.
@Suite("safetensors files")
struct SafetensorsFileTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tensors.safetensors")

    /// What make_safetensors.py stores: arange(n) * 0.5 - 3 in the tensor's dtype.
    static func expected(_ count: Int, _ convert: (Double) -> Float) -> [Float] {
        (0..<count).map { convert(Double($0) * 0.5 - 3) }
    }

    @Test("every dtype of the reference writer reads back exactly")
    func referenceFile() throws {
        let file = try SafetensorsFile(data: Data(contentsOf: Self.fixture))
        #expect(Set(file.entries.map(\.name)) == ["f32", "f64", "f16", "i64", "i32", "i16", "i8", "u8", "bool", "empty"])
        #expect(file.metadata == ["format": "np"])
        func values(_ name: String) throws -> [Float] { file.values(of: try #require(file.entry(named: name))) }
        #expect(try #require(file.entry(named: "f32")).shape == [2, 3, 4])
        #expect(try values("f32") == Self.expected(24) { Float($0) })
        #expect(try values("f64") == Self.expected(6) { Float($0) })
        #expect(try values("f16") == Self.expected(8) { Float(Float16($0)) })
        let truncate = { (value: Double) in Float(Int(value)) }
        for name in ["i64", "i32", "i16", "i8"] {
            let count = try #require(file.entry(named: name)).shape.reduce(1, *)
            #expect(try values(name) == Self.expected(count, truncate), "\(name)")
        }
        #expect(try values("u8") == [0, 40, 80, 120, 160, 200])
        #expect(try values("bool") == [0, 1, 0, 1, 0])
        #expect(try values("empty").isEmpty)
    }

    /// A file of `header` (JSON text) followed by `payload` bytes.
    static func file(_ header: String, payload: [UInt8], declaredLength: UInt64? = nil) -> Data {
        let json = Array(header.utf8)
        let length = declaredLength ?? UInt64(json.count)
        return Data((0..<8).map { UInt8((length >> (8 * UInt64($0))) & 0xFF) } + json + payload)
    }

    @Test("bfloat16 is the top half of a float32")
    func bfloat16() throws {
        // 1.0 = 0x3F80, -2.5 = 0xC020, little-endian.
        let data = Self.file(#"{"x":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#, payload: [0x80, 0x3F, 0x20, 0xC0])
        let file = try SafetensorsFile(data: data)
        #expect(file.values(of: try #require(file.entry(named: "x"))) == [1, -2.5])
    }

    @Test("headers that lie are refused, each with its own error", arguments: [
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "overlaps"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, 4, "the file is cut short: its header describes 8 data bytes, 4 follow it"),
        (#"{"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 2,
         "the file is cut short: its header describes 8 data bytes, 2 follow it"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, 8, "ordered pair"),
        (#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, 8, "needs 12"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "hole"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 8, "not described"),
        (#"{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, 8, "unsupported dtype 'C64'"),
        (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4, "invalid shape"),
        (#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, 4, "invalid shape"),
        (#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, 4, "shape list of integers"),
        (#"{"a":{"dtype":"F32","shape":[1]}}"#, 4, "data_offsets pair"),
        (#"["not", "an", "object"]"#, 0, "not a JSON object"),
        (#"{"a":"#, 0, "not valid JSON"),
        (#"{"__metadata__":{"k":1}}"#, 0, "__metadata__"),
    ])
    func lyingHeaders(header: String, payload: Int, phrase: String) {
        let data = Self.file(header, payload: [UInt8](repeating: 0, count: payload))
        do {
            _ = try SafetensorsFile(data: data)
            Issue.record("accepted: \(header)")
        } catch {
            #expect(error.description.contains(phrase), "\(error.description)")
        }
    }

    @Test("with several bad entries, every read names the same one: the first by name")
    func badEntriesInNameOrder() {
        let names = (0..<12).map { "t\($0)" }
        let header = "{" + names.map { #""\#($0)":{"dtype":"F32","shape":[1]}"# }.joined(separator: ",") + "}"
        var errors: Set<String> = []
        for _ in 0..<20 {
            do {
                _ = try SafetensorsFile(data: Self.file(header, payload: [0, 0, 0, 0]))
            } catch {
                errors.insert(error.description)
            }
        }
        #expect(errors == ["malformed safetensors header: entry 't0' has no data_offsets pair"])
    }

    @Test("a written header reads back: the tensors in order, back to back, any name")
    func writtenHeader() throws {
        let tensors: [(name: String, dtype: SafetensorsDType, shape: [Int])] = [("a", .f32, [2, 3]), ("b \"q\"", .bf16, [5]), ("c", .u8, [0])]
        let header = SafetensorsFile.header(describing: tensors)
        let file = try SafetensorsFile(data: header + Data(count: 24 + 10))
        #expect(file.entries.map(\.name) == ["a", "b \"q\"", "c"])
        #expect(file.entries.map(\.shape) == [[2, 3], [5], [0]])
        #expect(file.entries.map(\.bytes) == [header.count..<(header.count + 24), (header.count + 24)..<(header.count + 34),
                                             (header.count + 34)..<(header.count + 34)])
    }

    @Test("header lengths past the 100 MB limit or past the file are refused before anything is read")
    func headerLengths() {
        #expect(throws: SafetensorsError.headerTooLong(100_000_001)) {
            try SafetensorsFile(data: Self.file("{}", payload: [], declaredLength: 100_000_001))
        }
        #expect(throws: SafetensorsError.truncatedHeader(declared: 1000, available: 2)) {
            try SafetensorsFile(data: Self.file("{}", payload: [], declaredLength: 1000))
        }
        #expect(throws: SafetensorsError.truncatedHeader(declared: 0, available: 3)) { try SafetensorsFile(data: Data([1, 2, 3])) }
    }
}
