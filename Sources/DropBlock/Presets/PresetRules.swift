/// Everything that makes a preset that preset: one value per preset, handed out by
/// `Preset.rules`.
///
/// The engine, the plan, the expected-rate math and the visualizer ask these rules and never
/// switch on the preset, so a new preset is one new conforming type plus its line in
/// `Preset.rules`. Methods are called once per pass (or per plan), never per unit: the hot
/// loops use the plain values they return (`SeedRule`, `RescaleOutcome`, `SeedGeometry`).
public protocol PresetRules: Sendable {
    /// The enum case these rules belong to.
    var preset: Preset { get }
    /// The library and version whose semantics are reproduced, e.g. `timm 1.0.31`.
    var library: String { get }
    /// The spatial ranks the preset supports (2 for `(N, C, H, W)`, 3 for `(N, C, D, H, W)`).
    var supportedSpatialRanks: [Int] { get }
    /// Whether the library is the paper's authors' own code, whose gamma is the paper's Eq. 1
    /// and whose seeds fall only where a whole block fits (the walk-through says which preset
    /// teaches the paper's formula).
    var isPaperAuthorsCode: Bool { get }
    /// Whether the gamma formula leaves out Eq. 1's factor for the share of seed positions,
    /// `W^2 / (W-bs+1)^2`, as PyPI dropblock's `p / bs^2` does.
    var gammaOmitsSeedPositionShare: Bool { get }

    /// Checks the preset's own options (the rank-independent checks of every preset are
    /// `DropBlockParameters.validate()`'s).
    func validateOptions(_ parameters: DropBlockParameters) throws(DropBlockError)
    /// Whether the reference shares one mask across all channels of a sample with these options.
    func sharesMaskByDefault(_ parameters: DropBlockParameters) -> Bool
    /// Whether timm's options (`TimmOptions`) mean anything to this preset.
    var readsTimmOptions: Bool { get }
    /// Whether dropped units are filled with Gaussian noise instead of zeros (then no rescaling).
    func fillsDroppedWithNoise(_ parameters: DropBlockParameters) -> Bool

    /// The seed probability of the reference's formula, computed in its expression order and
    /// precision, so the value matches bit for bit.
    func gamma(_ parameters: DropBlockParameters, spatial: [Int]) -> Double
    /// The gamma formula with its numbers filled in, for the walk-through view,
    /// e.g. `gamma = p / bs^2 = 0.1 / 7^2 = 0.002041`. `format` renders each real number.
    func gammaFormula(_ parameters: DropBlockParameters, spatial: [Int], format: (Double) -> String) -> String

    /// The seed region and block window per axis on a map of extent `spatial`; the map's rank,
    /// emptiness and size are already checked. Call `SeedGeometry(preset:spatial:blockSize:)`
    /// rather than this.
    /// - Throws: the preset's own shape errors (torchvision's even block, tf's non-square map).
    func seedGeometry(spatial: [Int], blockSize: Int) throws(DropBlockError) -> SeedGeometry
    /// The geometry a pass with seed probability `gamma` actually seeds: `geometry` itself,
    /// except where the reference's seed rule lets seeds outside the region at that gamma.
    func seedGeometry(_ geometry: SeedGeometry, atGamma gamma: Double) -> SeedGeometry
    /// How a uniform draw `u` becomes a seed at `gamma`.
    func seedRule(gamma: Double) -> SeedRule
    /// Why seeds fall only where they may, one sentence for the walk-through view.
    var seedRegionNote: String { get }
    /// Why a position outside the seed region cannot hold a seed, a clause for seed placement.
    var seedRegionReason: String { get }
    /// Why the expected drop differs from `p` at the preset's own finite, positive gamma, a clause
    /// for the walk-through view (the caller explains an infinite or negative gamma itself).
    func expectedRateReason(_ parameters: DropBlockParameters, geometry: SeedGeometry) -> String
    /// The seed positions the gamma formula divides by, written out (`(H-bs+1)(W-bs+1) =
    /// 22*22 = 484`) with their number; nil when the formula counts none (`p / bs^2`).
    func countedSeedPositions(_ parameters: DropBlockParameters, spatial: [Int]) -> (formula: String, count: Int)?
    /// Whether the block is clipped to the map before it is placed (then a block as large as
    /// the map, seeded at its one allowed position, drops the whole channel); otherwise blocks
    /// are clipped at the map's edges where they fall.
    var clipsBlockToMap: Bool { get }
    /// Whether the preset rejects an even block (after clipping): callers that pick a block
    /// size for it use the nearest odd one.
    var needsOddBlock: Bool { get }

    /// The layout of the uniform draw the reference consumes.
    var noiseLayout: NoiseLayout { get }

    /// The rescaling factor for `kept` of `count` mask units, in float32 as the reference
    /// computes it, and whether the reference divides by zero there (it returns NaN; the
    /// library returns zeros and flags it).
    func rescale(kept: Int, count: Int, parameters: DropBlockParameters) -> RescaleOutcome
    /// The rescaling formula with its numbers filled in, for the walk-through view,
    /// e.g. `scale = numel / kept = 100 / 80`.
    func rescaleFormula(kept: Int, count: Int, parameters: DropBlockParameters) -> String
}

extension PresetRules {
    /// No options of its own by default.
    public func validateOptions(_ parameters: DropBlockParameters) throws(DropBlockError) {}
    /// Only tf is the paper's authors' code.
    public var isPaperAuthorsCode: Bool { false }
    /// Every formula but PyPI dropblock's has Eq. 1's seed-position factor.
    public var gammaOmitsSeedPositionShare: Bool { false }
    /// Only timm reads `TimmOptions`.
    public var readsTimmOptions: Bool { false }
    /// Dropped units become zeros by default.
    public func fillsDroppedWithNoise(_ parameters: DropBlockParameters) -> Bool { false }
    /// The region does not depend on gamma by default.
    public func seedGeometry(_ geometry: SeedGeometry, atGamma gamma: Double) -> SeedGeometry { geometry }
    /// Seeds falling at more or fewer positions than the gamma formula counts (timm's seeds
    /// fall anywhere, keras-cv's row bound uses W, tf counts a square map), then overlapping
    /// blocks, and edge clipping where a block can pass the map's edge.
    public func expectedRateReason(_ parameters: DropBlockParameters, geometry: SeedGeometry) -> String {
        let blocks = Self.overlapReason(geometry)
        guard let counted = countedSeedPositions(parameters, spatial: geometry.spatial), counted.count != geometry.seedRegionSize else {
            return blocks
        }
        let counts = "gamma counts \(counted.formula) position\(counted.count == 1 ? "" : "s"), seeds fall at \(geometry.seedRegionSize)"
        // One position: no two blocks to overlap.
        return geometry.seedRegionSize > 1 ? counts + "; " + blocks : counts
    }
    /// No count of seed positions by default.
    public func countedSeedPositions(_ parameters: DropBlockParameters, spatial: [Int]) -> (formula: String, count: Int)? { nil }
    /// Why the expected rate falls short of p from the blocks alone: they overlap, and (where
    /// a block can pass the map's edge) they clip.
    static func overlapReason(_ geometry: SeedGeometry) -> String {
        geometry.blocksCanClip ? "blocks overlap and clip" : "blocks overlap"
    }
    /// Any block size by default.
    public var needsOddBlock: Bool { false }
}
