/// What a `.npy` header says, read without decoding the data.
public struct NPYHeaderInfo: Sendable, Equatable {
    /// The array's shape.
    public let shape: [Int]
    /// The dtype descriptor, e.g. `<f4`.
    public let dtype: String
    /// Whether the dtype converts to `Float` (floats, integers, booleans).
    public let isNumeric: Bool

    /// Reads the header at the start of `bytes` (the data may be absent).
    public init(prefix bytes: [UInt8]) throws(NPYError) {
        let (fields, _) = try NPYReader.header(bytes)
        shape = fields.shape
        dtype = fields.descr
        isNumeric = (try? NPYDType(descr: fields.descr)) != nil
    }
}
