/// Rows and columns of a map: the part the 1:1 zoom shows.
public struct MapWindow: Sendable, Equatable {
    /// The rows and columns in view.
    public let rows: Range<Int>, columns: Range<Int>
    /// A window of `rows` and `columns`.
    public init(rows: Range<Int>, columns: Range<Int>) {
        self.rows = rows
        self.columns = columns
    }
}
