/// Where seeds may fall and which units each seed drops, for one map of a preset.
///
/// A seed at index `i` (per spatial axis) drops `[i - lowOffset, i - lowOffset + window)`,
/// clipped to the map; seeds are allowed only inside `seedRegion`.
public struct SeedGeometry: Equatable, Sendable {
    /// The map's spatial extent, `(H, W)` or `(D, H, W)`.
    public let spatial: [Int]
    /// The block length per axis after preset clipping.
    public let window: [Int]
    /// How far a block starts before its seed, per axis.
    public let lowOffset: [Int]
    /// The allowed seed positions per axis.
    public let seedRegion: [Range<Int>]

    /// The longest spatial axis supported: seed positions are stored as 32-bit integers
    /// per axis (`Int32.max`, 2_147_483_647 units).
    public static let maximumAxisLength = Int(Int32.max)

    /// Derives the geometry of `preset` with `blockSize` on maps of extent `spatial`.
    /// - Throws: preset-specific errors (torchvision's even block, tf's non-square map),
    ///   `unsupportedRank`, `invalidBlockSize`, `emptyDimension`, `axisTooLong` for an axis
    ///   above `maximumAxisLength`, and `invalidShape` when the map's size overflows `Int`.
    public init(preset: Preset, spatial: [Int], blockSize: Int) throws(DropBlockError) {
        guard blockSize >= 1 else { throw .invalidBlockSize(blockSize) }
        guard preset.supportedSpatialRanks.contains(spatial.count) else {
            throw .unsupportedRank(preset: preset, spatialRank: spatial.count)
        }
        guard spatial.allSatisfy({ $0 > 0 }) else { throw .emptyDimension(shape: spatial) }
        if let tooLong = spatial.first(where: { $0 > SeedGeometry.maximumAxisLength }) {
            throw .axisTooLong(extent: tooLong, limit: SeedGeometry.maximumAxisLength)
        }
        // Every size below (map, seed region, histograms) is at most the map's size.
        _ = try Tensor.elementCount(of: spatial)
        self = try preset.rules.seedGeometry(spatial: spatial, blockSize: blockSize)
    }

    /// A geometry from its parts, for the presets' rules (after `init(preset:spatial:blockSize:)`'s checks).
    init(spatial: [Int], window: [Int], lowOffset: [Int], seedRegion: [Range<Int>]) {
        self.spatial = spatial
        self.window = window
        self.lowOffset = lowOffset
        self.seedRegion = seedRegion
    }

    /// Units per map.
    public var mapSize: Int { spatial.reduce(1, *) }

    /// Allowed seed positions per map.
    public var seedRegionSize: Int { seedRegion.reduce(1) { $0 * $1.count } }

    /// For each unit along `axis`, how many allowed seed positions on that axis drop it.
    public func coverage(axis: Int) -> [Int] {
        (0..<spatial[axis]).map { coverage(axis: axis, index: $0) }
    }

    /// `c(j)` of the unit at `unit` (`[h, w]` or `[d, h, w]`, inside the map): how many allowed
    /// seed positions drop it, the product of its per-axis counts.
    public func coverage(at unit: [Int]) -> Int {
        precondition(unit.count == spatial.count, "one index per spatial axis")
        return unit.indices.reduce(1) { $0 * coverage(axis: $1, index: unit[$1]) }
    }

    /// How many allowed seed positions on `axis` drop the unit at `index` along it.
    private func coverage(axis: Int, index i: Int) -> Int {
        let k = window[axis], lo = lowOffset[axis], region = seedRegion[axis]
        // Seeds s with s - lo <= i < s - lo + k, i.e. s in [i + lo - k + 1, i + lo].
        let first = max(i + lo - k + 1, region.lowerBound)
        let last = min(i + lo, region.upperBound - 1)
        return max(0, last - first + 1)
    }

    /// The exact expected fraction of units dropped when each allowed position is a seed
    /// with probability `gamma`: `1 - mean_j (1 - gamma) ** c(j)`, summed over the
    /// `CoverageHistogram` (cost does not depend on the map's area).
    public func expectedDropFraction(gamma: Double) -> Double {
        CoverageHistogram(geometry: self).expectedDropFraction(gamma: gamma)
    }

    /// Whether every allowed seed's block covers the whole map: then each seed drops its whole
    /// channel (SpatialDropout), whatever the preset. False when no position may seed.
    public var everySeedCoversWholeMap: Bool {
        spatial.indices.allSatisfy { axis in
            let region = seedRegion[axis], start = -lowOffset[axis], extent = spatial[axis], k = window[axis]
            // Only the region's ends matter: a block's start grows with its seed.
            return !region.isEmpty && region.upperBound - 1 + start <= 0 && region.lowerBound + start + k >= extent
        }
    }

    /// Whether some allowed seed's block reaches past the map's edge, so that it is clipped
    /// (torchvision and tf seed only where a whole block fits: their blocks never are).
    public var blocksCanClip: Bool {
        spatial.indices.contains { axis in
            let region = seedRegion[axis], start = -lowOffset[axis]
            // Only the region's ends matter: a block's start grows with its seed.
            return !region.isEmpty && (region.lowerBound + start < 0 || region.upperBound - 1 + start + window[axis] > spatial[axis])
        }
    }

    /// The largest expected fraction any gamma can reach: the share of units some seed covers.
    public var maximumDropFraction: Double { expectedDropFraction(gamma: 1) }
}
