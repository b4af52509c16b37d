/// Reusable scratch memory for repeated forward passes.
///
/// Pass the same workspace to every call (training loops, benchmarks): once it has seen
/// the largest shape, a forward pass allocates nothing. It also holds the last pass's
/// mask, one byte per unit (1 = dropped), shape `(N, 1 or C, *spatial)`.
public struct DropBlockWorkspace: Sendable {
    /// 1 where the last pass dropped a unit.
    public internal(set) var droppedMask: [UInt8] = []
    /// The mask's shape `(N, 1 or C, *spatial)`.
    public internal(set) var maskShape: [Int] = []
    /// The least work (tensor elements) worth a thread of its own: passes run
    /// `min(threads, maps, elements / minimumUnitsPerWorker)` workers, at least one.
    /// The default, 65536, suits real tensors; tests lower it to run several workers on
    /// small ones. Results do not depend on it.
    public var minimumUnitsPerWorker: Int = ForwardOptions.defaultMinimumUnitsPerWorker
    var builders: [MaskBuilder] = []
    var builderGeometry: SeedGeometry?
    var droppedPerWorker: [Int] = []
    /// Per worker, a tile of multipliers (0 or scale): copies of one shared map.
    var factors: [Float] = []
    var seedsPerWorker: [Int] = []

    /// The last plan made here, reused while the parameters and shape stay the same.
    var cachedPlan: DropPlan?

    /// An empty workspace; the first pass sizes it.
    public init() {}

    /// The plan for `shape`: the cached one when nothing changed (no allocation, and no
    /// repeated gamma calibration), else a new one, cached.
    mutating func plan(parameters: DropBlockParameters, shape: [Int], spatialRank: Int) throws(DropBlockError) -> DropPlan {
        if let cachedPlan, cachedPlan.parameters == parameters, cachedPlan.shape == shape, cachedPlan.spatial.count == spatialRank {
            return cachedPlan
        }
        let plan = try DropPlan(parameters: parameters, shape: shape, spatialRank: spatialRank)
        cachedPlan = plan
        return plan
    }

    /// Makes room for `plan` with `workers` threads, keeping what is already big enough.
    mutating func prepare(plan: DropPlan, geometry: SeedGeometry, workers: Int) {
        let count = plan.batch * plan.maskChannels * geometry.mapSize
        if droppedMask.count != count {
            droppedMask = [UInt8](repeating: 0, count: count)
        }
        maskShape = plan.maskShape
        if builderGeometry != geometry || builders.count < workers {
            builders = (0..<workers).map { _ in MaskBuilder(geometry: geometry) }
            builderGeometry = geometry
        }
        let factorCount = workers * DropBlockEngine.factorUnits(mapSize: geometry.mapSize)
        if factors.count < factorCount {
            factors = [Float](repeating: 0, count: factorCount)
        }
        if droppedPerWorker.count < workers {
            droppedPerWorker = [Int](repeating: 0, count: workers)
            seedsPerWorker = [Int](repeating: 0, count: workers)
        }
    }

    /// The last pass's keep mask as 0/1 floats (allocates; for results and files).
    public func keepMask() -> Tensor {
        let keep = [Float](unsafeUninitializedCapacity: droppedMask.count) { buffer, initialized in
            droppedMask.withUnsafeBufferPointer { dropped in
                for i in dropped.indices { buffer[i] = dropped[i] == 0 ? 1 : 0 }
            }
            initialized = droppedMask.count
        }
        return Tensor(validShape: maskShape, storage: keep)
    }
}
