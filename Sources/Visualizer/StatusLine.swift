import DropBlock
import Foundation

/// The `key=value` status line.
public enum StatusLine {
    /// Every field of the status line, in order.
    public static func fields(model: VizModel) -> [String] {
        let parameters = model.parameters
        let view = model.view
        let result = view.result
        var fields = [
            "preset=\(parameters.preset.rawValue)",
            "block=\(parameters.blockSize)",
            "drop_prob=\(format(parameters.dropProb))",
            "gamma=\(format(result?.gamma ?? 0))",
            "expected=\(format(view.plan?.expectedDropFraction ?? 0))",
            "realized=\(format(result?.droppedFraction ?? 0))",
            "channel_dropped=\(format(view.stats.channelDropped))",
            "scale=\(format(Double(result?.scale ?? 1)))",
            "step=\(min(model.schedule.index, model.schedule.steps))/\(model.schedule.steps)",
            "draw=\(model.draw)",
            "seed=\(model.seed)",
            "mode=\(parameters.isTraining ? "train" : "eval")",
            "channel=\(model.channel)/\(model.input.channels)",
            "sample=\(model.sample)/\(model.input.batch)",
        ]
        if model.input.nonFiniteCount > 0 { fields.append("nonfinite=\(model.input.nonFiniteCount)") }
        if model.input.is3D {
            fields.insert("slice_dropped=\(format(view.stats.sliceDropped))", at: 7)
            fields.append("slice=\(model.slice)/\(model.input.depth)")
        }
        if parameters.calibrated {
            if let calibration = result?.calibration, !calibration.isReachable {
                fields.append("calibrated(unreachable,max=\(format(calibration.maximumReachable)))")
            } else {
                fields.append("calibrated")
            }
        }
        if case .seeds(let placement) = model.modal { fields.append("seeds=by_hand(\(placement.seeds.count))") }
        if let note = blockNote(model: model) { fields.append(note) }
        if model.autoplay { fields.append("autoplay") }
        if result?.referenceReturnsNaN == true { fields.append("all_dropped(reference=NaN,shown=0)") }
        return fields
    }

    /// What the preset does with a block as large as the map (nil for smaller blocks).
    public static func blockNote(model: VizModel) -> String? {
        guard let geometry = model.view.plan?.geometry, model.parameters.blockSize >= (geometry.spatial.max() ?? 1) else { return nil }
        guard model.parameters.preset.rules.clipsBlockToMap else { return "block>=map:blocks_clipped_at_the_map_edges" }
        // The block is clipped to the map; one allowed seed position remains when it fills the map.
        if geometry.window == geometry.spatial { return "block>=map:each_seed_drops_its_whole_channel(SpatialDropout)" }
        return "block>=map:block_clipped_to_" + geometry.window.map(String.init).joined(separator: "x")
    }

    /// Four significant digits, without trailing zeros.
    public static func format(_ value: Double) -> String {
        String(format: "%.4g", value)
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
