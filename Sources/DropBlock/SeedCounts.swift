/// How many seeds fall in one map: a draw from the binomial distribution of `total` positions
/// each seeded with probability `gamma`, by inverting its cumulative distribution.
///
/// The sparse sampler (`SeedSampler`) draws a map's seed count from this, then that many
/// distinct positions, uniformly: together the same distribution as a seed at each position
/// independently with probability gamma, without a logarithm per seed. (The geometric gaps
/// it replaced took a `log` per seed, about 20 ns: building the small case's 512 masks cost
/// 2.3x its floor.)
///
/// The table covers the counts whose probability is at least `cutoff` of the most likely
/// one's (about twenty standard deviations around the mean); the others together weigh less
/// than a 53-bit uniform can resolve. Its storage belongs to the caller (a workspace), so a
/// pass allocates nothing; it is filled once per gamma and seed region.
struct SeedCounts: @unchecked Sendable {
    /// Counts less likely than this, relative to the most likely one, are left out.
    static let cutoff = 1e-22

    /// The counts the table covers, `first ... first + entries - 1`, for `total` positions at
    /// seed probability `gamma` (0 < gamma < 1, total > 0), without storing anything: a walk
    /// out from the most likely count until the weights pass below `cutoff`.
    static func span(total: Int, gamma: Double) -> (first: Int, entries: Int) {
        let ratios = Ratios(total: total, gamma: gamma)
        var low = ratios.mode, weight = 1.0
        while low > 0 {
            weight *= ratios.down(low)
            if weight < cutoff { break }
            low -= 1
        }
        var high = ratios.mode
        weight = 1
        while high < total {
            weight *= ratios.up(high)
            if weight < cutoff { break }
            high += 1
        }
        return (low, high - low + 1)
    }

    /// The binomial distribution's most likely count, and the ratios of neighbouring counts'
    /// probabilities.
    private struct Ratios {
        let n: Double, odds: Double
        let mode: Int

        init(total: Int, gamma: Double) {
            (n, odds) = (Double(total), gamma / (1 - gamma))
            mode = min(total, Int((Double(total) + 1) * gamma))
        }

        /// `p(k + 1) / p(k)`.
        func up(_ k: Int) -> Double { (n - Double(k)) / Double(k + 1) * odds }
        /// `p(k - 1) / p(k)`.
        func down(_ k: Int) -> Double { Double(k) / (n - Double(k) + 1) / odds }
    }

    /// The first count the table covers.
    let first: Int
    /// `cdf[i]`: the probability of at most `first + i` seeds; the last entry is infinite, so
    /// that a lookup always stops inside the table.
    let cdf: UnsafePointer<Double>

    /// Fills `storage`, with room for `span(total:gamma:).entries`, for `total` positions at
    /// seed probability `gamma` (0 < gamma < 1, total > 0).
    init(filling storage: UnsafeMutablePointer<Double>, total: Int, gamma: Double) {
        let (first, entries) = Self.span(total: total, gamma: gamma)
        let ratios = Ratios(total: total, gamma: gamma), mode = ratios.mode
        // Weights relative to the most likely count, outwards from it, then summed from the
        // smallest count up and normalised.
        storage[mode - first] = 1
        for k in stride(from: mode, to: first, by: -1) { storage[k - 1 - first] = storage[k - first] * ratios.down(k) }
        for k in mode..<(first + entries - 1) { storage[k + 1 - first] = storage[k - first] * ratios.up(k) }
        var sum = 0.0
        for i in 0..<entries {
            sum += storage[i]
            storage[i] = sum
        }
        for i in 0..<entries { storage[i] /= sum }
        storage[entries - 1] = .infinity
        (self.first, cdf) = (first, UnsafePointer(storage))
    }

    /// The table already in `storage`, filled for the same span.
    init(filled storage: UnsafePointer<Double>, first: Int) {
        (self.first, cdf) = (first, storage)
    }

    /// The count for a uniform `u` in `[0, 1)`: the smallest whose cumulative probability
    /// passes `u`. A walk from the table's first count: about as many steps as the mean count
    /// for the small maps where this cost shows.
    @inline(__always)
    func count(_ u: Double) -> Int {
        var i = 0
        while u >= cdf[i] { i &+= 1 }
        return first &+ i
    }
}
