import DropBlock
import Foundation
import ShapeFormat

/// The `key=value` status line: `RunSummary`'s fields of the shown draw, with the viewer's own.
public enum StatusLine {
    /// Significant digits of the status line's numbers: four fit a terminal's width.
    public static let digits = 4

    /// Every field of the status line, in order.
    public static func fields(model: VizModel) -> [String] {
        let parameters = model.parameters
        let view = model.view
        let drawn = view.result != nil
        var measured = ["channel_dropped=\(drawn ? format(view.stats.channelDropped) : "-")"]
        var details = [
            "step=\(min(model.schedule.index, model.schedule.steps))/\(model.schedule.steps)",
            "draw=\(model.draw)",
            "seed=\(model.seed)",
            "mode=\(parameters.isTraining ? "train" : "eval")",
            "channel=\(model.channel)/\(model.input.channels)",
            "sample=\(model.sample)/\(model.input.batch)",
        ]
        if model.input.nonFiniteCount > 0 { details.append("nonfinite=\(model.input.nonFiniteCount)") }
        // Finite inputs whose product with the scale passed float32's range (Inf, as in the references).
        if view.overflowed > 0 { details.append("overflow=\(view.overflowed)") }
        if model.input.is3D {
            measured.append("slice_dropped=\(drawn ? format(view.stats.sliceDropped) : "-")")
            details.append("slice=\(model.slice)/\(model.input.depth)")
        }
        if case .seeds(let placement) = model.modal {
            // The cursor's unit: on a downsampled map a one-unit move may stay in the same cell.
            details.append("seeds=by_hand(\(placement.seeds.count))")
            details.append("cursor=\(placement.x),\(placement.y)")
            // The cursor's unit j in the expected drop's formula: how many allowed positions'
            // blocks cover it, and its chance of being dropped by a random draw at this gamma
            // (`expected=` is the mean of p(j) over the map).
            if let plan = view.plan, let geometry = plan.geometry {
                let c = geometry.coverage(at: placement.cursor(input: model.input, slice: model.slice))
                details.append("c(j)=\(c)")
                details.append("p(j)=\(format(1 - CoverageHistogram.keepProbability(coverage: c, gamma: plan.gamma)))")
            }
        }
        if let note = blockNote(model: model) { details.append(note) }
        if model.autoplay { details.append("autoplay") }
        return RunSummary.fields(parameters: parameters, plan: view.plan, summary: view.result?.summary, digits: digits,
                                 measured: measured, details: details)
    }

    /// What the preset does with a block as large as the map (nil for smaller blocks).
    public static func blockNote(model: VizModel) -> String? {
        model.view.plan.flatMap { RunSummary.blockNote(plan: $0) }
    }

    /// Four significant digits, without trailing zeros, as the status line writes numbers.
    public static func format(_ value: Double) -> String {
        RunSummary.number(value, digits: digits)
    }

    /// Word-wraps `fields` (separated by two spaces) into lines of at most `width` columns.
    public static func wrap(_ fields: [String], width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for field in fields {
            let candidate = current.isEmpty ? field : current + "  " + field
            if candidate.count <= width || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = field
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
