/// What a `.npy` header says, read without decoding the data.
public struct NPYHeaderInfo: Sendable, Equatable {
    /// The array's shape.
    public let shape: [Int]
    /// The dtype descriptor, e.g. `<f4`.
    public let dtype: String
    /// Whether the dtype converts to `Float` (floats, integers, booleans).
    public let isNumeric: Bool
    /// Where the data starts: the header's length.
    public let dataStart: Int
    /// The data's length in bytes that the shape and dtype need (nil for a dtype that is not
    /// numeric or a shape whose size is invalid).
    public let dataBytes: Int?

    /// Reads the header at the start of `bytes` (the data may be absent).
    public init(prefix bytes: [UInt8]) throws(NPYError) {
        let (fields, start) = try NPYReader.header(bytes)
        shape = fields.shape
        dtype = fields.descr
        dataStart = start
        let type = try? NPYDType(descr: fields.descr)
        isNumeric = type != nil
        // Cannot overflow: elementCount bounds the product.
        dataBytes = type.flatMap { type in (try? NPYReader.elementCount(fields.shape)).map { $0 * type.size } }
    }
}
