/// The sweep chart's data: one bar per block size, a rule at p, the current size highlighted.
public struct SweepChart: Sendable {
    /// The bars.
    public let points: [VizView.SweepPoint]
    /// The target drop probability (the rule).
    public let dropProb: Double
    /// The highlighted block size.
    public let blockSize: Int

    /// The value at the chart's top row: a tenth above the highest bar or p, at most 1.
    public var top: Double {
        max(min(1, max(points.compactMap(\.expected).max() ?? 0, dropProb) * 1.1), 1e-9)
    }

    /// The chart's title, long to short: what the bars show, the value scale they are drawn
    /// on (a bar's height reads against it) and the marks, which shorter forms keep as long as
    /// they can (at 120x40 the title fell to the scale alone, and nothing named the red rule).
    public var title: PanelTitle {
        let scale = "0 to \(StatusLine.format(top))", p = "p=\(StatusLine.format(dropProb))"
        return PanelTitle([
            "expected drop vs block size, bars \(scale) (- \(p), + calibrated)",
            "expected drop, \(scale) (- \(p), + calibrated)",
            "drop \(scale) (- \(p), + calibrated)",
            "drop \(scale) (- p, + calibrated)",
            "drop \(scale) (- p, + calib.)",
            "expected drop \(scale)",
            "expected drop vs block size", "drop vs block", "sweep",
        ])
    }
}
