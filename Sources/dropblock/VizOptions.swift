import ArgumentParser
import DropBlock
import Foundation
import Netpbm
import NumpyIO
import SampleAssets
import ShapeFormat
import Visualizer

/// What `viz` and `render` share: the input and the initial state.
struct VizOptions: ParsableArguments {
    @Argument(help: "A .npy, .npz or .safetensors array of rank 2 (H,W), 3 (C,H,W), 4 (N,C,H,W) or 5 (N,C,D,H,W), or a PGM/PPM image. Default: the embedded photograph's feature maps.")
    var file: String?

    @Option(help: "The array to show from a file that holds several (default: the first that can be shown).")
    var array: String?

    @Option(help: "The array's axes: nchw, nhwc, chw, hwc, hw, ncdhw or ndhwc (default: channels first by rank).")
    var layout: TensorLayout?

    @OptionGroup var parameters: ParameterOptions

    @Option(parsing: .unconditional, help: "Scheduler START:STOP:STEPS (LinearScheduler; default 0:<drop-prob>:10).")
    var schedule: String?

    @Option(parsing: .unconditional, help: "Channel to show first (0-based).")
    var channel: Int = 0

    @Option(help: "Colour: auto, never, 8, 16, 256 or truecolor.")
    var color: ColorChoice = .auto

    @Flag(name: .customLong("3d-demo"), help: "Show a synthetic volume with 3D DropBlock.")
    var threeDDemo = false

    @Option(parsing: .unconditional, help: "Map size of the embedded sample's feature maps: 56, 28, 14 or 7 (ResNet stages at 224 px; default 28).")
    var mapSize: Int?

    func validate() throws {
        if let mapSize {
            guard [56, 28, 14, 7].contains(mapSize) else { throw ValidationError("--map-size must be 56, 28, 14 or 7, got \(mapSize)") }
            // It sizes the embedded photograph's maps; a file's maps are its own (it was ignored without a word).
            if file != nil || threeDDemo { throw ValidationError("--map-size sizes the embedded photograph's maps: it takes no FILE or --3d-demo") }
        }
        guard channel >= 0 else { throw ValidationError("--channel must be >= 0, got \(channel)") }
        if threeDDemo && file != nil { throw ValidationError("--3d-demo takes no FILE") }
        if let file, let command = SubcommandSuggestion.meant(by: file) {
            throw ValidationError("no file named '\(file)', and no subcommand of that name: did you mean 'dropblock \(command)'?")
        }
        // Both describe a FILE's arrays; without one they were ignored without a word.
        if file == nil, let option = array.map({ _ in "--array" }) ?? layout.map({ _ in "--layout" }) {
            throw ValidationError("\(option) reads a FILE's arrays, and none is given (the embedded sample is used without it)")
        }
        if let schedule {
            let parsed: Schedule
            do { parsed = try Schedule.parse(schedule) } catch { throw ValidationError("--schedule: \(error.description)") }
            // The library allows it (numpy's linspace of 0 values); here `s` would do nothing, as `step=0/0` said.
            guard parsed.steps > 0 else { throw ValidationError("--schedule: STEPS 0 gives no values for s to step through; use 1 or more") }
        }
    }

    /// Loads the input and builds the session (the model, and the file's other arrays for
    /// `l`/`L`); every error here comes before any screen opens.
    func makeSession(writer: (any VizDrawWriter)? = nil) throws -> VizSession {
        let (input, source, index) = try loadInput()
        guard channel < input.channels else {
            // A usage error (exit 2), as --channel -1 is: known only once the file is read.
            throw ValidationError("--channel \(channel) is out of range: the input has \(input.channels) channel(s)")
        }
        var params = DropBlockParameters(dropProb: parameters.dropProb, blockSize: parameters.blockSize, preset: parameters.preset)
        params.calibrated = parameters.calibrated
        // One sample's pass: its mask's building scratch, its output, and the keep mask and seeds
        // the view keeps as floats (a failed allocation would trap, not print an error line).
        let sampleShape = [1] + input.shape.dropFirst()
        if let plan = try? DropBlockND(parameters: params).plan(for: sampleShape) {
            try MemoryProbe.require(VizMemory.passBytes(plan: plan, replaysNoise: false), for: "showing a sample \(ShapeText.tuple(sampleShape))")
        }
        let parsedSchedule = try schedule.map { try Schedule.parse($0) }
        var model = try VizModel(input: input, parameters: params, seed: parameters.seed, schedule: parsedSchedule, channel: channel,
                                 memory: SystemMemoryGate())
        if let source, !source.skipped.isEmpty {
            model.note("skipped: " + ArrayFile.Skipped.list(source.skipped))
        }
        return VizSession(model: model, source: source, arrayIndex: index, writer: writer)
    }

    /// The first input to show, and for a file the source of its other arrays.
    func loadInput() throws -> (VizInput, ArrayInputSource?, Int) {
        if threeDDemo { return (try SampleData.volumeDemo(), nil, 0) }
        guard let file else {
            let photo = try NetpbmImage(data: SampleAssets.photographPGM())
            let image = FeatureBank.Image(width: photo.width, height: photo.height, pixels: photo.grey)
            return (try SampleData.photographFeatures(image, mapSize: mapSize ?? 28), nil, 0)
        }
        let source = ArrayInputSource(file: try ArrayFile(file, what: "input", images: true), layout: layout)
        // --array picks one; without it, the first array that can be shown.
        let listing = try array.map { try source.file.choose($0) } ?? source.listings.first
            ?? source.file.choose(nil)
        guard let index = source.listings.firstIndex(of: listing) else {
            // The reason the source left it out (its rank, or a classifier's (N, features) beside maps).
            let reason = source.skipped.first { $0.name == listing.name }?.reason ?? "rank 2 to 5"
            throw CLIError("input \(file): array '\(listing.name)' cannot be shown: \(reason)")
        }
        if let hint = TensorLayout.hint(shape: listing.shape, name: source.file.label(listing), given: layout) {
            FileHandle.standardError.write(Data((hint + "\n").utf8))
        }
        return (try source.load(index), source, index)
    }
}
