/// The sweep chart's data: one bar per block size, a rule at p, the current size highlighted.
public struct SweepChart: Sendable {
    /// The bars.
    public let points: [VizView.SweepPoint]
    /// The target drop probability (the rule).
    public let dropProb: Double
    /// The highlighted block size.
    public let blockSize: Int
}
