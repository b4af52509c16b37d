/// Why a safetensors file could not be read.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Shorter than the 8-byte header length, or shorter than the header it declares.
    case truncatedHeader(declared: UInt64, available: Int)
    /// A header longer than `SafetensorsFile.maximumHeaderLength`.
    case headerTooLong(UInt64)
    /// The header is not a JSON object of the expected form.
    case malformedHeader(String)
    /// A dtype outside F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL.
    case unsupportedDType(name: String, dtype: String)
    /// A shape with a negative dimension or an element count that overflows.
    case invalidShape(name: String, shape: String)
    /// Offsets outside the data, reversed, not matching the shape and dtype, overlapping, or leaving a hole.
    case invalidOffsets(name: String, why: String)
    /// The header describes more data bytes than follow it: the file is cut short.
    case truncatedData(described: Int, available: Int)
    /// The file could not be opened or read (`SafetensorsFileReader`); the text says why.
    case io(String)

    /// One line for an `error:` message, naming the tensor where there is one.
    public var description: String {
        switch self {
        case .truncatedHeader(let declared, let available):
            return "truncated safetensors header: it declares \(declared) bytes, the file has \(available) after the length"
        case .headerTooLong(let length):
            return "safetensors header of \(length) bytes is over the \(SafetensorsFile.maximumHeaderLength)-byte limit"
        case .malformedHeader(let why): return "malformed safetensors header: \(why)"
        case .unsupportedDType(let name, let dtype):
            return "tensor '\(name)' has unsupported dtype '\(dtype)' (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)"
        case .invalidShape(let name, let shape): return "tensor '\(name)' has an invalid shape \(shape)"
        case .invalidOffsets(let name, let why): return "tensor '\(name)' has invalid data_offsets: \(why)"
        case .truncatedData(let described, let available):
            return "the file is cut short: its header describes \(described) data bytes, \(available) follow it"
        case .io(let why): return why
        }
    }
}
