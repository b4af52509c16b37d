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

    public subscript<Value>(dynamicMember keyPath: KeyPath<DropBlockSummary, Value>) -> Value {
        summary[keyPath: keyPath]
    }
}

/// Options of a forward pass that do not change its result's values.
public struct ForwardOptions: Sendable, Equatable {
    /// Every core of this machine.
    public static var allCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Also return where seeds fell (the visualizer shows them).
    public var recordSeeds: Bool
    /// Worker threads for building masks and applying them (default: all cores; small
    /// tensors use fewer). Results do not depend on it.
    public var threads: Int

    /// Creates options; by default no seed map and all cores.
    public init(recordSeeds: Bool = false, threads: Int = ForwardOptions.allCores) {
        self.recordSeeds = recordSeeds
        self.threads = max(1, threads)
    }
}

extension DropBlockResult {
    /// The allocating forward pass, built on the engine's buffer API.
    static func compute(input: Tensor, plan: DropPlan, source: SeedSource, fillKey: UInt64, options: ForwardOptions) -> DropBlockResult {
        var workspace = DropBlockWorkspace()
        var output = [Float](repeating: 0, count: input.count)
        var seeds: [Float]? = options.recordSeeds ? [Float](repeating: 0, count: plan.maskShape.reduce(1, *)) : nil
        let summary = input.storage.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { out in
                if seeds != nil {
                    return seeds!.withUnsafeMutableBufferPointer { record in
                        DropBlockEngine.run(input: x.baseAddress!, output: out.baseAddress!, plan: plan, source: source, fillKey: fillKey,
                                            threads: options.threads, workspace: &workspace, seedRecord: record.baseAddress)
                    }
                }
                return DropBlockEngine.run(input: x.baseAddress!, output: out.baseAddress!, plan: plan, source: source, fillKey: fillKey,
                                           threads: options.threads, workspace: &workspace)
            }
        }
        return DropBlockResult(
            output: summary.isIdentity ? input : Tensor(validShape: input.shape, storage: output),
            keepMask: workspace.keepMask(),
            seedMask: seeds.map { Tensor(validShape: plan.maskShape, storage: $0) },
            summary: summary)
    }
}
