@testable import DropBlock
import Foundation
import Testing

/// The sparse sampler's seed count per map (`SeedCounts`): its table is the binomial
/// distribution's cumulative probabilities, computed here independently, over a span that
/// leaves out only what a 53-bit uniform cannot reach.
@Suite("Seed counts: the binomial table")
struct SeedCountsTests {
    /// `P(count = k)` for `k` in `0 ... n`, from `lgamma` in log space.
    static func binomialPMF(_ n: Int, _ gamma: Double) -> [Double] {
        (0...n).map { k in
            let (nn, kk) = (Double(n), Double(k))
            let logChoose: Double = lgamma(nn + 1) - lgamma(kk + 1) - lgamma(nn - kk + 1)
            let logPowers: Double = kk * log(gamma) + (nn - kk) * log1p(-gamma)
            return exp(logChoose + logPowers)
        }
    }

    @Test("the table is the binomial CDF over its span, and ends in a stop",
          arguments: [(1, 0.05), (4, 0.0001), (64, 0.00625), (900, 0.0126), (2500, 0.00256), (4096, 0.05), (20_000, 0.001)])
    func tableIsTheCDF(n: Int, gamma: Double) {
        let (first, entries) = SeedCounts.span(total: n, gamma: gamma)
        #expect(first >= 0 && first + entries - 1 <= n)
        let table = UnsafeMutablePointer<Double>.allocate(capacity: entries)
        defer { table.deallocate() }
        let counts = SeedCounts(filling: table, total: n, gamma: gamma)
        #expect(counts.first == first)
        #expect(table[entries - 1] == .infinity, "a lookup always stops inside the table")
        let pmf = Self.binomialPMF(n, gamma)
        var sum = 0.0
        let exact = pmf.map { p in
            sum += p
            return sum
        }
        // What the span leaves out below its first count, and above its last (whose entry,
        // the stop, takes every uniform past the one before).
        let below = pmf[0..<first].reduce(0, +), above = pmf[(first + entries)...].reduce(0, +)
        #expect(below < 1e-15 && above < 1e-15, "n \(n) gamma \(gamma): \(below) below, \(above) above")
        // The reference's own error grows with n (lgamma of large arguments), the table's does not.
        var worst = 0.0
        for i in 0..<(entries - 1) { worst = max(worst, abs(table[i] - exact[first + i])) }
        #expect(worst < 1e-9, "n \(n) gamma \(gamma): off by \(worst)")
        // The inversion: the smallest count whose cumulative probability passes u.
        for u in [0.25, 0.5, 0.9, 0.999_999] {
            let expected = exact.firstIndex { u < $0 } ?? n
            #expect(counts.count(u) == expected, "n \(n) gamma \(gamma) u \(u)")
        }
        #expect(counts.count(0) == first, "the smallest uniform takes the first count")
        #expect(counts.count(1 - 0x1p-53) <= first + entries - 1, "the largest uniform stops inside the table")
    }

    @Test("spans stay about twenty standard deviations wide, for tiny and large maps")
    func spansAreNarrow() {
        for (n, gamma) in [(16_000_000, 0.01), (16_000_000, 1e-9), (1, 1e-12), (100_000, 0.05)] {
            let (first, entries) = SeedCounts.span(total: n, gamma: gamma)
            let sd = (Double(n) * gamma * (1 - gamma)).squareRoot()
            #expect(Double(entries) <= 24 * sd + 40, "n \(n) gamma \(gamma): \(entries) entries")
            #expect(first <= Int(Double(n) * gamma) && first + entries > Int(Double(n) * gamma))
        }
    }
}
