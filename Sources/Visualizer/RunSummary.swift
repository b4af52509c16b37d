import DropBlock
import Foundation
import ShapeFormat

/// The `key=value` fields of one forward pass, shared by `apply`'s summary line and the
/// visualizer's status line: one set of keys and spellings, so a number read off the screen
/// is found under the same key in a log.
///
/// Fields come in this order: `preset=`, `shape=` (when given), `block= drop_prob= gamma=
/// expected= realized=`, the caller's own measurements, `scale=`, the caller's details, then
/// the flags `calibrated` (`calibrated(unreachable,max=M)` when p is out of reach) and
/// `all_dropped(reference=NaN,output=0)` (the references divide by zero; the output is zeros).
public enum RunSummary {
    /// What the preset does with a block as large as the map, a `block>=map:` field (nil for
    /// smaller blocks): the status line's and `dropblock apply`'s.
    public static func blockNote(plan: DropPlan) -> String? {
        guard let geometry = plan.geometry, plan.parameters.blockSize >= (geometry.spatial.max() ?? 1) else { return nil }
        // Decided by the geometry the draw seeds, whichever rule made it.
        if geometry.everySeedCoversWholeMap { return "block>=map:each_seed_drops_its_whole_channel(SpatialDropout)" }
        guard plan.parameters.preset.rules.clipsBlockToMap else { return "block>=map:blocks_clipped_at_the_map_edges" }
        return "block>=map:block_clipped_to_" + ShapeText.size(geometry.window)
    }

    /// The fields of a pass with `parameters`; `plan` and `summary` absent read as zeros
    /// (nothing computed yet). Numbers have `digits` significant digits; with `exactScale`,
    /// `scale=` has as many as it takes to read back the very float32 the pass multiplied by.
    public static func fields(parameters: DropBlockParameters, plan: DropPlan?, summary: DropBlockSummary?, digits: Int,
                              exactScale: Bool = false, shape: [Int]? = nil, measured: [String] = [],
                              details: [String] = []) -> [String] {
        let format = { (value: Double) in number(value, digits: digits) }
        var fields = ["preset=\(parameters.preset.rawValue)"]
        if let shape { fields.append("shape=\(ShapeText.token(shape))") }
        fields += [
            "block=\(parameters.blockSize)",
            "drop_prob=\(format(parameters.dropProb))",
            // Without a draw (it failed) there is nothing to report: `-`, never a made-up 0.
            "gamma=\(summary.map { format($0.gamma) } ?? "-")",
            "expected=\(plan.map { format($0.expectedDropFraction) } ?? "-")",
            "realized=\(summary.map { format($0.droppedFraction) } ?? "-")",
        ]
        fields += measured
        fields.append("scale=\(summary.map { exactScale ? exact($0.scale) : format(Double($0.scale)) } ?? "-")")
        fields += details
        if parameters.calibrated {
            if let calibration = summary?.calibration, !calibration.isReachable {
                fields.append("calibrated(unreachable,max=\(format(calibration.maximumReachable)))")
            } else {
                fields.append("calibrated")
            }
        }
        if summary?.referenceReturnsNaN == true { fields.append("all_dropped(reference=NaN,output=0)") }
        return fields
    }

    /// The shortest text that reads back as exactly `value` (Swift's description of a Float),
    /// without a trailing `.0`, as `%g` writes whole numbers (`1`, not `1.0`).
    public static func exact(_ value: Float) -> String {
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// `value` with `digits` significant digits and no trailing zeros (`%.{digits}g`), and
    /// more where those read as exactly 1: 0.99996 is `0.99996`, not `1` (verification round:
    /// an expected 0.9999... read as a whole map always dropped, a scale of 1.00002 as none).
    public static func number(_ value: Double, digits: Int) -> String {
        var shown = max(1, digits)
        var text = String(format: "%.\(shown)g", value)
        while (text == "1" || text == "-1") && abs(value) != 1 && shown < 17 {
            shown += 1
            text = String(format: "%.\(shown)g", value)
        }
        return text
    }
}
