import Foundation

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header mapping each
/// tensor's name to its dtype, shape and `data_offsets`, then the raw little-endian data.
///
/// The header is validated whole before any tensor is decoded: every dtype known, every shape
/// non-negative without overflow, every offset range inside the data, matching its shape and
/// dtype, with no overlap and no hole (as the reference `safetensors` library requires).
public struct SafetensorsFile: Sendable {
    /// The largest header accepted, the reference library's own limit.
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// One tensor's header entry.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name (its key in the header).
        public let name: String
        /// Its element type.
        public let dtype: SafetensorsDType
        /// Its shape, outermost first.
        public let shape: [Int]
        /// Its bytes, as offsets into the whole file.
        public let bytes: Range<Int>
    }

    /// The tensors in file order.
    public let entries: [Entry]
    /// The optional `__metadata__` strings.
    public let metadata: [String: String]
    private let data: Data

    /// Parses and validates the header of `data`; tensors are decoded on demand by `values(of:)`.
    public init(data: Data) throws(SafetensorsError) {
        let length = try Self.headerLength(prefix: [UInt8](data.prefix(8)), fileSize: data.count)
        (entries, metadata) = try Self.parseHeader(data[(data.startIndex + 8)..<(data.startIndex + 8 + length)], fileSize: data.count)
        self.data = data
    }

    /// The first bytes of a `.safetensors` file holding `tensors` in order, their data back to
    /// back after it: the 8-byte little-endian length and the JSON header, whose `data_offsets`
    /// follow from each tensor's shape and dtype. The caller writes the data (or leaves a
    /// hole for it).
    public static func header(describing tensors: [(name: String, dtype: SafetensorsDType, shape: [Int])]) -> Data {
        var offset = 0
        let fields = tensors.map { tensor -> String in
            let bytes = tensor.shape.reduce(tensor.dtype.size, *)
            defer { offset += bytes }
            let name = String(decoding: (try? JSONSerialization.data(withJSONObject: tensor.name, options: .fragmentsAllowed)) ?? Data(), as: UTF8.self)
            return #"\#(name):{"dtype":"\#(tensor.dtype.rawValue)","shape":[\#(tensor.shape.map(String.init).joined(separator: ","))],"data_offsets":[\#(offset),\#(offset + bytes)]}"#
        }
        let json = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        return Data((0..<8).map { UInt8((UInt64(json.count) >> (8 * UInt64($0))) & 0xFF) } + json)
    }

    /// The header's length, from the file's first 8 bytes `prefix` (fewer when the file is
    /// shorter), checked against the reference library's limit and the file's size.
    static func headerLength(prefix: [UInt8], fileSize: Int) throws(SafetensorsError) -> Int {
        let available = fileSize - 8
        guard available >= 0, prefix.count >= 8 else { throw .truncatedHeader(declared: 0, available: max(0, fileSize)) }
        var length: UInt64 = 0
        for (shift, byte) in prefix.prefix(8).enumerated() { length |= UInt64(byte) << (8 * UInt64(shift)) }
        guard length <= Self.maximumHeaderLength else { throw .headerTooLong(length) }
        guard length <= UInt64(available) else { throw .truncatedHeader(declared: length, available: available) }
        return Int(length)
    }

    /// The entries and metadata of the JSON header `json`, of a file of `fileSize` bytes whose
    /// data follow the header: every entry checked, and together they tile the data exactly.
    static func parseHeader(_ json: Data, fileSize: Int) throws(SafetensorsError) -> (entries: [Entry], metadata: [String: String]) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw .malformedHeader("not valid JSON")
        }
        guard let header = object as? [String: Any] else { throw .malformedHeader("not a JSON object") }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        let base = 8 + json.count, payload = fileSize - base
        // In name order: a dictionary's order differs from one parse to the next, and with
        // several bad entries the error must not (the fuzzer found two reads of one file naming
        // different entries).
        let sorted = header.sorted(by: { $0.key < $1.key })
        // A file cut short (a copy or download that stopped) is said as such, before any one
        // tensor's offsets are blamed for it.
        let described = sorted.compactMap { ($0.value as? [String: Any])?["data_offsets"] as? [Any] }
            .compactMap { integers($0)?.last }.max() ?? 0
        if described > payload { throw .truncatedData(described: described, available: max(0, payload)) }
        for (name, value) in sorted {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else { throw .malformedHeader("__metadata__ must map strings to strings") }
                metadata = strings
                continue
            }
            entries.append(try Self.entry(name: name, value: value, base: base, payload: payload))
        }
        entries.sort { ($0.bytes.lowerBound, $0.bytes.upperBound, $0.name) < ($1.bytes.lowerBound, $1.bytes.upperBound, $1.name) }
        var end = base
        for entry in entries {
            guard entry.bytes.lowerBound == end else {
                throw .invalidOffsets(name: entry.name, why: entry.bytes.lowerBound < end ? "overlaps another tensor" : "leaves a hole before it")
            }
            end = entry.bytes.upperBound
        }
        guard end == fileSize else {
            throw .invalidOffsets(name: entries.last?.name ?? "(none)", why: "\(fileSize - end) bytes after the last tensor are not described")
        }
        return (entries, metadata)
    }

    /// Decodes one header entry, checking it against a payload of `payload` bytes at file offset `base`.
    static func entry(name: String, value: Any, base: Int, payload: Int) throws(SafetensorsError) -> Entry {
        guard let fields = value as? [String: Any] else { throw .malformedHeader("entry '\(name)' is not an object") }
        guard let dtypeName = fields["dtype"] as? String else { throw .malformedHeader("entry '\(name)' has no dtype") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw .unsupportedDType(name: name, dtype: dtypeName) }
        guard let shapeValues = fields["shape"] as? [Any], let shape = integers(shapeValues) else {
            throw .malformedHeader("entry '\(name)' has no shape list of integers")
        }
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard extent >= 0, !overflow else { throw .invalidShape(name: name, shape: "\(shape)") }
            count = product
        }
        guard let offsetValues = fields["data_offsets"] as? [Any], let offsets = integers(offsetValues), offsets.count == 2 else {
            throw .malformedHeader("entry '\(name)' has no data_offsets pair")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end else { throw .invalidOffsets(name: name, why: "[\(begin), \(end)] is not an ordered pair") }
        guard end <= payload else { throw .invalidOffsets(name: name, why: "[\(begin), \(end)] ends past the \(payload) data bytes") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, bytes == end - begin else {
            throw .invalidOffsets(name: name, why: "[\(begin), \(end)] holds \(end - begin) bytes, shape \(shape) of \(dtype.rawValue) needs \(overflow ? "too many" : String(bytes))")
        }
        return Entry(name: name, dtype: dtype, shape: shape, bytes: (base + begin)..<(base + end))
    }

    /// The exact integers of JSON numbers (nil for 1.5, a string, or a value no Int64 holds).
    static func integers(_ values: [Any]) -> [Int]? {
        var result: [Int] = []
        for value in values {
            guard let number = value as? NSNumber else { return nil }
            let integer = number.int64Value
            guard Double(integer) == number.doubleValue else { return nil }
            result.append(Int(integer))
        }
        return result
    }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The tensor's values converted to `Float`, in C order.
    public func values(of entry: Entry) -> [Float] {
        let count = entry.bytes.count / max(entry.dtype.size, 1)
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            let source = UnsafeRawBufferPointer(rebasing: raw[entry.bytes])
            values.withUnsafeMutableBufferPointer { entry.dtype.decode(source, into: $0) }
        }
        return values
    }
}
