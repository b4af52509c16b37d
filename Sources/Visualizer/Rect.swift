/// A rectangle of cells.
public struct Rect: Equatable, Sendable {
    /// The top-left cell (column, row) and the size in cells.
    public var x: Int, y: Int, width: Int, height: Int
    /// A rectangle at column `x`, row `y`, `width` columns by `height` rows.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
