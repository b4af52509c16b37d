/// The seven Netpbm formats, by the digit after `P`.
enum NetpbmVariant: UInt8 {
    case asciiBitmap = 0x31, asciiGrey, asciiColour, binaryBitmap, binaryGrey, binaryColour, arbitrary

    init?(magic: UInt8) { self.init(rawValue: magic) }

    /// PGM and PPM, ASCII or binary.
    var isRead: Bool { [.asciiGrey, .asciiColour, .binaryGrey, .binaryColour].contains(self) }
    var isBinary: Bool { self == .binaryGrey || self == .binaryColour }
    var channels: Int { self == .asciiColour || self == .binaryColour ? 3 : 1 }

    /// What `NetpbmError.unsupported` says for a variant that is not read.
    var unsupportedDescription: String {
        let name: String
        switch self {
        case .asciiBitmap: name = "ASCII PBM bitmap"
        case .binaryBitmap: name = "binary PBM bitmap"
        case .arbitrary: name = "PAM"
        case .asciiGrey, .binaryGrey: name = "PGM"
        case .asciiColour, .binaryColour: name = "PPM"
        }
        return "P\(Character(UnicodeScalar(rawValue))) (\(name)); only PGM (P2, P5) and PPM (P3, P6) are read"
    }
}
