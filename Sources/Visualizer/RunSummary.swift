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
    /// The fields of a pass with `parameters`; `plan` and `summary` absent read as zeros
    /// (nothing computed yet). Numbers have `digits` significant digits.
    public static func fields(parameters: DropBlockParameters, plan: DropPlan?, summary: DropBlockSummary?, digits: Int,
                              shape: [Int]? = nil, measured: [String] = [], details: [String] = []) -> [String] {
        let format = { (value: Double) in number(value, digits: digits) }
        var fields = ["preset=\(parameters.preset.rawValue)"]
        if let shape { fields.append("shape=\(ShapeText.tuple(shape))") }
        fields += [
            "block=\(parameters.blockSize)",
            "drop_prob=\(format(parameters.dropProb))",
            "gamma=\(format(summary?.gamma ?? 0))",
            "expected=\(format(plan?.expectedDropFraction ?? 0))",
            "realized=\(format(summary?.droppedFraction ?? 0))",
        ]
        fields += measured
        fields.append("scale=\(format(Double(summary?.scale ?? 1)))")
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

    /// `value` with `digits` significant digits and no trailing zeros (`%.{digits}g`).
    public static func number(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)g", value)
    }
}
