/// The size of a frame cell in a figure: 6x12 units, so that a half-block pixel is a 6x6
/// square and a 5x7 glyph fits with a margin; `scale` multiplies both.
public struct FigureGeometry: Sendable, Equatable {
    /// Units per cell, across and down.
    public let cellWidth: Int, cellHeight: Int

    /// A cell of 6x12 units times `scale` (at least 1).
    public init(scale: Int = 1) {
        let s = max(1, scale)
        cellWidth = 6 * s
        cellHeight = 12 * s
    }

    /// Units per font pixel.
    var fontPixel: Int { cellWidth / 6 }
}
