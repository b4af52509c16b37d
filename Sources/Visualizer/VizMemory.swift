import DropBlock

/// The bytes the draws of a model's state allocate, worked out from shapes before they run.
/// Each figure is an upper bound, and `Int.max` when it overflows.
public enum VizMemory {
    /// One forward pass on one sample of `plan` (its shape has a batch of one), as the main
    /// screen keeps it: the decoded sample, the output, the keep mask and seeds as floats, and
    /// what building the mask holds at its peak (`DropBlockMask.buildBytes`; `replaysNoise`
    /// for a pass that replays a recorded draw, as seed mode and the presets view do).
    public static func passBytes(plan: DropPlan, replaysNoise: Bool) -> Int {
        let floats = sum([plan.shape.reduce(1, *), plan.shape.reduce(1, *), plan.maskShape.reduce(1, *), plan.maskShape.reduce(1, *)])
        return sum([product(floats, MemoryLayout<Float>.stride), DropBlockMask.buildBytes(for: plan, replaysNoise: replaysNoise)])
    }

    /// What computing `model`'s state allocates, part by part (0 for a part that is off).
    struct Needs {
        /// The main screen's draw.
        var main = 0
        /// The dropout row's pass (`x`).
        var dropout = 0
        /// Seed mode's noise (`i`).
        var seeds = 0
        /// The presets view's field, noise and passes (`p`), unless its columns are already computed.
        var presets = 0
        /// The stages view's passes (`b`).
        var stages = 0

        /// Everything together.
        var total: Int { VizMemory.sum([main, dropout, seeds, presets, stages]) }
    }

    /// What `model`'s state needs, with `comparisonKept` when the presets view's columns stay
    /// as they are, and `drawKept` when the main screen's draw (with its dropout row and
    /// seed mode's noise) does.
    static func needs(_ model: VizModel, comparisonKept: Bool, drawKept: Bool) -> Needs {
        var needs = Needs()
        let input = model.input, parameters = model.parameters
        guard let plan = try? VizModel.plan(input: input, parameters: parameters) else { return needs }
        let seedMode: Bool
        if case .seeds = model.modal { seedMode = true } else { seedMode = false }
        if !drawKept { needs.main = passBytes(plan: plan, replaysNoise: seedMode) }
        if !drawKept && model.main.extras.contains(.dropoutRow) {
            var plain = DropBlockParameters(dropProb: parameters.dropProb, blockSize: 1, preset: .dropblock)
            plain.sharing = parameters.sharesMask ? .shared : .perChannel
            needs.dropout = (try? VizModel.plan(input: input, parameters: plain)).map { passBytes(plan: $0, replaysNoise: false) } ?? needs.main
        }
        if seedMode && !drawKept { needs.seeds = product(plan.noiseShape.reduce(1, *), MemoryLayout<Float>.stride) }
        switch model.activeScreen.kind {
        case .presets where !comparisonKept:
            // The shared field over the sample, then one column at a time: its noise and pass;
            // each column keeps the selected channel's keep mask and seeds.
            let sample = product(input.channels, input.spatial.reduce(1, *))
            let column = PresetComparison.presets.map { preset -> Int in
                var each = parameters
                each.preset = preset
                guard let plan = try? VizModel.plan(input: input, parameters: each) else { return 0 }
                return sum([product(plan.noiseShape.reduce(1, *), MemoryLayout<Float>.stride), passBytes(plan: plan, replaysNoise: true)])
            }.max() ?? 0
            let kept = product(PresetComparison.presets.count, product(2 * MemoryLayout<Float>.stride, input.spatial.reduce(1, *)))
            needs.presets = sum([product(sample, MemoryLayout<Float>.stride), column, kept])
        case .stages:
            // Each stage runs its own pass (the shown one reuses the main draw: counted anyway,
            // a bound), and the rows are kept together.
            needs.stages = sum(input.stages.map { stage in
                let shape = [1] + stage.tensor.shape.dropFirst()
                guard let plan = try? DropBlockND(parameters: parameters).plan(for: shape) else { return 0 }
                return passBytes(plan: plan, replaysNoise: false)
            })
        default:
            break
        }
        return needs
    }

    /// `a * b`, or `Int.max` when it overflows (both are counts, never negative).
    static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : value
    }

    /// The sum of `parts`, or `Int.max` when it overflows.
    static func sum(_ parts: [Int]) -> Int {
        parts.reduce(0) { $0 > Int.max - $1 ? Int.max : $0 + $1 }
    }
}
