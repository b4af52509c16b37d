/// The generator streams of a pass: its maps in groups of consecutive maps of one sample,
/// each group drawing from one stream, `(key, index)` for `SeededGenerator(key:stream:)`, as
/// `MaskPass` draws them.
///
/// A group's maps draw one after another from the group's stream, so a stream's setup is
/// paid once per group, not once per map. Groups never cross a sample, and their size depends only on the maps' geometry, so a
/// sample's masks depend neither on the batch around it nor on the number of workers.
/// A pass keyed by one generator key gives group `g` (counted over the batch) stream `g`; a
/// numbered draw keys each sample separately and numbers its groups from 0. Shared masks (one
/// map per sample) have groups of one map: map `m` draws from stream `m`.
struct MapStreams {
    /// Seed positions a group aims at: enough that a group's fixed cost (a stream's setup) is
    /// small beside its seeds, few enough that a batch has many groups to share among workers
    /// (r50-g3: 64 maps of 64 positions; small: 5 of 900).
    static let positionsPerGroup = 4096

    /// Maps per group (the last group of a sample may have fewer).
    let groupSize: Int
    /// Groups per sample.
    let groupsPerSample: Int
    private let draw: SeedDraw?
    private let maskChannels: Int
    private let samples: Int
    private var key: UInt64
    /// The sample whose key `key` is (-1 before the first).
    private var keyedSample = -1

    /// Groups of `maps` maps, `maskChannels` per sample, of `seedRegionSize` positions each,
    /// drawing from streams of `key`, or of each sample's key in `draw` when it is given.
    init(key: UInt64 = 0, draw: SeedDraw? = nil, maps: Int, maskChannels: Int, seedRegionSize: Int) {
        let channels = max(1, maskChannels)
        groupSize = Self.groupSize(maskChannels: channels, seedRegionSize: seedRegionSize)
        groupsPerSample = (channels + groupSize - 1) / groupSize
        (self.draw, self.maskChannels, samples, self.key) = (draw, channels, maps / channels, key)
    }

    /// Maps per group for samples of `maskChannels` maps of `seedRegionSize` positions.
    static func groupSize(maskChannels: Int, seedRegionSize: Int) -> Int {
        let wanted = (positionsPerGroup + max(1, seedRegionSize) - 1) / max(1, seedRegionSize)
        return max(1, min(maskChannels, wanted))
    }

    /// The number of groups in the pass.
    var groupCount: Int { samples * groupsPerSample }

    /// Group `group`'s maps, and the key and stream index it draws from.
    @inline(__always)
    mutating func group(_ group: Int) -> (maps: Range<Int>, key: UInt64, index: UInt64) {
        let sample = group / groupsPerSample, inSample = group &- sample &* groupsPerSample
        let first = sample &* maskChannels &+ inSample &* groupSize
        let maps = first..<min(first &+ groupSize, (sample &+ 1) &* maskChannels)
        guard let draw else { return (maps, key, UInt64(truncatingIfNeeded: group)) }
        if sample != keyedSample {
            key = draw.keys(sample: sample).mask
            keyedSample = sample
        }
        return (maps, key, UInt64(truncatingIfNeeded: inSample))
    }
}
