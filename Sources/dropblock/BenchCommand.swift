import ArgumentParser
import DropBlock
import Foundation
import Netpbm
import ProcessMetrics
import SampleAssets
import ShapeFormat
import Visualizer

/// `dropblock bench`: forward-pass throughput against the memory floor measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark DropBlock forward passes (build with -c release) against an in-place multiply on the same buffer.",
        discussion: """
            Cases: r50-g2 (32,256,56,56) bs 7, r50-g3 (32,1024,14,14) bs 7, r50-g4 (32,2048,7,7) bs 7, \
            small (8,64,32,32) bs 3, vol3d (4,32,32,32,32) bs 5; each preset that supports the rank, in place and \
            out of place. Columns: median_ms (of --repeat runs), Melem/s (input elements per second), \
            floor_Melem/s (a one-thread in-place multiply by a scalar over the same buffer, the median of \
            --repeat runs taken in turn with the row's; a few percent lower beside out-of-place rows, whose \
            second buffer shares the caches), x_floor (Melem/s over the floor's; with --threads above 1 it can pass 1), peak_rss_mb (this \
            process's peak resident memory so far). Compare ratios, not absolute numbers, on a shared machine. \
            Case frame times building and rendering one 200x60 visualizer frame of the 56x56x16 sample per \
            view; case io runs 'apply' and 'render' end to end on a 103 MB .npy against a plain copy of the \
            same file, then on the same tensor as a .safetensors file and an .npz member, each in a child process: x_copy is the time over the copy's, cpu_ms the child's CPU \
            time, peak_rss_mb its peak resident memory. Without --case, every case runs.
            """
    )

    struct Case {
        let name: String
        let shape: [Int]
        let blockSize: Int
    }

    static let cases = [
        Case(name: "r50-g2", shape: [32, 256, 56, 56], blockSize: 7),
        Case(name: "r50-g3", shape: [32, 1024, 14, 14], blockSize: 7),
        Case(name: "r50-g4", shape: [32, 2048, 7, 7], blockSize: 7),
        Case(name: "small", shape: [8, 64, 32, 32], blockSize: 3),
        Case(name: "vol3d", shape: [4, 32, 32, 32, 32], blockSize: 5),
    ]

    @Option(name: .customLong("case"), help: "Case(s) to run (repeatable): r50-g2, r50-g3, r50-g4, small, vol3d, frame, io.")
    var caseNames: [String] = []

    @Option(name: .customLong("preset"), help: "Preset(s) to run (repeatable; default all).")
    var presets: [Preset] = []

    @Option(parsing: .unconditional, help: "Override every case's block size.")
    var blockSize: Int?

    @Option(parsing: .unconditional, help: "Worker threads.")
    var threads: Int = 1

    @Option(name: .customLong("repeat"), parsing: .unconditional, help: "Timed repetitions per row (the median is reported).")
    var repetitions: Int = 9

    @Option(parsing: .unconditional, help: "Drop probability.")
    var dropProb: Double = 0.1

    @Flag(help: "One JSON object per line.")
    var json = false

    func validate() throws {
        let known = Set(Self.cases.map(\.name) + ["frame", "io"])
        for name in caseNames where !known.contains(name) {
            throw ValidationError("unknown case '\(name)' (\(known.sorted().joined(separator: ", ")))")
        }
        guard (1...1000).contains(repetitions) else { throw ValidationError("--repeat must be in 1...1000") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256") }
        if let blockSize, !(1...ParameterOptions.maximumBlockSize).contains(blockSize) {
            throw ValidationError("--block-size must be in 1...\(ParameterOptions.maximumBlockSize)")
        }
        guard dropProb.isFinite, (0...1).contains(dropProb) else { throw ValidationError("--drop-prob must be in [0, 1]") }
    }

    func run() throws {
        #if DEBUG
        FileHandle.standardError.write(Data("warning: this is a debug build; run 'swift run -c release dropblock bench' for real numbers\n".utf8))
        #endif
        let selected = caseNames.isEmpty ? Self.cases : Self.cases.filter { caseNames.contains($0.name) }
        let presetList = presets.isEmpty ? Preset.allCases : presets
        if !json && !selected.isEmpty {
            print(pad(["case", "shape", "bs", "preset", "mode", "threads", "median_ms", "Melem/s", "floor_Melem/s", "x_floor", "peak_rss_mb"]))
        }
        for benchCase in selected {
            // A preset named with --preset that cannot run a case's rank says so, rather than
            // leaving its rows out silently.
            for preset in presets where !preset.supportedSpatialRanks.contains(benchCase.shape.count - 2) {
                FileHandle.standardError.write(Data(
                    "note: \(preset.rawValue) runs \(preset.supportedSpatialRanks.map { "\($0)D" }.joined(separator: " and ")) input only: no \(benchCase.name) rows\n".utf8))
            }
            try runCase(benchCase, presets: presetList)
        }
        if caseNames.isEmpty || caseNames.contains("frame") {
            try frameBenchmark()
        }
        if caseNames.isEmpty || caseNames.contains("io") {
            try IOBenchmark(repetitions: min(repetitions, 5), json: json).run()
        }
    }

    func runCase(_ benchCase: Case, presets: [Preset]) throws {
        let count = benchCase.shape.reduce(1, *)
        var x = try Tensor(shape: benchCase.shape, storage: (0..<count).map { Float($0 & 1023) * (1.0 / 1024) })
        var output = try Tensor(shape: benchCase.shape)
        let spatialRank = benchCase.shape.count - 2
        for preset in presets where preset.supportedSpatialRanks.contains(spatialRank) {
            var parameters = DropBlockParameters(dropProb: dropProb, blockSize: blockSize ?? benchCase.blockSize, preset: preset)
            if preset.rules.needsOddBlock && parameters.blockSize % 2 == 0 { parameters.blockSize += 1 }
            var workspace = DropBlockWorkspace()
            var generator = SeededGenerator(seed: 1)
            for mode in ["inplace", "out-of-place"] {
                let (seconds, floor) = try timed(DropBlockND(parameters: parameters), mode: mode, x: &x, output: &output,
                                                 generator: &generator, workspace: &workspace)
                report(benchCase, blockSize: parameters.blockSize, preset: preset.rawValue, mode: mode, seconds: seconds,
                       elements: count, floorRate: Double(count) / floor / 1e6)
            }
        }
    }

    /// The row's median time and the floor's, their repetitions alternating (`pairedMedians`).
    func timed<Layer: DropBlockLayer>(_ layer: Layer, mode: String, x: inout Tensor, output: inout Tensor,
                                      generator: inout SeededGenerator, workspace: inout DropBlockWorkspace) throws -> (row: Double, floor: Double) {
        var failure: Error?
        let threads = self.threads
        let (seconds, floor) = pairedMedians(floor: { multiplyInPlace(&x, by: 1.0000001) }) {
            do {
                if mode == "inplace" {
                    _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: threads)
                } else {
                    _ = try layer.forward(x, into: &output, generator: &generator, workspace: &workspace, threads: threads)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return (seconds, floor)
    }

    /// The visualizer's views, each opened by its key's action (the main screen by none).
    static let frameViews: [(name: String, open: [VizAction])] = [
        ("main", []), ("grid", [.toggleGrid]), ("presets", [.togglePresets]), ("stages", [.toggleStages]),
        ("walk-through", [.walkNext]), ("zoom", [.toggleZoom]),
        // The main screen with every extra panel: dropout row, sweep and drop chances.
        ("main+x+v+d", [.toggleDropoutRow, .toggleSweep, .toggleChanceMap]),
        // The stages view with its table of expected drop by block and stage.
        ("stages+v", [.toggleStages, .toggleSweep]),
    ]

    /// Times a new draw and a 200x60 frame of each view of the 56x56x16 sample.
    func frameBenchmark() throws {
        let photo = try NetpbmImage(data: SampleAssets.photographPGM())
        let input = try SampleData.photographFeatures(FeatureBank.Image(width: photo.width, height: photo.height, pixels: photo.grey), mapSize: 56)
        let renderer = FrameRenderer(tier: .ansi256)
        let screen = ScreenSize(width: 200, height: 60)
        for view in Self.frameViews {
            var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7))
            for action in view.open { model.apply(action, screen: screen) }
            var checksum = 0
            let seconds = medianSeconds {
                model.apply(.newDraw, screen: screen)
                let frame = renderer.render(model, width: 200, height: 60)
                checksum &+= frame.cells.count
            }
            let milliseconds = seconds * 1000, peak = PeakMemory.megabytes()
            if json {
                print("{\"case\":\"frame\",\"view\":\"\(view.name)\",\"shape\":[200,60],\"input\":[2,16,56,56],"
                      + "\"median_ms\":\(format(milliseconds)),\"peak_rss_mb\":\(format(peak))}")
            } else {
                print("frame: \(view.name.padding(toLength: 12, withPad: " ", startingAt: 0)) build + render a 200x60 frame of a "
                      + "(2,16,56,56) input: \(format(milliseconds)) ms (median of \(repetitions)), peak_rss_mb \(format(peak))")
            }
            _ = checksum
        }
    }

    /// The memory floor: one multiply per element, in place.
    func multiplyInPlace(_ x: inout Tensor, by factor: Float) {
        x.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] *= factor }
        }
    }

    /// Median wall time of `repetitions` runs after one warm-up run.
    func medianSeconds(_ body: () -> Void) -> Double {
        body()
        var samples: [Double] = []
        for _ in 0..<repetitions { samples.append(Self.seconds(body)) }
        return Self.median(samples)
    }

    /// Median wall times of `body` and of the memory floor `floor`, `repetitions` runs each,
    /// taken in turn: a floor timed apart from its row, before the case's rows, moved the small
    /// case's ratio between 0.37x and 0.49x for the same code as the shared machine's load
    /// changed. Each timed run follows an untimed one of its own kind, so that it finds the
    /// caches as a run of the same kind leaves them, as when each was timed in a row of its own
    /// (an out-of-place row writes a second buffer, which evicts a floor's input from L2).
    func pairedMedians(floor: () -> Void, _ body: () -> Void) -> (body: Double, floor: Double) {
        var bodies: [Double] = [], floors: [Double] = []
        for _ in 0..<repetitions {
            floor()
            floors.append(Self.seconds(floor))
            body()
            bodies.append(Self.seconds(body))
        }
        return (Self.median(bodies), Self.median(floors))
    }

    /// The wall time of one run of `body`.
    static func seconds(_ body: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// The median of `samples` (the upper one of an even count), which must not be empty.
    static func median(_ samples: [Double]) -> Double {
        samples.sorted()[samples.count / 2]
    }

    func report(_ benchCase: Case, blockSize: Int, preset: String, mode: String, seconds: Double, elements: Int, floorRate: Double) {
        let rate = Double(elements) / seconds / 1e6
        let shape = "(" + benchCase.shape.map(String.init).joined(separator: ",") + ")"
        if json {
            let shapeJSON = "[" + benchCase.shape.map(String.init).joined(separator: ",") + "]"
            print("{\"case\":\"\(benchCase.name)\",\"shape\":\(shapeJSON),\"block_size\":\(blockSize),\"preset\":\"\(preset)\",\"mode\":\"\(mode)\",\"threads\":\(threads),\"median_ms\":\(format(seconds * 1000)),\"melem_per_s\":\(format(rate)),\"floor_melem_per_s\":\(format(floorRate)),\"peak_rss_mb\":\(format(PeakMemory.megabytes()))}")
        } else {
            print(pad([benchCase.name, shape, String(blockSize), preset, mode, String(threads), TableNumber.text(seconds * 1000),
                       TableNumber.text(rate), TableNumber.text(floorRate), String(format: "%.2f", rate / floorRate),
                       TableNumber.text(PeakMemory.megabytes())]))
        }
    }

    func format(_ value: Double) -> String { String(format: "%.4g", value) }

    func pad(_ cells: [String]) -> String {
        let widths = [7, 19, 3, 12, 13, 7, 10, 9, 13, 7, 11]
        var line = zip(cells, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
        while line.last == " " { line.removeLast() }
        return line
    }
}
