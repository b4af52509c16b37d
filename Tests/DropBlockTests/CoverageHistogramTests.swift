import DropBlock
import Foundation
import Testing

/// The histogram is built once per calibration instead of once per bisection step; every
/// expectation it gives must be the one the per-call dictionary sum gave, to the last bit.
@Suite("Coverage histogram")
struct CoverageHistogramTests {
    /// The earlier per-call implementation: dictionaries per axis, summed in ascending count order.
    static func reference(_ geometry: SeedGeometry, gamma: Double) -> Double {
        let g = min(max(gamma, 0), 1)
        var combined: [Int: Double] = [1: 1]
        for axis in geometry.spatial.indices {
            var histogram: [Int: Double] = [:]
            for c in geometry.coverage(axis: axis) { histogram[c, default: 0] += 1 }
            var next: [Int: Double] = [:]
            for (c1, m1) in combined {
                for (c2, m2) in histogram { next[c1 * c2, default: 0] += m1 * m2 }
            }
            combined = next
        }
        let logKeep = g < 1 ? log1p(-g) : -Double.infinity
        var keptSum = 0.0
        for c in combined.keys.sorted() {
            let multiplicity = combined[c] ?? 0
            let keep: Double
            if c == 0 { keep = 1 } else if g >= 1 { keep = 0 } else { keep = exp(Double(c) * logKeep) }
            keptSum += multiplicity * keep
        }
        return 1 - keptSum / Double(geometry.mapSize)
    }

    static let spatials: [[Int]] = [[56, 56], [14, 14], [7, 7], [12, 9], [1, 30], [8, 8, 8], [5, 11, 7]]

    @Test("every preset, size and gamma: the same bits as the per-call dictionary sum")
    func bitForBit() throws {
        var checked = 0
        for preset in Preset.allCases {
            for spatial in Self.spatials {
                for blockSize in [1, 2, 3, 5, 7, 12, 56] {
                    guard let geometry = try? SeedGeometry(preset: preset, spatial: spatial, blockSize: blockSize) else { continue }
                    let histogram = CoverageHistogram(geometry: geometry)
                    for gamma in [0, 1e-9, 0.00613, 0.1, 1.0 / 3, 0.5, 0.999, 1] {
                        let expected = Self.reference(geometry, gamma: gamma)
                        #expect(histogram.expectedDropFraction(gamma: gamma).bitPattern == expected.bitPattern,
                                "\(preset) \(spatial) block \(blockSize) gamma \(gamma)")
                        #expect(geometry.expectedDropFraction(gamma: gamma).bitPattern == expected.bitPattern)
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 500)
    }

    @Test("calibration solves on the histogram: expected equals the geometry's own expectation at its gamma")
    func calibration() throws {
        for spatial in Self.spatials {
            let geometry = try SeedGeometry(preset: .dropblock, spatial: spatial, blockSize: 3)
            let calibration = GammaCalibration(target: 0.1, geometry: geometry)
            #expect(calibration.expected.bitPattern == Self.reference(geometry, gamma: calibration.gamma).bitPattern)
            #expect(calibration.maximumReachable.bitPattern == Self.reference(geometry, gamma: 1).bitPattern)
        }
    }

    @Test("the counts are distinct, ascending, and tally every unit of the map")
    func tally() throws {
        let geometry = try SeedGeometry(preset: .torchvision, spatial: [9, 14], blockSize: 5)
        let histogram = CoverageHistogram(geometry: geometry)
        #expect(histogram.counts == histogram.counts.sorted() && Set(histogram.counts).count == histogram.counts.count)
        #expect(histogram.units.reduce(0, +) == Double(geometry.mapSize))
    }
}
