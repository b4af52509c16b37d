/// Where seeds come from in one forward pass.
enum SeedSource: Sendable {
    /// Drawn from per-mask streams of this key.
    case generator(key: UInt64)
    /// Drawn from per-sample streams of a numbered draw (`SeedDraw`), then per-mask sub-streams.
    case draw(SeedDraw)
    /// A recorded uniform draw in the preset's noise shape.
    case noise(Tensor)
}
