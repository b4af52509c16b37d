/// A minimal JSON reader for the golden files that keeps numbers as their literal text.
///
/// Why not Foundation: on Linux, `JSONSerialization` parses some doubles one ulp off
/// (2.0004000800160035e-05 comes back as ...38e-05), and converting a float32 literal
/// through Double can round twice. Swift's `Double(String)`/`Float(String)` are exact.
public indirect enum JSONValue: Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var double: Double? { if case .number(let n) = self { return Double(n) }; return nil }
    public var float: Float? { if case .number(let n) = self { return Float(n) }; return nil }
    public var int: Int? { if case .number(let n) = self { return Int(n) ?? Double(n).map { Int($0) } }; return nil }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.value()
        reader.skipSpace()
        guard reader.index == bytes.count else { throw JSONError(offset: reader.index) }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { throw JSONError(offset: index) }
            index += 1
        }

        mutating func literal(_ text: String, _ value: JSONValue) throws -> JSONValue {
            let utf8 = Array(text.utf8)
            guard index + utf8.count <= bytes.count, Array(bytes[index..<(index + utf8.count)]) == utf8 else {
                throw JSONError(offset: index)
            }
            index += utf8.count
            return value
        }

        mutating func value() throws -> JSONValue {
            skipSpace()
            guard index < bytes.count else { throw JSONError(offset: index) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [String: JSONValue] = [:]
                skipSpace()
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value() else { throw JSONError(offset: index) }
                    try expect(UInt8(ascii: ":"))
                    members[key] = try value()
                    skipSpace()
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [JSONValue] = []
                skipSpace()
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skipSpace()
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return .string(text)
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "N"): return try literal("NaN", .number("nan"))
            default:
                let start = index
                while index < bytes.count, "+-0123456789.eEinfIty".utf8.contains(bytes[index]) { index += 1 }
                guard index > start else { throw JSONError(offset: index) }
                return .number(String(decoding: bytes[start..<index], as: UTF8.self))
            }
        }
    }
}

public struct JSONError: Error, CustomStringConvertible {
    public let offset: Int
    public var description: String { "malformed JSON at byte \(offset)" }
}
