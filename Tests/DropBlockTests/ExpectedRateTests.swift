import DropBlock
import Testing

@Suite("Expected drop rate and calibration")
struct ExpectedRateTests {
    /// The expectation by enumerating every seed configuration of the allowed region.
    func bruteForce(_ geometry: SeedGeometry, gamma: Double) -> Double {
        let spatial = geometry.spatial
        var positions: [[Int]] = [[]]
        for region in geometry.seedRegion { positions = positions.flatMap { p in region.map { p + [$0] } } }
        precondition(positions.count <= 16)
        let mapSize = geometry.mapSize
        var expectation = 0.0
        for configuration in 0..<(1 << positions.count) {
            var dropped = [Bool](repeating: false, count: mapSize)
            var seeds = 0
            for (bit, seed) in positions.enumerated() where configuration & (1 << bit) != 0 {
                seeds += 1
                var ranges: [Range<Int>] = []
                for axis in spatial.indices {
                    let start = seed[axis] - geometry.lowOffset[axis]
                    ranges.append(max(0, start)..<min(spatial[axis], max(0, start + geometry.window[axis])))
                }
                var cells: [[Int]] = [[]]
                for r in ranges { cells = cells.flatMap { c in r.map { c + [$0] } } }
                for cell in cells {
                    var index = 0
                    for (axis, i) in cell.enumerated() { index = index * spatial[axis] + i }
                    dropped[index] = true
                }
            }
            let weight = pow(gamma, Double(seeds)) * pow(1 - gamma, Double(positions.count - seeds))
            expectation += weight * Double(dropped.filter { $0 }.count) / Double(mapSize)
        }
        return expectation
    }

    static let cases: [(Preset, [Int], Int)] = [
        (.dropblock, [3, 4], 2), (.dropblock, [3, 4], 3), (.dropblock, [2, 2, 3], 2), (.dropblock, [2, 2, 3], 3),
        (.torchvision, [4, 4], 3), (.torchvision, [5, 3], 1), (.torchvision, [3, 3, 4], 3), (.torchvision, [2, 3, 2], 1),
        (.timm, [3, 5], 2), (.timm, [4, 3], 3), (.timm, [2, 6], 5),
        (.tf, [4, 4], 2), (.tf, [4, 4], 3), (.tf, [5, 5], 4),
    ]

    @Test("closed form equals brute-force enumeration", arguments: 0..<cases.count)
    func closedFormMatchesEnumeration(index: Int) throws {
        let (preset, spatial, blockSize) = Self.cases[index]
        let geometry = try SeedGeometry(preset: preset, spatial: spatial, blockSize: blockSize)
        for gamma in [0.0, 0.03, 0.2, 0.5, 0.9, 1.0] {
            let closed = geometry.expectedDropFraction(gamma: gamma)
            let brute = bruteForce(geometry, gamma: gamma)
            #expect(abs(closed - brute) <= 1e-12, "\(preset) \(spatial) bs \(blockSize) gamma \(gamma): \(closed) vs \(brute)")
        }
    }

    @Test("calibrated gamma hits p within 1e-9 where reachable")
    func calibrationHitsTarget() throws {
        for preset in Preset.allCases {
            for (spatial, blockSize) in [([14, 14], 7), ([32, 32], 5), ([7, 7], 3), ([56, 56], 7)] {
                let geometry = try SeedGeometry(preset: preset, spatial: spatial, blockSize: blockSize)
                for p in [0.05, 0.1, 0.3] {
                    let calibration = GammaCalibration(target: p, geometry: geometry)
                    #expect(calibration.isReachable)
                    #expect(abs(calibration.expected - p) < 1e-9, "\(preset) \(spatial) \(blockSize) \(p)")
                }
            }
        }
    }

    @Test("p = 1 saturates at gamma 1: every preset's seeds can cover the whole map")
    func fullDropSaturates() throws {
        for preset in Preset.allCases {
            let geometry = try SeedGeometry(preset: preset, spatial: [6, 6], blockSize: 3)
            let calibration = GammaCalibration(target: 1, geometry: geometry)
            #expect(calibration.isReachable && calibration.gamma == 1 && calibration.expected == 1, "\(preset)")
            #expect(GammaCalibration(target: 0, geometry: geometry).gamma == 0)
        }
    }

    @Test("presets' own gamma under-drops or over-drops as documented")
    func presetGapsOnA32Map() throws {
        // The realized-rate gap the README reports: p = 0.1, block 7, 32x32.
        let expected = try Preset.allCases.map { preset -> Double in
            let layer = DropBlock2D(dropProb: 0.1, blockSize: 7, preset: preset)
            return try layer.plan(for: [1, 1, 32, 32]).expectedDropFraction
        }
        #expect(expected[0] < 0.1 && expected[0] > 0.08)   // dropblock under-drops
        #expect(expected[1] < 0.1 && expected[1] > 0.09)   // torchvision a little under
        #expect(expected[2] > 0.11)                        // timm over-drops
    }
}

#if canImport(Glibc)
import Glibc
#endif
