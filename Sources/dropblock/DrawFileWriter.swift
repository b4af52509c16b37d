import DropBlock
import Foundation
import NumpyIO
import Visualizer

/// `w` in the visualizer: writes the shown draw to `dropblock-draw-K.npz` in `folder`: the
/// shown sample's `input`, its `keep_mask` and `output`, and `params.json` with every
/// parameter and the `dropblock apply` command that reproduces the mask from that input.
struct DrawFileWriter: VizDrawWriter {
    let folder: String

    func write(_ model: VizModel) throws -> String {
        guard let result = model.view.result else { throw CLIError("nothing is drawn (the preset cannot run here)") }
        let name = "dropblock-draw-\(model.draw).npz"
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        let input = model.input.sample(model.sample)
        var parameters: [String: Any] = [
            "preset": model.parameters.preset.rawValue, "block_size": model.parameters.blockSize,
            "drop_prob": model.parameters.dropProb, "calibrated": model.parameters.calibrated,
            "training": model.parameters.isTraining, "seed": model.seed, "draw": model.draw, "sample": model.sample,
            "channel": model.channel, "source": model.input.name, "scale": Double(result.scale),
            "realized": result.droppedFraction, "dropblock_version": DropblockCommand.version,
            // JSON has no inf (keras-cv's gamma with a block larger than the map): written as the string "inf".
            "gamma": result.gamma.isFinite ? result.gamma as Any : "\(result.gamma)" as Any,
        ]
        parameters["command"] = Self.command(model: model, file: name)
        let json = try JSONSerialization.data(withJSONObject: parameters, options: [.prettyPrinted, .sortedKeys])
        try NPZWriter.write(arrays: [
            ("input", NPYArray(shape: input.shape, values: input.storage)),
            ("keep_mask", NPYArray(shape: result.keepMask.shape, values: result.keepMask.storage)),
            ("output", NPYArray(shape: result.output.shape, values: result.output.storage)),
        ], files: [("params.json", json)], to: path)
        return "wrote \(path) (draw \(model.draw), sample \(model.sample))"
    }

    /// The `dropblock apply` command that reproduces this draw's mask from the written input.
    static func command(model: VizModel, file: String) -> String {
        let p = model.parameters
        var words = ["dropblock", "apply", file, "--array", "input", "-o", "draw-\(model.draw)-output.npy",
                     "--mask-output", "draw-\(model.draw)-mask.npy", "--preset", p.preset.rawValue,
                     "--block-size", String(p.blockSize), "--drop-prob", "\(p.dropProb)", "--seed", String(model.seed),
                     "--draw", String(model.draw), "--first-sample", String(model.sample)]
        if p.calibrated { words.append("--calibrated") }
        if !p.isTraining { words.append("--eval") }
        return words.joined(separator: " ")
    }
}
