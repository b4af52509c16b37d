/// The layout of the uniform draw a preset's reference consumes, per mask: `(N, *S)`,
/// `(N, 1 or C, *S)` or `(N, C, *seed region)`.
public struct NoiseLayout: Equatable, Sendable {
    /// True when the draw covers only the seed region (torchvision's valid grid), not the map.
    public let coversSeedRegionOnly: Bool
    /// True when a mask shared by all channels is drawn without a channel axis, `(N, *S)`
    /// (the PyPI `dropblock` package).
    public let omitsSharedChannelAxis: Bool

    /// Creates a layout.
    public init(coversSeedRegionOnly: Bool = false, omitsSharedChannelAxis: Bool = false) {
        self.coversSeedRegionOnly = coversSeedRegionOnly
        self.omitsSharedChannelAxis = omitsSharedChannelAxis
    }

    /// The draw's leading axes for `batch` samples with `maskChannels` masks each.
    public func leadingShape(batch: Int, maskChannels: Int) -> [Int] {
        omitsSharedChannelAxis && maskChannels == 1 ? [batch] : [batch, maskChannels]
    }

    /// The draw's shape for `batch` samples, `maskChannels` masks per sample, on `geometry`.
    public func shape(batch: Int, maskChannels: Int, geometry: SeedGeometry) -> [Int] {
        leadingShape(batch: batch, maskChannels: maskChannels)
            + (coversSeedRegionOnly ? geometry.seedRegion.map(\.count) : geometry.spatial)
    }
}
