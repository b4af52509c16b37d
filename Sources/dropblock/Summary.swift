import DropBlock
import Visualizer

/// The one-line `key=value` summary of a forward pass: `RunSummary`'s fields, as the status
/// line has them, with six significant digits (a log line has the room), the exact scale
/// (the float32 the pass multiplied by, to rebuild an output from its mask) and the seed count.
enum Summary {
    /// The line for a pass over an input of `shape` as its file has it (channels last, when it
    /// is), which `plan` saw in channels-first order. `draw` names where the seeds came from,
    /// as the status line does (`draw=K seed=S`, with `first_sample=` when not 0), or nil for a
    /// replayed noise file (`draw=replayed`). `nonFinite` counts the input's and the output's
    /// NaN and Inf units: `nonfinite=` the input's, `overflow=` the finite units that became
    /// non-finite (each only when not 0, as on the status line).
    /// `fillSeed`: the seed of timm's Gaussian fill when the uniform draw is replayed and the
    /// fill is not (`fill_seed=`).
    static func line(result: DropBlockSummary, plan: DropPlan, shape: [Int], draw: SeedDraw?, fillSeed: UInt64? = nil,
                     nonFinite: (input: Int, output: Int) = (0, 0)) -> String {
        let source = draw.map { ["draw=\($0.index)", "seed=\($0.seed)"] + ($0.firstSample == 0 ? [] : ["first_sample=\($0.firstSample)"]) }
            ?? ["draw=replayed"] + (fillSeed.map { ["fill_seed=\($0)"] } ?? [])
        let overflowed = max(0, nonFinite.output - nonFinite.input)
        let details = source + ["mode=\(plan.parameters.isTraining ? "train" : "eval")", "seeds=\(result.seedCount)"]
            + (nonFinite.input > 0 ? ["nonfinite=\(nonFinite.input)"] : []) + (overflowed > 0 ? ["overflow=\(overflowed)"] : [])
            + (result.isIdentity ? ["identity"] : []) + timmFlags(plan.parameters)
            // The status line's flag for a block as large as the map (round 24: apply said nothing).
            + (RunSummary.blockNote(plan: plan).map { [$0] } ?? [])
        return RunSummary.fields(parameters: plan.parameters, plan: plan, summary: result, digits: 6,
                                 exactScale: true, shape: shape, details: details).joined(separator: " ")
    }

    /// timm's options where they differ from its defaults, as flags (`with_noise` fills the
    /// dropped units, so `scale=1` there is not a pass that dropped nothing).
    static func timmFlags(_ parameters: DropBlockParameters) -> [String] {
        guard parameters.preset == .timm else { return [] }
        let timm = parameters.timm
        return (timm.gammaScale == 1 ? [] : ["gamma_scale=\(RunSummary.number(timm.gammaScale, digits: 6))"])
            + (timm.coupleChannels ? [] : ["no_couple_channels"]) + (timm.scaleByKeep ? [] : ["no_scale_by_keep"])
            + (timm.withNoise ? ["with_noise"] : [])
    }
}
