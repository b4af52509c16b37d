#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many units of a map each coverage count has: `c(j)`, the number of allowed seed
/// positions whose block drops unit `j`, tallied over the map.
///
/// The expected drop at any gamma is a sum over this histogram, so a search over gamma
/// (`GammaCalibration`) builds it once and evaluates it many times.
public struct CoverageHistogram: Sendable, Equatable {
    /// The distinct coverage counts, ascending.
    public let counts: [Int]
    /// Units with each count (exact integers, as `Double`s).
    public let units: [Double]
    /// Units per map.
    public let mapSize: Int

    /// The histogram of `geometry`.
    ///
    /// The count `c(j)` is a product of per-axis counts, so the histogram is a product of
    /// per-axis histograms; cost does not depend on the map's area.
    public init(geometry: SeedGeometry) {
        // Histogram of (coverage count -> how many units) per axis, combined axis by axis.
        var combined: [Int: Double] = [1: 1]
        for axis in geometry.spatial.indices {
            let coverage = geometry.coverage(axis: axis)
            // Per axis a dense tally: a count is at most the axis length.
            var tally = [Double](repeating: 0, count: (coverage.max() ?? 0) + 1)
            for c in coverage { tally[c] += 1 }
            var next: [Int: Double] = [:]
            for (c1, m1) in combined {
                for (c2, m2) in tally.enumerated() where m2 > 0 { next[c1 * c2, default: 0] += m1 * m2 }
            }
            combined = next
        }
        // Sorted: the expectation sums in a fixed order (a Dictionary's iteration order varies from
        // run to run, and so would the last bits of the sum; the counts themselves are exact integers).
        counts = combined.keys.sorted()
        units = counts.map { combined[$0] ?? 0 }
        mapSize = geometry.mapSize
    }

    /// The exact expected fraction of units dropped when each allowed position is a seed
    /// with probability `gamma`: `1 - mean_j (1 - gamma) ** c(j)`.
    public func expectedDropFraction(gamma: Double) -> Double {
        // The logarithm once per gamma, not once per count: calibration evaluates this ~60 times.
        let rule = KeepRule(gamma: gamma)
        var keptSum = 0.0
        for (c, multiplicity) in zip(counts, units) { keptSum += multiplicity * rule.probability(coverage: c) }
        return 1 - keptSum / Double(mapSize)
    }

    /// The probability that a unit whose coverage count is `coverage` is kept: `(1 - gamma) ** c`,
    /// with gamma clamped to [0, 1] (a preset's formula can give inf or a negative value).
    /// A unit's drop probability, `p(j)`, is one minus this; the expected fraction is their mean.
    public static func keepProbability(coverage c: Int, gamma: Double) -> Double {
        KeepRule(gamma: gamma).probability(coverage: c)
    }

    /// `(1 - gamma) ** c` for one gamma and any count.
    private struct KeepRule {
        let logKeep: Double, certain: Bool

        init(gamma: Double) {
            let g = min(max(gamma, 0), 1)
            (certain, logKeep) = (g >= 1, g < 1 ? log1p(-g) : -.infinity)
        }

        func probability(coverage c: Int) -> Double {
            if c == 0 { return 1 }
            return certain ? 0 : exp(Double(c) * logKeep)
        }
    }
}
