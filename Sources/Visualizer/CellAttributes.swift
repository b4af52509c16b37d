/// Text attributes of a cell.
public struct CellAttributes: OptionSet, Hashable, Sendable {
    /// The attributes as bits.
    public let rawValue: UInt8
    /// The attributes of bits `rawValue`.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Bold (or bright) text.
    public static let bold = CellAttributes(rawValue: 1)
    /// Foreground and background swapped.
    public static let reverse = CellAttributes(rawValue: 2)
    /// Faint text.
    public static let dim = CellAttributes(rawValue: 4)
}
