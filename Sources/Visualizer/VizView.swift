import DropBlock

/// What the current state shows: one draw on the selected sample, with its numbers.
public struct VizView: Sendable {
    /// The forward pass on the selected sample (nil only if the configuration is invalid).
    public let result: DropBlockResult?
    /// The plan of that pass (gamma, geometry, expected drop).
    public let plan: DropPlan?
    /// Plain dropout (block size 1) at the realized rate, when the comparison row is on.
    public let dropout: DropBlockResult?
    /// Expected drop fraction against block size, when the sweep panel is on.
    public let sweep: [SweepPoint]
    /// Why there is no result.
    public let error: String?
    /// The selected channel's (and slice's) own numbers in this draw.
    public var stats: SelectionStats = .none
    /// The same for the dropout row.
    public var dropoutStats: SelectionStats = .none
    /// Units of the sample that are finite in the input and not in the output: `|x| * scale`
    /// past float32's largest value, as the references' product gives too.
    public var overflowed = 0

    static let empty = VizView(result: nil, plan: nil, dropout: nil, sweep: [], error: nil)

    /// 3D: the seed depths whose blocks reach `slice` (nil in 2D).
    static func depthReach(geometry: SeedGeometry, slice: Int) -> ClosedRange<Int>? {
        guard geometry.spatial.count == 3 else { return nil }
        // A seed at depth d drops [d - lo, d - lo + k): it reaches slice z when z + lo - k + 1 <= d <= z + lo.
        let k = geometry.window[0], lo = geometry.lowOffset[0]
        return (slice + lo - k + 1)...(slice + lo)
    }

    /// One bar of the sweep panel.
    public struct SweepPoint: Sendable, Equatable {
        /// The bar's block size.
        public let blockSize: Int
        /// Expected dropped fraction with the preset's own gamma (nil: the preset rejects this size).
        public let expected: Double?
        /// With calibrated gamma: `p`, or the maximum reachable when `p` is not.
        public let calibrated: Double?
    }

    static func compute(model: VizModel) -> VizView {
        let input = model.input
        let sampleTensor = input.sample(model.sample)
        // The numbered draw of this sample (SeedDraw): the same key presses give the same pictures,
        // and `dropblock apply --draw K --first-sample S` gives the same masks.
        let draw = SeedDraw(seed: model.seed, index: model.draw, firstSample: model.sample)
        // The dropout row draws from the same sample stream, after the two keys the draw took.
        var generator = SeededGenerator(key: model.seed, stream: (model.draw << 20) | UInt64(model.sample))
        generator.skip(2)
        do {
            let plan = try VizModel.plan(input: input, parameters: model.parameters)
            let options = ForwardOptions(recordSeeds: true)
            let result: DropBlockResult
            if case .seeds(let placement) = model.modal {
                // Seeds by hand: the core's noise-replay path, u = 0 at the seeds and 1 elsewhere.
                let noise = try placement.noise(plan: plan, channel: model.channel)
                result = try DropBlockND(parameters: model.parameters).forward(sampleTensor, noise: noise, options: options)
            } else {
                result = try DropBlockND(parameters: model.parameters).forward(sampleTensor, draw: draw, options: options)
            }
            var dropout: DropBlockResult?
            if model.main.extras.contains(.dropoutRow) {
                var plain = DropBlockParameters(dropProb: result.droppedFraction, blockSize: 1, preset: .dropblock)
                plain.isTraining = model.parameters.isTraining
                plain.sharing = model.parameters.sharesMask ? .shared : .perChannel
                dropout = try DropBlockND(parameters: plain).forward(sampleTensor, generator: &generator)
            }
            let sweep = !model.main.extras.contains(.sweep) ? [] : model.sweepCache?.points ?? sweepPoints(input: input, parameters: model.parameters)
            var view = VizView(result: result, plan: plan, dropout: dropout, sweep: sweep, error: nil)
            view.overflowed = Self.overflowed(input: sampleTensor, output: result.output)
            view.measure(model: model)
            return view
        } catch {
            return VizView(result: nil, plan: nil, dropout: nil, sweep: [], error: error.description)
        }
    }

    /// How many units are finite in `input` and not in `output` (a non-finite input stays
    /// non-finite: `NonFiniteCount`).
    static func overflowed(input: Tensor, output: Tensor) -> Int {
        max(0, NonFiniteCount.of(output) - NonFiniteCount.of(input))
    }

    /// Sets the selected channel's (and slice's) numbers for `model`'s channel and slice.
    mutating func measure(model: VizModel) {
        guard let result, let plan else { return }
        let reach = plan.geometry.flatMap { VizView.depthReach(geometry: $0, slice: model.slice) }
        stats = SelectionStats.compute(result: result, channel: model.channel, slice: model.slice, depthReach: reach)
        if let dropout {
            dropoutStats = SelectionStats.compute(result: dropout, channel: model.channel, slice: model.slice, depthReach: nil)
        }
    }

    /// Everything a draw depends on besides the input and the seed: a model keeps its draw
    /// while this stays the same, so keys that change only what is shown (a view, the
    /// channel, the slice, the zoom) cost no new pass (on a 4000x4000 map each cost 0.5 s).
    struct Key: Equatable {
        let parameters: DropBlockParameters
        let draw: UInt64, sample: Int
        /// Seed mode's seeds and the channel they are placed in (nil outside seed mode).
        let handPlaced: Set<[Int]>?, channel: Int?
        let dropoutRow: Bool, sweep: Bool

        init(model: VizModel) {
            parameters = model.parameters
            (draw, sample) = (model.draw, model.sample)
            if case .seeds(let placement) = model.modal {
                (handPlaced, channel) = (placement.seeds, model.channel)
            } else {
                (handPlaced, channel) = (nil, nil)
            }
            dropoutRow = model.main.extras.contains(.dropoutRow)
            sweep = model.main.extras.contains(.sweep)
        }
    }

    /// Expected drop against block size 1...largest side (at most 64 sizes); a preset that
    /// takes odd sizes only gets no column for an even one (round 23: torchvision's even
    /// labels sat under empty columns), nor for a size it cannot run where it runs others
    /// (round 25: on an 8x16x16 volume torchvision clips 9-15 to the even 8, and their blank
    /// bars read as "expected 0").
    static func sweepPoints(input: VizInput, parameters: DropBlockParameters) -> [SweepPoint] {
        let points = allSweepPoints(input: input, parameters: parameters)
        let runnable = points.filter { $0.expected != nil }
        return runnable.isEmpty ? points : runnable
    }

    private static func allSweepPoints(input: VizInput, parameters: DropBlockParameters) -> [SweepPoint] {
        let largest = min(input.largestSide, 64)
        let odd = parameters.preset.rules.needsOddBlock
        return (1...largest).filter { !odd || $0 % 2 == 1 }.map { size in
            var candidate = parameters
            candidate.blockSize = size
            candidate.calibrated = false
            guard let geometry = try? SeedGeometry(preset: parameters.preset, spatial: input.spatial, blockSize: size) else {
                return SweepPoint(blockSize: size, expected: nil, calibrated: nil)
            }
            let expected = geometry.expectedDropFraction(gamma: candidate.presetGamma(spatial: input.spatial))
            let calibrated = GammaCalibration(target: parameters.dropProb, geometry: geometry).expected
            return SweepPoint(blockSize: size, expected: expected, calibrated: calibrated)
        }
    }
}
