/// keras-cv's `keras_cv.layers.DropBlock2D(rate, block_size)` (0.9.0, the last release).
///
/// Everything in float32 and in keras-cv's order:
/// - gamma `((p * (W*H)) / (bh*bw)) / ((W - bs + 1) * (H - bs + 1))` with `bh = min(bs, H)`,
///   `bw = min(bs, W)` but the **unclipped** `bs` in the last factor: a block larger than the
///   map gives a zero denominator (`inf`: every unit is a seed, everything is dropped, the
///   reference returns NaN and the library zeros) or a negative gamma (no seeds);
/// - seeds at valid centres `bw//2 <= w < W - (bw-1)//2` and `bh//2 <= h < W - (bh-1)//2`:
///   the row bound uses **W**, a typo in keras-cv reproduced as it is (it shows on
///   non-square maps);
/// - a seed iff `((1 - valid) + float32(1 - gamma)) + u < 1`, tf's float32 form inside the
///   valid region;
/// - the block an **unclipped** `bs x bs` window, `[s - bs//2, s + (bs-1)//2]` per axis,
///   clipped to the map where it falls;
/// - one mask per channel (noise of the input's shape); scale `1 / (sum / numel)` over the
///   whole batch, NaN (here zeros) when everything is dropped.
public struct KerasCVPresetRules: PresetRules {
    /// Creates the rules.
    public init() {}

    /// `.kerascv`.
    public var preset: Preset { .kerascv }
    /// The library and version reproduced.
    public var library: String { "keras-cv 0.9.0" }
    /// The spatial ranks keras-cv runs on.
    public var supportedSpatialRanks: [Int] { [2] }

    /// Whether keras-cv shares one mask across a sample's channels by default.
    public func sharesMaskByDefault(_ parameters: DropBlockParameters) -> Bool { false }

    /// Keras-cv's gamma, in its reference's expression order and precision.
    public func gamma(_ parameters: DropBlockParameters, spatial: [Int]) -> Double {
        let h = spatial[0], w = spatial[1], bs = parameters.blockSize
        let bh = min(bs, h), bw = min(bs, w)
        // keras-cv multiplies the integers first and casts each product to float32. The products
        // are formed in Double here: exact below 2^53, and no trap where they overflow `Int`.
        let area = Float(Double(w) * Double(h))
        let block = Float(Double(bh) * Double(bw))
        let validProduct = Double(w - bs + 1) * Double(h - bs + 1)
        // An integer product is never -0: (-4) * 0 is +0, so gamma is +inf, not -inf.
        let valid = Float(validProduct == 0 ? 0 : validProduct)
        return Double(((Float(parameters.dropProb) * area) / block) / valid)
    }

    /// Keras-cv's gamma formula with the numbers filled in.
    public func gammaFormula(_ parameters: DropBlockParameters, spatial: [Int], format: (Double) -> String) -> String {
        let h = spatial[0], w = spatial[1], bs = parameters.blockSize
        let bh = min(bs, h), bw = min(bs, w)
        return "gamma = p*W*H / (bh*bw) / ((W-bs+1)(H-bs+1)) = \(format(parameters.dropProb))*\(w)*\(h) / (\(bh)*\(bw))"
            + " / (\(w - bs + 1)*\(h - bs + 1)) = \(format(gamma(parameters, spatial: spatial)))"
    }

    /// Keras-cv's seed region and block window per axis.
    public func seedGeometry(spatial: [Int], blockSize: Int) throws(DropBlockError) -> SeedGeometry {
        let h = spatial[0], w = spatial[1]
        let bh = min(blockSize, h), bw = min(blockSize, w)
        // The row bound is keras-cv's `h < width - (bh - 1) // 2`, kept inside the map.
        let rowLow = min(bh / 2, h), rowHigh = max(rowLow, min(h, w - (bh - 1) / 2))
        let lo = blockSize / 2
        return SeedGeometry(spatial: spatial, window: [blockSize, blockSize], lowOffset: [lo, lo],
                            seedRegion: [rowLow..<rowHigh, (bw / 2)..<(w - (bw - 1) / 2)])
    }

    /// Above 1 `float32(1 - gamma)` is negative, so positions outside the valid region can
    /// seed too. The formula's only gamma above 1 is `inf` (a zero denominator; where it is
    /// positive, gamma <= p), and then every unit of the map is a seed.
    public func seedGeometry(_ geometry: SeedGeometry, atGamma gamma: Double) -> SeedGeometry {
        guard gamma > 1 else { return geometry }
        return SeedGeometry(spatial: geometry.spatial, window: geometry.window, lowOffset: geometry.lowOffset,
                            seedRegion: geometry.spatial.map { 0..<$0 })
    }

    /// Keras-cv's seed rule at `gamma`.
    public func seedRule(gamma: Double) -> SeedRule { .tensorFlow(keepBias: Float(1 - gamma)) }

    /// Why keras-cv's seeds fall where they may.
    public var seedRegionNote: String {
        "keras-cv allows only centres whose block (clipped to the map) fits; its row bound uses W, not H (a typo kept as it is)."
    }
    /// Why a position outside keras-cv's seed region cannot hold a seed.
    public var seedRegionReason: String { "a block centred on its seed must fit (rows bounded by W, keras-cv's typo)" }
    /// Keras-cv's last factor counts seed positions with the unclipped block, `(W-bs+1)(H-bs+1)`
    /// (two negative factors make a positive count for a block larger than the map); its seeds
    /// fall in its region, whose row bound uses W.
    public func countedSeedPositions(_ parameters: DropBlockParameters, spatial: [Int]) -> (formula: String, count: Int)? {
        let h = spatial[0], w = spatial[1], bs = parameters.blockSize
        return ("(W-bs+1)(H-bs+1) = (\(w - bs + 1))*(\(h - bs + 1)) = \((w - bs + 1) * (h - bs + 1))", (w - bs + 1) * (h - bs + 1))
    }
    /// Whether keras-cv clips the block to the map before placing it.
    public var clipsBlockToMap: Bool { false }

    /// The layout of keras-cv's uniform draw.
    public var noiseLayout: NoiseLayout { NoiseLayout() }

    /// Keras-cv's rescaling factor, and its NaN case.
    public func rescale(kept: Int, count: Int, parameters: DropBlockParameters) -> RescaleOutcome {
        // keras-cv divides by `sum / numel`; the product with its inverse agrees within float32 rounding.
        RescaleOutcome.dividing(kept: kept) { 1 / (Float(kept) / Float(count)) }
    }

    /// Keras-cv's rescaling formula with the numbers filled in.
    public func rescaleFormula(kept: Int, count: Int, parameters: DropBlockParameters) -> String {
        "scale = 1 / (kept / numel) = 1 / (\(kept) / \(count))"
    }
}
