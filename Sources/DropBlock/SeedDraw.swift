/// One numbered random draw of a seed: the `index`-th draw (0 first) for an input whose
/// samples are numbered from `firstSample`.
///
/// Every sample has its own stream (`seed`, `index`, sample number), and within it its masks
/// sub-streams: a shared mask one, per-channel masks one per group of channels (one stream
/// over the group's seed regions laid end to end; the group's size depends only on the map
/// geometry). So a sample's mask does not depend on the batch around it:
/// sample 3 of draw 5 is the same whether a batch of 32 is passed or that one sample alone,
/// numbered 3. The visualizer's `space` counts draws this way and `dropblock apply --draw K
/// --first-sample S` selects one, so what a screen shows can be reproduced from the command line.
public struct SeedDraw: Sendable, Equatable {
    /// The largest sample number: sample numbers take the low 20 bits of a stream number.
    public static let maximumSample = (1 << 20) - 1
    /// The largest draw index: draw indices take the other 44 bits.
    public static let maximumIndex: UInt64 = (1 << 44) - 1

    /// The seed.
    public var seed: UInt64
    /// Which draw of the seed (`space` in the visualizer increments it).
    public var index: UInt64
    /// The number of the input's first sample.
    public var firstSample: Int

    /// Draw `index` of `seed` for samples numbered from `firstSample`.
    public init(seed: UInt64, index: UInt64 = 0, firstSample: Int = 0) {
        self.seed = seed
        self.index = index
        self.firstSample = firstSample
    }

    /// Checks that every sample of a batch of `samples` gets a stream of its own.
    public func validate(samples: Int) throws(DropBlockError) {
        guard index <= Self.maximumIndex else { throw .drawOutOfRange("draw \(index) is past \(Self.maximumIndex)") }
        guard firstSample >= 0, samples <= Self.maximumSample + 1, firstSample <= Self.maximumSample + 1 - samples else {
            throw .drawOutOfRange("samples \(firstSample)...\(firstSample + samples - 1) pass sample \(Self.maximumSample)")
        }
    }

    /// The key of sample `n` of the batch (its masks draw from sub-streams of it), and the key
    /// of timm's Gaussian fill.
    func keys(sample n: Int) -> (mask: UInt64, fill: UInt64) {
        var generator = SeededGenerator(key: seed, stream: (index << 20) | UInt64(firstSample + n))
        let mask = generator.next()
        return (mask, generator.next())
    }
}
