import DropBlock
import Foundation
import NumpyIO
import Visualizer

/// `w` in the visualizer: writes the shown draw to `dropblock-draw-K.npz` in `folder` (or
/// `dropblock-draw-K-2.npz`, `-3`, ... when that name is taken: a file is never overwritten):
/// the shown sample's `input`, its `keep_mask` and `output`, and `params.json` with every
/// parameter and the `dropblock apply` command that reproduces the mask from that input.
struct DrawFileWriter: VizDrawWriter {
    let folder: String

    func write(_ model: VizModel) throws -> String {
        guard let result = model.view.result else { throw CLIError("nothing is drawn (the preset cannot run here)") }
        let (stem, name, path) = Self.freeName(draw: model.draw, in: folder)
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
        parameters["command"] = Self.command(model: model, file: name, stem: stem)
        let json = try JSONSerialization.data(withJSONObject: parameters, options: [.prettyPrinted, .sortedKeys])
        try NPZWriter.write(arrays: [
            ("input", NPYArray(shape: input.shape, values: input.storage)),
            ("keep_mask", NPYArray(shape: result.keepMask.shape, values: result.keepMask.storage)),
            ("output", NPYArray(shape: result.output.shape, values: result.output.storage)),
        ], files: [("params.json", json)], to: path)
        return path
    }

    /// The first of `dropblock-draw-K.npz`, `dropblock-draw-K-2.npz`, ... that does not exist in
    /// `folder` (the same draw of another sample, preset or session would otherwise replace it).
    /// Returns the stem the command's output names start with (`draw-K`, `draw-K-2`), the
    /// file's name and its path.
    static func freeName(draw: UInt64, in folder: String) -> (stem: String, name: String, path: String) {
        var copy = 1
        while true {
            let stem = "draw-\(draw)\(copy == 1 ? "" : "-\(copy)")", name = "dropblock-\(stem).npz"
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            if !FileManager.default.fileExists(atPath: path) { return (stem, name, path) }
            copy += 1
        }
    }

    /// The `dropblock apply` command that reproduces this draw's mask from the written input,
    /// into `STEM-output.npy` and `STEM-mask.npy` (`draw-K`, or `draw-K-2` for a second copy).
    static func command(model: VizModel, file: String, stem: String) -> String {
        let p = model.parameters
        var words = ["dropblock", "apply", file, "--array", "input", "-o", "\(stem)-output.npy",
                     "--mask-output", "\(stem)-mask.npy", "--preset", p.preset.rawValue,
                     "--block-size", String(p.blockSize), "--drop-prob", "\(p.dropProb)", "--seed", String(model.seed),
                     "--draw", String(model.draw), "--first-sample", String(model.sample)]
        if p.calibrated { words.append("--calibrated") }
        if !p.isTraining { words.append("--eval") }
        return words.joined(separator: " ")
    }
}
