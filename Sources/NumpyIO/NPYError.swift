/// Why a `.npy` file could not be read or written.
public enum NPYError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start with `\x93NUMPY`.
    case badMagic
    /// A format version other than 1.0, 2.0 or 3.0.
    case unsupportedVersion(major: UInt8, minor: UInt8)
    /// The file ends inside its header.
    case truncatedHeader
    /// The header is longer than NumPy's own reading limit (10000 bytes).
    case headerTooLarge(length: Int, limit: Int)
    /// The header dictionary could not be parsed.
    case malformedHeader(String)
    /// A dtype this reader does not convert (object, complex, strings, structured, dates).
    case unsupportedDType(String)
    /// A shape with negative, non-integer or overflowing dimensions.
    case invalidShape(String)
    /// The data is shorter than the header's shape and dtype require.
    case truncatedData(expectedBytes: Int, availableBytes: Int)
    /// The file could not be opened, read or written.
    case io(String)
    /// An `.npz` archive, or one of its members, could not be read.
    case archive(String)

    /// One line for an `error:` message.
    public var description: String {
        switch self {
        case .badMagic: return "not a .npy file (missing \\x93NUMPY magic)"
        case .unsupportedVersion(let major, let minor): return "unsupported .npy format version \(major).\(minor)"
        case .truncatedHeader: return "truncated .npy header"
        case .headerTooLarge(let length, let limit):
            return ".npy header of \(length) bytes is longer than the \(limit)-byte limit"
        case .malformedHeader(let why): return "malformed .npy header: \(why)"
        case .unsupportedDType(let descr): return "unsupported .npy dtype '\(descr)' (need float, int, uint or bool)"
        case .invalidShape(let shape): return "invalid .npy shape \(shape)"
        case .truncatedData(let expected, let available):
            return "truncated .npy data: the header's shape and dtype need \(expected) data bytes, the file has \(available)"
        case .io(let why): return why
        case .archive(let why): return ".npz archive: \(why)"
        }
    }
}
