/// The factor kept units are multiplied by, and whether the reference returned NaN there.
public struct RescaleOutcome: Equatable, Sendable {
    /// The float32 factor (0 where the reference divides by zero).
    public let scale: Float
    /// True where the reference divides 0 by 0 (every unit dropped) and returns NaN; the
    /// library returns zeros instead.
    public let referenceReturnsNaN: Bool

    /// Creates an outcome.
    public init(scale: Float, referenceReturnsNaN: Bool = false) {
        self.scale = scale
        self.referenceReturnsNaN = referenceReturnsNaN
    }

    /// `numel / kept`-style rules whose reference returns NaN (0 / 0) when nothing is kept.
    static func dividing(kept: Int, _ factor: () -> Float) -> RescaleOutcome {
        kept == 0 ? RescaleOutcome(scale: 0, referenceReturnsNaN: true) : RescaleOutcome(scale: factor())
    }
}
