/// Where seeds come from in one forward pass.
enum SeedSource: Sendable {
    /// Drawn from streams of this key, one per group of maps (`MapStreams`).
    case generator(key: UInt64)
    /// Drawn from per-sample streams of a numbered draw (`SeedDraw`), then one sub-stream per
    /// group of maps.
    case draw(SeedDraw)
    /// A recorded uniform draw in the preset's noise shape.
    case noise(Tensor)

    /// Whether the seeds are read from a recorded draw, where any allowed position may be one.
    var replaysNoise: Bool {
        if case .noise = self { return true }
        return false
    }
}
