import Foundation

/// Options of a forward pass that do not change its result's values.
public struct ForwardOptions: Sendable, Equatable {
    /// Every core of this machine, read once: the count reads files under /proc and /sys,
    /// which costs more than a small pass (the visualizer's).
    public static let allCores: Int = ProcessInfo.processInfo.activeProcessorCount

    /// Also return where seeds fell (the visualizer shows them).
    public var recordSeeds: Bool
    /// Worker threads for building masks and applying them (default: all cores; small
    /// tensors use fewer). Results do not depend on it.
    public var threads: Int
    /// The least work (tensor elements) worth a thread of its own (see
    /// `DropBlockWorkspace.minimumUnitsPerWorker`); lower it to run several workers on a
    /// small tensor, as the threading tests do. Results do not depend on it.
    public var minimumUnitsPerWorker: Int

    /// The default of `minimumUnitsPerWorker`: below 262144 elements (1 MB of floats) per worker, more threads
    /// cost more than they save.
    public static let defaultMinimumUnitsPerWorker = DropBlockEngine.defaultUnitsPerWorker

    /// Creates options; by default no seed map and all cores.
    public init(recordSeeds: Bool = false, threads: Int = ForwardOptions.allCores,
                minimumUnitsPerWorker: Int = ForwardOptions.defaultMinimumUnitsPerWorker) {
        self.recordSeeds = recordSeeds
        self.threads = max(1, threads)
        self.minimumUnitsPerWorker = max(1, minimumUnitsPerWorker)
    }
}
