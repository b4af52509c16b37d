import DropBlock
import Testing

/// The realized dropped fraction over many seeded draws against the closed form.
///
/// Masks of different samples are independent, so the per-mask dropped fractions are
/// i.i.d.; their sample variance gives the standard error of the mean. A single unit's
/// drop indicator is exactly Bernoulli(q), so it is also checked with the binomial variance.
@Suite("Statistics with fixed seeds")
struct StatisticsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let preset: Preset
        let spatial: [Int]
        let blockSize: Int
        let dropProb: Double
        var calibrated = false
        var testDescription: String { "\(preset.rawValue) \(spatial) bs \(blockSize) p \(dropProb)\(calibrated ? " calibrated" : "")" }
    }

    static let cases: [Case] = [
        Case(preset: .dropblock, spatial: [14, 14], blockSize: 7, dropProb: 0.1),
        Case(preset: .dropblock, spatial: [20, 16], blockSize: 4, dropProb: 0.3),
        Case(preset: .dropblock, spatial: [6, 8, 8], blockSize: 3, dropProb: 0.2),
        Case(preset: .torchvision, spatial: [14, 14], blockSize: 5, dropProb: 0.1),
        Case(preset: .torchvision, spatial: [5, 9, 7], blockSize: 3, dropProb: 0.25),
        Case(preset: .timm, spatial: [14, 14], blockSize: 7, dropProb: 0.1),
        Case(preset: .timm, spatial: [9, 12], blockSize: 4, dropProb: 0.4),
        Case(preset: .tf, spatial: [16, 16], blockSize: 5, dropProb: 0.15),
        Case(preset: .tf, spatial: [7, 7], blockSize: 7, dropProb: 0.1),
        // gamma above 0.05 takes the dense draw (32 bits per position).
        Case(preset: .dropblock, spatial: [12, 12], blockSize: 3, dropProb: 0.8),
        Case(preset: .torchvision, spatial: [4, 10, 10], blockSize: 3, dropProb: 0.6),
        Case(preset: .dropblock, spatial: [14, 14], blockSize: 7, dropProb: 0.1, calibrated: true),
        Case(preset: .torchvision, spatial: [7, 7], blockSize: 3, dropProb: 0.2, calibrated: true),
        Case(preset: .timm, spatial: [32, 32], blockSize: 7, dropProb: 0.1, calibrated: true),
        Case(preset: .tf, spatial: [4, 6, 6], blockSize: 3, dropProb: 0.1, calibrated: true),
    ]

    @Test("realized matches expected within 4 standard errors", arguments: cases)
    func realizedMatchesExpected(_ c: Case) throws {
        // tf is 2D only: fold a 3D request into more 2D maps.
        let spatial = c.preset == .tf && c.spatial.count == 3 ? Array(c.spatial.suffix(2)) : c.spatial
        var parameters = DropBlockParameters(dropProb: c.dropProb, blockSize: c.blockSize, preset: c.preset)
        parameters.calibrated = c.calibrated
        parameters.sharing = .perChannel
        let shape = [50, 40] + spatial
        let input = try Tensor(shape: shape, repeating: 1)
        let result = spatial.count == 2
            ? try DropBlock2D(parameters: parameters).forward(input, seed: 2024)
            : try DropBlock3D(parameters: parameters).forward(input, seed: 2024)
        let plan = spatial.count == 2
            ? try DropBlock2D(parameters: parameters).plan(for: shape)
            : try DropBlock3D(parameters: parameters).plan(for: shape)
        let expected = plan.expectedDropFraction
        if c.calibrated { #expect(abs(expected - c.dropProb) < 1e-9) }

        let mapSize = spatial.reduce(1, *)
        let maps = result.keepMask.count / mapSize
        var fractions = [Double](repeating: 0, count: maps)
        var centreDropped = 0
        let centre = mapSize / 2
        for m in 0..<maps {
            var dropped = 0
            for i in 0..<mapSize where result.keepMask.storage[m * mapSize + i] == 0 { dropped += 1 }
            fractions[m] = Double(dropped) / Double(mapSize)
            if result.keepMask.storage[m * mapSize + centre] == 0 { centreDropped += 1 }
        }
        let mean = fractions.reduce(0, +) / Double(maps)
        let variance = fractions.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(maps - 1)
        let standardError = (variance / Double(maps)).squareRoot()
        #expect(abs(mean - expected) <= 4 * standardError + 1e-12, "mean \(mean) expected \(expected) se \(standardError)")

        // One unit: Bernoulli(q) with q from the same closed form, binomial standard error.
        let geometry = try #require(plan.geometry)
        let q = singleUnitDropProbability(geometry: geometry, gamma: plan.gamma, unit: centre)
        let binomialSE = (q * (1 - q) / Double(maps)).squareRoot()
        let observed = Double(centreDropped) / Double(maps)
        #expect(abs(observed - q) <= 4 * binomialSE + 1e-12, "centre unit \(observed) vs \(q)")
    }

    /// `1 - (1 - gamma) ** c(j)` for one unit, from the per-axis coverage counts.
    func singleUnitDropProbability(geometry: SeedGeometry, gamma: Double, unit: Int) -> Double {
        var remaining = unit
        var count = 1
        for axis in geometry.spatial.indices.reversed() {
            count *= geometry.coverage(axis: axis)[remaining % geometry.spatial[axis]]
            remaining /= geometry.spatial[axis]
        }
        return 1 - pow(1 - min(gamma, 1), Double(count))
    }

    @Test("the dense seeded draw (gamma above the sparse threshold) drops p of the units within 4 binomial SE")
    func seededPathDensityAboveTheSparseThreshold() throws {
        // gamma > 0.1 takes the dense draw; check it too.
        let layer = DropBlock2D(dropProb: 0.9, blockSize: 1, preset: .dropblock)
        let result = try layer.forward(try Tensor(shape: [100, 1, 30, 30], repeating: 1), seed: 7)
        let n = Double(result.keepMask.count)
        let se = (0.9 * 0.1 / n).squareRoot()
        #expect(abs(result.droppedFraction - 0.9) <= 4 * se)
    }
}

#if canImport(Glibc)
import Glibc
#endif
