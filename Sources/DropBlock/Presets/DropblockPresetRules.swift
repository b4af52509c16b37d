/// PyPI `dropblock` 0.3.0, the original port (`DropBlock2D`, `DropBlock3D`).
///
/// Gamma `p / bs**nd`; seeds anywhere; a block of `bs` per axis starting `bs//2` before its
/// seed (`bs//2 - 1` for an even `bs`), clipped to the map; one mask per sample, drawn as
/// `(N, *S)`; scale `numel / sum`, NaN (here zeros) when everything is dropped.
public struct DropblockPresetRules: PresetRules {
    /// Creates the rules.
    public init() {}

    /// `.dropblock`.
    public var preset: Preset { .dropblock }
    /// The library and version reproduced.
    public var library: String { "PyPI dropblock 0.3.0" }
    /// The spatial ranks dropblock runs on.
    public var supportedSpatialRanks: [Int] { [2, 3] }
    /// dropblock's `p / bs^2` leaves out Eq. 1's factor `W^2 / (W-bs+1)^2`.
    public var gammaOmitsSeedPositionShare: Bool { true }

    /// Whether dropblock shares one mask across a sample's channels by default.
    public func sharesMaskByDefault(_ parameters: DropBlockParameters) -> Bool { true }

    /// Dropblock's gamma, in its reference's expression order and precision.
    public func gamma(_ parameters: DropBlockParameters, spatial: [Int]) -> Double {
        var denominator = 1.0
        for _ in spatial { denominator *= Double(parameters.blockSize) }
        return parameters.dropProb / denominator
    }

    /// Dropblock's gamma formula with the numbers filled in.
    public func gammaFormula(_ parameters: DropBlockParameters, spatial: [Int], format: (Double) -> String) -> String {
        let dims = spatial.count, bs = parameters.blockSize
        return "gamma = p / bs^\(dims) = \(format(parameters.dropProb)) / \(bs)^\(dims) = \(format(gamma(parameters, spatial: spatial)))"
    }

    /// Dropblock's seed region and block window per axis.
    public func seedGeometry(spatial: [Int], blockSize: Int) throws(DropBlockError) -> SeedGeometry {
        let lo = blockSize % 2 == 1 ? blockSize / 2 : blockSize / 2 - 1
        return SeedGeometry(spatial: spatial, window: spatial.map { _ in blockSize }, lowOffset: spatial.map { _ in lo },
                            seedRegion: spatial.map { 0..<$0 })
    }

    /// Dropblock's seed rule at `gamma`.
    public func seedRule(gamma: Double) -> SeedRule { .lessThan(Float(gamma)) }

    /// Why dropblock's seeds fall where they may.
    public var seedRegionNote: String { "dropblock lets seeds fall anywhere; blocks near the edge are clipped, so they drop less." }
    /// Why a position outside dropblock's seed region cannot hold a seed.
    public var seedRegionReason: String { "a block centred on its seed must fit" }
    /// Whether dropblock clips the block to the map before placing it.
    public var clipsBlockToMap: Bool { false }

    /// The layout of dropblock's uniform draw.
    public var noiseLayout: NoiseLayout { NoiseLayout(omitsSharedChannelAxis: true) }

    /// Dropblock's rescaling factor, and its NaN case.
    public func rescale(kept: Int, count: Int, parameters: DropBlockParameters) -> RescaleOutcome {
        RescaleOutcome.dividing(kept: kept) { Float(count) / Float(kept) }
    }

    /// Dropblock's rescaling formula with the numbers filled in.
    public func rescaleFormula(kept: Int, count: Int, parameters: DropBlockParameters) -> String {
        "scale = numel / kept = \(count) / \(kept)"
    }
}
