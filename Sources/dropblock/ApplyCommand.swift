import ArgumentParser
import DropBlock
import Foundation
import NumpyIO

/// `dropblock apply`: runs one DropBlock forward pass on a `.npy` tensor.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply DropBlock to a .npy tensor (rank 4 = 2D, rank 5 = 3D) and write the result.",
        discussion: """
            Writes float32 .npy files. One summary line goes to stderr. With --noise, replays a \
            recorded uniform draw (float32 or float64, in the preset's noise shape) exactly.
            """
    )

    @Argument(help: "Input tensor: .npy of shape (N, C, H, W) or (N, C, D, H, W).")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the output tensor (float32 .npy).")
    var output: String

    @Option(help: "Also write the 0/1 keep mask, shape (N, 1 or C, *spatial).")
    var maskOutput: String?

    @Option(help: "Replay this uniform draw instead of drawing from --seed.")
    var noise: String?

    @Option(help: "timm --with-noise: replay this standard normal draw as the fill (the keep mask's shape); needs --noise.")
    var normalNoise: String?

    @OptionGroup var parameters: ParameterOptions

    @Flag(help: "Evaluation mode: the output is the input.")
    var eval = false

    @Option(help: "timm: multiply gamma by this factor.")
    var gammaScale: Double = 1

    @Flag(inversion: .prefixedNo, help: "timm: share one mask across channels (default on).")
    var coupleChannels = true

    @Flag(inversion: .prefixedNo, help: "timm: rescale kept units by numel / sum (default on).")
    var scaleByKeep = true

    @Flag(help: "timm: fill dropped units with Gaussian noise, no rescaling.")
    var withNoise = false

    func validate() throws {
        guard gammaScale.isFinite, gammaScale >= 0 else {
            throw ValidationError("--gamma-scale must be a finite number >= 0, got \(gammaScale)")
        }
        if maskOutput == output { throw ValidationError("--mask-output must differ from --output") }
        if normalNoise != nil, noise == nil || !withNoise {
            throw ValidationError("--normal-noise replays timm's with_noise fill: it needs --with-noise and --noise")
        }
    }

    func run() throws {
        let tensor = try TensorFile.read(input, ranks: [4, 5], what: "input")
        var params = DropBlockParameters(
            dropProb: parameters.dropProb, blockSize: parameters.blockSize, preset: parameters.preset,
            isTraining: !eval,
            timm: TimmOptions(gammaScale: gammaScale, coupleChannels: coupleChannels, scaleByKeep: scaleByKeep, withNoise: withNoise))
        params.calibrated = parameters.calibrated
        let noiseTensor = try noise.map { try Self.readDraw($0, what: "noise") }
        let normalTensor = try normalNoise.map { try Self.readDraw($0, what: "normal noise") }
        let result: DropBlockResult
        let plan: DropPlan
        if tensor.rank == 4 {
            let layer = DropBlock2D(parameters: params)
            plan = try layer.plan(for: tensor.shape)
            result = try Self.forward(layer, tensor, noise: noiseTensor, normalNoise: normalTensor, seed: parameters.seed)
        } else {
            let layer = DropBlock3D(parameters: params)
            plan = try layer.plan(for: tensor.shape)
            result = try Self.forward(layer, tensor, noise: noiseTensor, normalNoise: normalTensor, seed: parameters.seed)
        }
        try TensorFile.write(result.output, to: output)
        if let maskOutput {
            do {
                try TensorFile.write(result.keepMask, to: maskOutput)
            } catch {
                // Nothing written on error: take the output back too.
                try? FileManager.default.removeItem(atPath: output)
                throw error
            }
        }
        FileHandle.standardError.write(Data((Summary.line(result: result, plan: plan) + "\n").utf8))
    }

    /// A recorded draw (`--noise`, `--normal-noise`): a float32 or float64 `.npy`.
    static func readDraw(_ path: String, what: String) throws -> Tensor {
        let array = try NPYArray(contentsOf: path)
        guard array.dtype.hasSuffix("f4") || array.dtype.hasSuffix("f8") else {
            throw CLIError("\(what) \(path) has dtype \(array.dtype); expected float32 or float64")
        }
        return try Tensor(shape: array.shape, storage: array.values)
    }

    /// One pass: replaying the uniform draw (and timm's normal fill, when given) or seeded.
    static func forward<Layer: DropBlockLayer>(
        _ layer: Layer, _ input: Tensor, noise: Tensor?, normalNoise: Tensor?, seed: UInt64
    ) throws -> DropBlockResult {
        switch (noise, normalNoise) {
        case (let noise?, let normal?): return try layer.forward(input, noise: noise, normalNoise: normal)
        case (let noise?, nil): return try layer.forward(input, noise: noise, fillSeed: seed)
        default: return try layer.forward(input, seed: seed)
        }
    }
}

/// The one-line `key=value` summary of a forward pass.
enum Summary {
    static func line(result: DropBlockResult, plan: DropPlan) -> String {
        var fields = [
            "preset=\(plan.parameters.preset.rawValue)",
            "shape=\(TensorFile.format(plan.shape))",
            "block=\(plan.parameters.blockSize)",
            "drop_prob=\(plan.parameters.dropProb)",
            "gamma=\(format(result.gamma))",
            "expected=\(format(plan.expectedDropFraction))",
            "realized=\(format(result.droppedFraction))",
            "scale=\(format(Double(result.scale)))",
            "seeds=\(result.seedCount)",
        ]
        if result.isIdentity { fields.append("identity") }
        if plan.parameters.calibrated { fields.append("calibrated") }
        if let calibration = result.calibration, !calibration.isReachable {
            fields.append("unreachable(max=\(format(calibration.maximumReachable)))")
        }
        if result.referenceReturnsNaN { fields.append("all_dropped(reference_nan->zeros)") }
        return fields.joined(separator: " ")
    }

    static func format(_ value: Double) -> String {
        String(format: "%.6g", value)
    }
}
