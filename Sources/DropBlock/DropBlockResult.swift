import Foundation

/// What one forward pass produced: the tensors, and the numbers of `DropBlockSummary`
/// (`result.gamma`, `result.scale`, `result.droppedFraction`, ... read through to it).
@dynamicMemberLookup
public struct DropBlockResult: Sendable {
    /// `input * keepMask * scale` (or the input itself when the layer is the identity).
    public var output: Tensor
    /// The 0/1 keep mask, `(N, 1 or C, *spatial)`: channel extent 1 when shared.
    public var keepMask: Tensor
    /// 1 where a seed fell, same shape as `keepMask`; only when `ForwardOptions.recordSeeds`.
    public var seedMask: Tensor?
    /// Gamma, scale, dropped fraction, seed count and flags.
    public var summary: DropBlockSummary

    /// The summary's fields, read through the result (`result.gamma`, `result.scale`, ...).
    public subscript<Value>(dynamicMember keyPath: KeyPath<DropBlockSummary, Value>) -> Value {
        summary[keyPath: keyPath]
    }
}

extension DropBlockResult {
    /// The allocating forward pass, built on the engine's buffer API.
    ///
    /// The identity (eval, or p == 0) builds nothing it would throw away: the output is the
    /// input itself (shared storage, no copy) and the masks are made directly as results.
    static func compute(input: Tensor, plan: DropPlan, source: SeedSource, fill: GaussianFill, options: ForwardOptions) -> DropBlockResult {
        let maskCount = plan.maskShape.reduce(1, *)
        if plan.isIdentity {
            return DropBlockResult(
                output: input,
                keepMask: Tensor(validShape: plan.maskShape, storage: [Float](repeating: 1, count: maskCount)),
                seedMask: options.recordSeeds ? Tensor(validShape: plan.maskShape, storage: [Float](repeating: 0, count: maskCount)) : nil,
                summary: .identity)
        }
        var workspace = DropBlockWorkspace()
        workspace.minimumUnitsPerWorker = options.minimumUnitsPerWorker
        var output = Tensor(validShape: input.shape, storage: [Float](repeating: 0, count: input.count))
        var seeds = [Float](repeating: 0, count: options.recordSeeds ? maskCount : 0)
        let summary = input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { out in
                seeds.withUnsafeMutableBufferPointer { record in
                    DropBlockEngine.run(input: x, output: out, plan: plan, source: source, fill: fill, threads: options.threads,
                                        workspace: &workspace, seedRecord: options.recordSeeds ? record.baseAddress : nil)
                }
            }
        }
        return DropBlockResult(
            output: output,
            keepMask: workspace.keepMask(),
            seedMask: options.recordSeeds ? Tensor(validShape: plan.maskShape, storage: seeds) : nil,
            summary: summary)
    }
}
