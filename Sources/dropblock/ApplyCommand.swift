import ArgumentParser
import DropBlock
import Foundation
import NumpyIO
import ShapeFormat
import Visualizer

/// `dropblock apply`: runs one DropBlock forward pass on a `.npy` tensor.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply DropBlock to an array of a .npy, .npz or .safetensors file and write the result.",
        discussion: """
            Writes float32 .npy files in the input's layout. One summary line goes to stderr. With --noise, \
            replays a recorded uniform draw (float32 or float64, in the preset's noise shape) exactly. NaN and \
            Inf are kept where they are, as the reference libraries' x * mask * scale keeps them.
            """
    )

    @Argument(help: "Input: a .npy, .npz or .safetensors file; by default (N, C, H, W), (N, C, D, H, W), (C, H, W) or (H, W).")
    var input: String

    @Option(help: "The array to use in a file that holds several (.npz member, safetensors tensor).")
    var array: String?

    @Option(help: "The input's axes: nchw, nhwc, chw, hwc, hw, ncdhw or ndhwc (default: channels first by rank).")
    var layout: TensorLayout?

    @Option(name: .shortAndLong, help: "Where to write the output tensor (float32 .npy).")
    var output: String

    @Option(help: "Also write the 0/1 keep mask: (N, 1 or C, *spatial) in the input's layout (channels last for nhwc).")
    var maskOutput: String?

    @Option(name: .customLong("draw"), parsing: .unconditional,
            help: "Which draw of --seed to make, 0...17592186044415 (0 first, default 0): the visualizer's draw=K, as space counts them.")
    var drawOption: UInt64?

    @Option(name: .customLong("first-sample"), parsing: .unconditional,
            help: "The number of the input's first sample in that draw (default 0; the visualizer's sample=S; w writes one sample).")
    var firstSampleOption: Int?

    /// `--draw`, or 0. (Optional underneath, as `--first-sample` and `--seed` are, so that an
    /// explicit `--draw 0` beside `--noise` is refused like any other.)
    var draw: UInt64 { drawOption ?? 0 }
    /// `--first-sample`, or 0.
    var firstSample: Int { firstSampleOption ?? 0 }

    /// The numbered draw: each sample from its own stream, as the visualizer draws it.
    var seedDraw: SeedDraw { SeedDraw(seed: parameters.seed, index: draw, firstSample: firstSample) }

    @Option(help: "Replay this uniform draw instead of drawing from --seed.")
    var noise: String?

    @Option(help: "timm --with-noise: replay this standard normal draw as the fill (the keep mask's shape); needs --noise.")
    var normalNoise: String?

    @OptionGroup var parameters: ParameterOptions

    @Flag(help: "Evaluation mode: the output is the input.")
    var eval = false

    @Option(parsing: .unconditional, help: "timm: multiply gamma by this factor (default 1).")
    var gammaScale: Double?

    @Flag(inversion: .prefixedNo, help: "timm: share one mask across channels (default on).")
    var coupleChannels: Bool?

    @Flag(inversion: .prefixedNo, help: "timm: rescale kept units by numel / sum (default on).")
    var scaleByKeep: Bool?

    @Flag(help: "timm: fill dropped units with Gaussian noise, no rescaling.")
    var withNoise = false

    func validate() throws {
        if let gammaScale, !(gammaScale.isFinite && gammaScale >= 0) {
            throw ValidationError("--gamma-scale must be a finite number >= 0, got \(gammaScale)")
        }
        if maskOutput == output { throw ValidationError("--mask-output must differ from --output") }
        // Round 24: `-o out.npz` got a .npy under that name without a word.
        for (option, path) in [("--output", output), ("--mask-output", maskOutput)] {
            guard let path else { continue }
            let ext = (path as NSString).pathExtension.lowercased()
            if ["npz", "safetensors", "png", "svg", "txt", "ans", "pgm", "ppm", "pnm"].contains(ext) {
                throw ValidationError("\(option) \(path): apply writes a float32 .npy file, not .\(ext); name it .npy")
            }
        }
        guard draw <= SeedDraw.maximumIndex else { throw ValidationError("--draw must be at most \(SeedDraw.maximumIndex), got \(draw)") }
        guard (0...SeedDraw.maximumSample).contains(firstSample) else {
            throw ValidationError("--first-sample must be in 0...\(SeedDraw.maximumSample), got \(firstSample)")
        }
        if noise != nil {
            // Options that choose a draw of our own, which --noise would ignore; --seed is still
            // used by timm's --with-noise fill when --normal-noise does not replay it.
            let seedFillsNoise = withNoise && normalNoise == nil
            let given = [("--seed", parameters.seedOption != nil && !seedFillsNoise), ("--draw", drawOption != nil),
                         ("--first-sample", firstSampleOption != nil)].filter(\.1).map(\.0)
            if !given.isEmpty {
                let names = given.count == 1 ? given[0] : given.dropLast().joined(separator: ", ") + " and " + (given.last ?? "")
                let timmNote = parameters.preset.rules.readsTimmOptions && given.contains("--seed")
                    ? " (--seed still seeds timm's --with-noise fill when --normal-noise does not replay it)" : ""
                throw ValidationError("\(names) \(given.count == 1 ? "chooses" : "choose") a seeded draw; "
                                      + "--noise replays a recorded one instead" + timmNote)
            }
        }
        if normalNoise != nil, noise == nil || !withNoise || !parameters.preset.rules.readsTimmOptions {
            throw ValidationError("--normal-noise replays timm's with_noise fill: it needs --preset timm, --with-noise and --noise")
        }
        if !parameters.preset.rules.readsTimmOptions {
            // A flag the preset would ignore is a mistake worth reporting, not a silent no-op.
            let given = [("--gamma-scale", gammaScale != nil), ("--[no-]couple-channels", coupleChannels != nil),
                         ("--[no-]scale-by-keep", scaleByKeep != nil), ("--with-noise", withNoise)]
            if let flag = given.first(where: { $0.1 })?.0 {
                throw ValidationError("\(flag) is a timm option; preset \(parameters.preset.rawValue) ignores it (add --preset timm)")
            }
        }
    }

    /// The timm options, with timm's defaults for what was not given.
    var timmOptions: TimmOptions {
        TimmOptions(gammaScale: gammaScale ?? 1, coupleChannels: coupleChannels ?? true, scaleByKeep: scaleByKeep ?? true,
                    withNoise: withNoise)
    }

    @Option(name: .customLong("chunk-elements"), parsing: .unconditional,
            help: ArgumentHelp("Elements per streamed chunk; 0 reads the input whole (tests).", visibility: .hidden))
    var chunkElements: Int = StreamedApply.defaultChunkElements

    func run() throws {
        Interrupts.install()
        let inputs = [input] + [noise, normalNoise].compactMap { $0 }
        try OutputPath.check(output, what: "output", notOverwriting: inputs)
        if let maskOutput { try OutputPath.check(maskOutput, what: "mask output", notOverwriting: inputs) }
        let file = try ArrayFile(input, what: "input")
        let listing = try file.choose(array)
        if array == nil && !file.skipped.isEmpty {
            // The only usable array was taken without a choice: say what else the file held.
            FileHandle.standardError.write(Data("note: using '\(listing.name)', the only usable array; skipped: \(ArrayFile.Skipped.list(file.skipped))\n".utf8))
        }
        if file.readsAsFeatures(listing, layout: layout) {
            // Asked for by name, so it runs, but the reading is said (stats and viz leave it out).
            FileHandle.standardError.write(Data(("note: '\(listing.name)' \(ShapeText.tuple(listing.shape)) is read as one \(listing.shape[0])x\(listing.shape[1]) "
                                                 + "map (layout hw), as --array asked; beside arrays with batch and channel axes it looks like a classifier's "
                                                 + "(N, features), which stats --from and the visualizer leave out\n").utf8))
        }
        if let hint = TensorLayout.hint(shape: listing.shape, name: file.label(listing), given: layout) {
            FileHandle.standardError.write(Data((hint + "\n").utf8))
        }
        let name = file.label(listing)
        let (shape, inputLayout) = try TensorFile.canonicalShape(listing.shape, name: name, layout: layout, what: "input", spatialRanks: [2, 3])
        var params = DropBlockParameters(
            dropProb: parameters.dropProb, blockSize: parameters.blockSize, preset: parameters.preset,
            isTraining: !eval, timm: timmOptions)
        params.calibrated = parameters.calibrated
        let noiseTensor = try noise.map { try Self.readDraw($0, what: "noise") }
        let normalTensor = try normalNoise.map { try Self.readDraw($0, what: "normal noise") }
        let layer = DropBlockND(parameters: params)
        let plan = try layer.plan(for: shape)
        // The mask is a byte per unit of (N, 1, *spatial) when shared, a bit per unit of
        // (N, C, *spatial) when each channel has its own (a byte for maps under 16 units): at
        // most a quarter of a float32 input, a thirty-second for large maps. Streaming does
        // not shrink it.
        // Its building scratch too: about 8 bytes a unit of one map (20 replaying a recorded
        // draw), which for a single 4000x4000 map is more than the mask (it trapped under a
        // memory limit).
        try MemoryProbe.require(DropBlockMask.buildBytes(for: plan, replaysNoise: noiseTensor != nil),
                                for: "the keep mask \(ShapeText.tuple(plan.maskShape)) and its building scratch")
        let mask = try noiseTensor.map { try DropBlockMask(plan: plan, noise: $0) } ?? DropBlockMask(plan: plan, draw: seedDraw)
        let summary: DropBlockSummary
        var nonFinite = (input: 0, output: 0)
        if mask.appliesInChunks, chunkElements > 0, inputLayout.keepsCanonicalOrder || inputLayout.isChannelsLast,
           let reader = try file.chunkReader(listing.name, scratchFolder: OutputPath.folder(of: output)) {
            // The mask depends on the draw and the shape only: stream the input through it.
            nonFinite = try StreamedApply(mask: mask, chunkElements: chunkElements, channelsLast: inputLayout.isChannelsLast).run(
                reader: reader, inputPath: input, shape: listing.shape, output: output, maskOutput: maskOutput,
                maskShape: inputLayout.shape(fromCanonical: plan.maskShape))
            summary = mask.summary
        } else {
            // Read whole. At the peak: the file's values as read and the input in the core's
            // order, the output and its copy in the file's layout as it is written (float32
            // each, with room for a wider dtype's bytes), and the keep mask twice likewise.
            let units = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            let maskUnits = maskOutput == nil ? 0 : plan.maskShape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            let peak = units > Int.max / 32 || maskUnits > Int.max / 32 ? Int.max : units * 20 + maskUnits * 8
            try MemoryProbe.require(peak,
                                    for: "reading \(name) whole (input and output in float32; only C-order .npy and .safetensors input, channels first or last, and .npz members of 64 MiB or more, stream)")
            let (tensor, _) = try TensorFile.canonical(
                try file.load(listing.name), name: name, layout: layout, what: "input", spatialRanks: [2, 3], allowNonFinite: true)
            var outputTensor = tensor
            let keepMask: Tensor
            if mask.appliesInChunks {
                outputTensor.withUnsafeMutableBufferPointer { mask.apply(inPlace: $0, at: 0) }
                (keepMask, summary) = (mask.keepMask, mask.summary)
            } else {
                // timm's with_noise: the Gaussian fill is a second draw that forward makes.
                let result = try Self.forward(layer, tensor,
                                              noise: noiseTensor, normalNoise: normalTensor, draw: seedDraw)
                outputTensor = result.output
                NonFiniteInputs.restore(input: tensor, output: &outputTensor, result: result, withNoise: true)
                (keepMask, summary) = (result.keepMask, result.summary)
            }
            nonFinite = (NonFiniteCount.of(tensor), NonFiniteCount.of(outputTensor))
            try TensorFile.write(outputTensor, layout: inputLayout, to: output)
            if let maskOutput {
                do {
                    try TensorFile.write(keepMask, layout: inputLayout, to: maskOutput)
                } catch {
                    // Nothing written on error: take the output back too.
                    try? FileManager.default.removeItem(atPath: output)
                    throw error
                }
            }
        }
        FileHandle.standardError.write(Data((Summary.line(result: summary, plan: plan, shape: listing.shape, draw: noiseTensor == nil ? seedDraw : nil,
                                                          fillSeed: noiseTensor != nil && normalTensor == nil && timmOptions.withNoise && !eval ? parameters.seed : nil,
                                                          nonFinite: nonFinite) + "\n").utf8))
    }

    /// A recorded draw (`--noise`, `--normal-noise`): a float32 or float64 `.npy`.
    static func readDraw(_ path: String, what: String) throws -> Tensor {
        let array = try TensorFile.readArray(path, what: what)
        guard array.dtype.hasSuffix("f4") || array.dtype.hasSuffix("f8") else {
            throw CLIError("\(what) \(path) has dtype \(array.dtype); expected float32 or float64")
        }
        return try Tensor(shape: array.shape, storage: array.values)
    }

    /// One pass: replaying the uniform draw (and timm's normal fill, when given) or seeded.
    static func forward<Layer: DropBlockLayer>(
        _ layer: Layer, _ input: Tensor, noise: Tensor?, normalNoise: Tensor?, draw: SeedDraw
    ) throws -> DropBlockResult {
        switch (noise, normalNoise) {
        case (let noise?, let normal?): return try layer.forward(input, noise: noise, normalNoise: normal)
        case (let noise?, nil): return try layer.forward(input, noise: noise, fillSeed: draw.seed)
        default: return try layer.forward(input, draw: draw)
        }
    }
}
