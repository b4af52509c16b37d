/// A terminal's size in cells: columns by rows.
public struct ScreenSize: Equatable, Sendable {
    /// Columns and rows.
    public var width: Int, height: Int
    /// A terminal of `width` columns and `height` rows.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
