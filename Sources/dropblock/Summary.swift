import DropBlock
import Visualizer

/// The one-line `key=value` summary of a forward pass: `RunSummary`'s fields, as the status
/// line has them, with six significant digits (a log line has the room), the exact scale
/// (the float32 the pass multiplied by, to rebuild an output from its mask) and the seed count.
enum Summary {
    /// The line for a pass over an input of `shape` as its file has it (channels last, when it
    /// is), which `plan` saw in channels-first order.
    static func line(result: DropBlockSummary, plan: DropPlan, shape: [Int]) -> String {
        let details = ["seeds=\(result.seedCount)"] + (result.isIdentity ? ["identity"] : [])
        return RunSummary.fields(parameters: plan.parameters, plan: plan, summary: result, digits: 6,
                                 exactScale: true, shape: shape, details: details).joined(separator: " ")
    }
}
