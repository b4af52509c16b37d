/// What a file is, judged by its first bytes (its magic), so that an error can name it.
enum FileFormat: Equatable {
    /// A NumPy `.npy` array (`\x93NUMPY`).
    case npy
    /// A Netpbm image; the digit after `P` (1-7).
    case netpbm(Character)
    /// A zip archive, such as NumPy's `.npz` (`PK\x03\x04`, or `PK\x05\x06` when empty).
    case zip
    /// A safetensors file: an 8-byte little-endian header length, then a JSON object.
    case safetensors
    /// Nothing this tool recognises.
    case unknown

    /// How many leading bytes `detect` looks at.
    static let sniffLength = 9

    /// Classifies a file by its first bytes.
    static func detect(_ head: [UInt8]) -> FileFormat {
        if head.starts(with: [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) { return .npy }
        if head.count >= 2, head[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "7")).contains(head[1]),
           head.count == 2 || [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "#")].contains(head[2]) {
            return .netpbm(Character(Unicode.Scalar(head[1])))
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if head.count >= 9, head[8] == UInt8(ascii: "{"), head[6] == 0, head[7] == 0 { return .safetensors }
        return .unknown
    }

    /// Why a file of `size` bytes starting with `head` is not a safetensors file, in that
    /// format's terms (nil when its first bytes could start one).
    static func safetensorsProblem(head: [UInt8], size: Int) -> String? {
        guard head.count >= 8 else { return "\(size) bytes, fewer than the 8 of its header length" }
        let length = head.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if length > UInt64(max(0, size - 8)) { return "its header length \(length) passes the file's \(size - 8) bytes after it" }
        if head.count >= 9, head[8] != UInt8(ascii: "{") { return "its header is not a JSON object (it starts with byte 0x\(String(head[8], radix: 16)))" }
        return nil
    }

    /// The PGM/PPM variants the image reader handles.
    var isReadableImage: Bool {
        if case .netpbm(let kind) = self { return "2356".contains(kind) }
        return false
    }

    /// A short name for messages, e.g. "a PBM image (P4)".
    var name: String {
        switch self {
        case .npy: return "a .npy array"
        case .netpbm(let kind):
            let family: String
            switch kind {
            case "1", "4": family = "PBM"
            case "2", "5": family = "PGM"
            case "3", "6": family = "PPM"
            default: family = "PAM"
            }
            return "a \(family) image (P\(kind))"
        case .zip: return "a zip archive (.npz)"
        case .safetensors: return "a safetensors file"
        case .unknown: return "an unknown format"
        }
    }
}
