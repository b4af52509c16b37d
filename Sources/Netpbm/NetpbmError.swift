/// Why an image could not be read.
public enum NetpbmError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data does not start with a Netpbm magic number (`P1` to `P7`).
    case notNetpbm
    /// A Netpbm variant this reader does not decode (PBM or PAM), named.
    case unsupported(String)
    /// A header with a missing, too long or out-of-range number.
    case malformed(String)
    /// Fewer samples (ASCII) or bytes (binary) than the header declares.
    case truncated(expected: Int, available: Int)
    /// An ASCII sample that is not a number: its index and the byte where it starts.
    case badSample(index: Int, byte: Int)
    /// The file could not be read.
    case unreadable(String)

    /// One line for an `error:` message.
    public var description: String {
        switch self {
        case .notNetpbm: return "not a PGM/PPM image"
        case .unsupported(let what): return "unsupported Netpbm format \(what)"
        case .malformed(let why): return "malformed PGM/PPM header: \(why)"
        case .truncated(let expected, let available): return "truncated PGM/PPM data: need \(expected) samples/bytes, found \(available)"
        case .badSample(let index, let byte): return "malformed PGM/PPM data: sample \(index) (at byte \(byte)) is not a number"
        case .unreadable(let why): return why
        }
    }
}
