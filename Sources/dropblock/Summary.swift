import DropBlock
import Visualizer

/// The one-line `key=value` summary of a forward pass: `RunSummary`'s fields, as the status
/// line has them, with six significant digits (a log line has the room) and the seed count.
enum Summary {
    static func line(result: DropBlockSummary, plan: DropPlan) -> String {
        let details = ["seeds=\(result.seedCount)"] + (result.isIdentity ? ["identity"] : [])
        return RunSummary.fields(parameters: plan.parameters, plan: plan, summary: result, digits: 6,
                                 shape: plan.shape, details: details).joined(separator: " ")
    }
}
