/// The generator stream of each map of a pass: `(key, index)` for
/// `SeededGenerator(key:stream:)`, as `MaskPass` draws them.
///
/// A pass keyed by one generator key gives map `m` stream `m`; a numbered draw keys each
/// sample separately and numbers its maps from 0. Keys are derived once per sample, and
/// asked for in increasing map order, so no map costs a division.
struct MapStreams {
    private let draw: SeedDraw?
    private let maskChannels: Int
    private var key: UInt64
    /// The maps of the sample `key` belongs to (empty before the first).
    private var sampleMaps = 0..<0

    /// Map `m` draws from stream `m` of `key`.
    init(key: UInt64) {
        (draw, maskChannels, self.key) = (nil, 1, key)
    }

    /// Map `m` draws from stream `m mod maskChannels` of its sample's key in `draw`.
    init(draw: SeedDraw, maskChannels: Int) {
        (self.draw, self.maskChannels, key) = (draw, max(1, maskChannels), 0)
    }

    /// The key and stream index of map `map`.
    @inline(__always)
    mutating func stream(of map: Int) -> (key: UInt64, index: UInt64) {
        guard let draw else { return (key, UInt64(truncatingIfNeeded: map)) }
        if !sampleMaps.contains(map) {
            let sample = map / maskChannels
            sampleMaps = (sample * maskChannels)..<((sample + 1) * maskChannels)
            key = draw.keys(sample: sample).mask
        }
        return (key, UInt64(truncatingIfNeeded: map &- sampleMaps.lowerBound))
    }
}
