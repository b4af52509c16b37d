/// What a workspace knows about one map's part of the dropped mask between passes
/// (`DropBlockWorkspace.mapHasDrop`), so that passes skip work the mask already shows.
enum MapDrops {
    /// The map's mask is all zero: nothing to clear, and its multiply is by the scale alone.
    static let none: UInt8 = 0
    /// Something may be dropped (or nothing is known about the map).
    static let some: UInt8 = 1
    /// Every unit is dropped: nothing to paint again, and its multiply is by zero alone.
    static let all: UInt8 = 2
}
