import DropBlock
import Testing

/// Each preset is one rules value; the registry hands out the right one, and everything the
/// engine, the plan and the expected-rate math need comes from it.
@Suite("Preset rules: one value per preset, and keras-cv's corners")
struct PresetRulesTests {
    @Test("the registry hands every preset its own rules, in the cycle's order")
    func registry() {
        #expect(Preset.allCases == [.dropblock, .torchvision, .timm, .tf, .kerascv])
        for preset in Preset.allCases {
            #expect(preset.rules.preset == preset)
            #expect(!preset.rules.library.isEmpty && !preset.rules.seedRegionNote.isEmpty)
        }
        #expect(Preset.kerascv.next == .dropblock && Preset.tf.next == .kerascv)
        #expect(Preset.kerascv.supportedSpatialRanks == [2] && !Preset.kerascv.sharesMaskByDefault)
    }

    @Test("the plan takes the seed rule, noise layout and rescale rule from the rules")
    func planAsksTheRules() throws {
        for preset in Preset.allCases {
            let plan = try DropBlock2D(dropProb: 0.2, blockSize: 3, preset: preset).plan(for: [2, 3, 9, 9])
            let rules = preset.rules
            #expect(plan.seedRule == rules.seedRule(gamma: plan.gamma), "\(preset)")
            #expect(plan.noiseCoversSeedRegionOnly == rules.noiseLayout.coversSeedRegionOnly, "\(preset)")
            let geometry = try #require(plan.geometry)
            #expect(plan.noiseShape == rules.noiseLayout.shape(batch: 2, maskChannels: plan.maskChannels, geometry: geometry), "\(preset)")
            #expect(plan.gamma == rules.gamma(plan.parameters, spatial: [9, 9]), "\(preset)")
        }
    }

    @Test("keras-cv's gamma: float32, the unclipped block in the last factor")
    func kerascvGamma() {
        let rules = KerasCVPresetRules()
        // ((0.1 * 49) / 49) / 1 in float32.
        #expect(rules.gamma(DropBlockParameters(dropProb: 0.1, blockSize: 7, preset: .kerascv), spatial: [7, 7]) == Double(Float(0.1)))
        // (7 - 8 + 1) = 0: a zero denominator, inf; (4 - 9 + 1) * (8 - 9 + 1) = -4 * 0 is +0, still +inf.
        #expect(rules.gamma(DropBlockParameters(dropProb: 0.1, blockSize: 8, preset: .kerascv), spatial: [7, 7]) == .infinity)
        #expect(rules.gamma(DropBlockParameters(dropProb: 0.1, blockSize: 9, preset: .kerascv), spatial: [8, 4]) == .infinity)
        // One factor negative: a negative gamma.
        #expect(rules.gamma(DropBlockParameters(dropProb: 0.2, blockSize: 5, preset: .kerascv), spatial: [3, 8]) < 0)
    }

    @Test("keras-cv's seed rows are bounded by W, not H (its typo)")
    func kerascvRowBound() throws {
        let tall = try SeedGeometry(preset: .kerascv, spatial: [10, 4], blockSize: 3)
        #expect(tall.seedRegion == [1..<3, 1..<3])
        let wide = try SeedGeometry(preset: .kerascv, spatial: [4, 10], blockSize: 3)
        #expect(wide.seedRegion == [1..<4, 1..<9])
        #expect(tall.window == [3, 3] && tall.lowOffset == [1, 1])
        // The block is not clipped to the map: a window of 6 starts 3 before its seed.
        let big = try SeedGeometry(preset: .kerascv, spatial: [4, 4], blockSize: 6)
        #expect(big.window == [6, 6] && big.lowOffset == [3, 3] && big.seedRegion == [2..<3, 2..<3])
    }

    @Test("every allowed seed's block covers the whole map: read from the geometry, for any preset")
    func everySeedCoversWholeMap() throws {
        // keras-cv on a square map with bs >= side: the centre alone, its unclipped window covers it all.
        #expect(try SeedGeometry(preset: .kerascv, spatial: [7, 7], blockSize: 7).everySeedCoversWholeMap)
        #expect(try SeedGeometry(preset: .kerascv, spatial: [7, 7], blockSize: 9).everySeedCoversWholeMap)
        // Non-square: rows 3-6 may seed, and a block from row 6 misses row 0.
        #expect(try !SeedGeometry(preset: .kerascv, spatial: [7, 11], blockSize: 11).everySeedCoversWholeMap)
        #expect(try SeedGeometry(preset: .torchvision, spatial: [7, 7], blockSize: 7).everySeedCoversWholeMap)
        #expect(try !SeedGeometry(preset: .torchvision, spatial: [7, 7], blockSize: 5).everySeedCoversWholeMap)
        // dropblock seeds anywhere: block 7 from a corner covers a quarter; block 15 reaches past both edges from every seed.
        #expect(try !SeedGeometry(preset: .dropblock, spatial: [7, 7], blockSize: 7).everySeedCoversWholeMap)
        #expect(try SeedGeometry(preset: .dropblock, spatial: [7, 7], blockSize: 15).everySeedCoversWholeMap)
    }

    @Test("keras-cv with an infinite gamma drops everything and flags the reference's NaN; a negative one drops nothing")
    func kerascvBlockLargerThanTheMap() throws {
        let x = try Tensor(shape: [1, 2, 7, 7], repeating: 1)
        let everything = try DropBlock2D(dropProb: 0.1, blockSize: 8, preset: .kerascv).forward(x, seed: 3)
        #expect(everything.gamma == .infinity && everything.referenceReturnsNaN && everything.droppedFraction == 1)
        #expect(everything.output.storage.allSatisfy { $0 == 0 })
        let plan = try DropBlock2D(dropProb: 0.1, blockSize: 8, preset: .kerascv).plan(for: [1, 2, 7, 7])
        #expect(plan.expectedDropFraction == 1 && plan.geometry?.seedRegionSize == 49)

        let wide = try Tensor(shape: [1, 2, 3, 8], repeating: 1)
        let nothing = try DropBlock2D(dropProb: 0.2, blockSize: 5, preset: .kerascv).forward(wide, seed: 3)
        #expect(nothing.gamma < 0 && nothing.droppedFraction == 0 && nothing.seedCount == 0 && !nothing.referenceReturnsNaN)
        #expect(try DropBlock2D(dropProb: 0.2, blockSize: 5, preset: .kerascv).plan(for: [1, 2, 3, 8]).expectedDropFraction == 0)
    }

    @Test("stats for keras-cv: sane expectations and block counts at inf and negative gammas")
    func kerascvStudy() {
        let inf = DropRateStudy(preset: .kerascv, spatial: [7, 7], blockSize: 8, dropProb: 0.1, samples: 20, seed: 1)
        #expect(inf.error == nil && inf.expected == 1 && inf.blocks == 49 && inf.measured == 1 && inf.wholeMapFraction == 1)
        let negative = DropRateStudy(preset: .kerascv, spatial: [3, 8], blockSize: 5, dropProb: 0.2, samples: 20, seed: 1)
        #expect(negative.error == nil && negative.expected == 0 && negative.blocks == 0 && negative.measured == 0)
        let usual = DropRateStudy(preset: .kerascv, spatial: [14, 14], blockSize: 3, dropProb: 0.1, samples: 0, seed: 1)
        #expect((usual.expected ?? 0) > 0.05 && (usual.expected ?? 1) < 0.15 && (usual.blocks ?? 0) > 0)
    }
}
