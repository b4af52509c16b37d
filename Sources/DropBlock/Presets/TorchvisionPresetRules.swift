/// torchvision.ops `drop_block2d` / `drop_block3d` (0.29).
///
/// The block is clipped to the smallest axis (`cb = min(bs, *S)`) and must be odd; noise is
/// drawn only on the valid grid `S - cb + 1`, where a seed is its block's first unit; one
/// mask per channel; scale `numel / (1e-6 + sum)` (finite even when everything is dropped).
public struct TorchvisionPresetRules: PresetRules {
    /// Creates the rules.
    public init() {}

    /// `.torchvision`.
    public var preset: Preset { .torchvision }
    /// The library and version reproduced.
    public var library: String { "torchvision 0.29" }
    /// The spatial ranks torchvision runs on.
    public var supportedSpatialRanks: [Int] { [2, 3] }

    /// Whether torchvision shares one mask across a sample's channels by default.
    public func sharesMaskByDefault(_ parameters: DropBlockParameters) -> Bool { false }

    /// The block size clipped to the map's smallest axis.
    func clippedBlock(_ blockSize: Int, spatial: [Int]) -> Int { min(blockSize, spatial.min() ?? blockSize) }

    /// Torchvision's gamma, in its reference's expression order and precision.
    public func gamma(_ parameters: DropBlockParameters, spatial: [Int]) -> Double {
        let cb = clippedBlock(parameters.blockSize, spatial: spatial)
        // Products of extents are formed in Double: exact (so bit for bit the same as integer
        // products) below 2^53, and no trap on extents whose product overflows `Int`.
        var area = 1.0
        var blockVolume = 1.0
        var validVolume = 1.0
        for extent in spatial {
            area *= Double(extent)
            blockVolume *= Double(cb)
            validVolume *= Double(extent - cb + 1)
        }
        return parameters.dropProb * area / (blockVolume * validVolume)
    }

    /// Torchvision's gamma formula with the numbers filled in.
    public func gammaFormula(_ parameters: DropBlockParameters, spatial: [Int], format: (Double) -> String) -> String {
        let dims = spatial.count
        let cb = clippedBlock(parameters.blockSize, spatial: spatial)
        let sides = spatial.map { "\($0 - cb + 1)" }.joined(separator: "*")
        // A block larger than the map is clipped to its smallest side first: named `b` then.
        // Its definition follows the chain, which it would otherwise interrupt (round 24).
        let b = cb == parameters.blockSize ? "bs" : "b", clipped = cb == parameters.blockSize ? "" : ", where b = min(bs, \(dims == 3 ? "D, " : "")H, W) = \(cb)"
        let names = dims == 3 ? "D*H*W" : "H*W", valid = dims == 3 ? "(D-\(b)+1)(H-\(b)+1)(W-\(b)+1)" : "(H-\(b)+1)(W-\(b)+1)"
        return "gamma = p*\(names) / (\(b)^\(dims) \(valid)) = \(format(parameters.dropProb))*\(spatial.map(String.init).joined(separator: "*"))"
            + " / (\(cb)^\(dims) * \(sides)) = \(format(gamma(parameters, spatial: spatial)))\(clipped)"
    }

    /// Torchvision's seed region and block window per axis.
    public func seedGeometry(spatial: [Int], blockSize: Int) throws(DropBlockError) -> SeedGeometry {
        let cb = clippedBlock(blockSize, spatial: spatial)
        guard cb % 2 == 1 else { throw .evenBlockSize(preset: preset, blockSize: blockSize, clipped: cb) }
        return SeedGeometry(spatial: spatial, window: spatial.map { _ in cb }, lowOffset: spatial.map { _ in 0 },
                            seedRegion: spatial.map { 0..<($0 - cb + 1) })
    }

    /// Torchvision's seed rule at `gamma`.
    public func seedRule(gamma: Double) -> SeedRule { .lessThan(Float(gamma)) }

    /// Why torchvision's seeds fall where they may.
    public var seedRegionNote: String {
        "torchvision draws noise only where a whole block fits: a seed is its block's first row and column."
    }
    /// Why a position outside torchvision's seed region cannot hold a seed.
    public var seedRegionReason: String { "a block starts at its seed and must fit" }
    /// Whether torchvision clips the block to the map before placing it.
    public var clipsBlockToMap: Bool { true }
    /// Torchvision rejects an even (clipped) block.
    public var needsOddBlock: Bool { true }

    /// The layout of torchvision's uniform draw.
    public var noiseLayout: NoiseLayout { NoiseLayout(coversSeedRegionOnly: true) }

    /// Torchvision's rescaling factor, and its NaN case.
    public func rescale(kept: Int, count: Int, parameters: DropBlockParameters) -> RescaleOutcome {
        RescaleOutcome(scale: Float(count) / (Float(1e-6) + Float(kept)))
    }

    /// Torchvision's rescaling formula with the numbers filled in.
    public func rescaleFormula(kept: Int, count: Int, parameters: DropBlockParameters) -> String {
        "scale = numel / (1e-6 + kept) = \(count) / (1e-6 + \(kept))"
    }
}
