import DropBlock
import Testing

/// Sizes and costs derived from parameters must not trap: they are checked into typed errors
/// or bounded (issue 9, item 1).
@Suite("Overflow safety of sizes, positions and cost estimates")
struct OverflowTests {
    /// `render --3d-demo --drop-prob 1 --calibrated --block-size 100000` trapped in the
    /// painting-cost estimate: seeds x block rows x block columns overflowed `Int`.
    @Test("huge 3D blocks with many seeds drop everything without trapping", arguments: [100_000, Int.max])
    func hugeBlocks3D(blockSize: Int) throws {
        let volume = try Tensor(shape: [1, 4, 16, 32, 32], repeating: 1)
        var parameters = DropBlockParameters(dropProb: 1, blockSize: blockSize)
        parameters.calibrated = true
        let result = try DropBlock3D(parameters: parameters).forward(volume, seed: 7)
        #expect(result.seedCount > 1000)
        #expect(result.keepMask.storage.allSatisfy { $0 == 0 })

    }

    @Test("a replayed draw of zeros with a huge 3D block drops everything without trapping")
    func hugeBlocks3DReplayed() throws {
        let volume = try Tensor(shape: [1, 4, 16, 32, 32], repeating: 1)
        // gamma = 0.5 / 100000^3 still rounds to a positive float32, so every zero is a seed.
        let layer = DropBlock3D(dropProb: 0.5, blockSize: 100_000)
        let noise = try Tensor(shape: try layer.noiseShape(for: volume.shape), repeating: 0)
        let replayed = try layer.forward(volume, noise: noise)
        #expect(replayed.seedCount == 16 * 32 * 32)
        #expect(replayed.keepMask.storage.allSatisfy { $0 == 0 })
    }

    @Test("huge 2D blocks with a seed everywhere drop everything without trapping", arguments: Preset.allCases)
    func hugeBlocks2D(preset: Preset) throws {
        let x = try Tensor(shape: [2, 3, 9, 9], repeating: 1)
        // torchvision needs an odd clipped block: the map side, 9, after clipping.
        let layer = DropBlock2D(dropProb: 0.5, blockSize: Int.max, preset: preset)
        let noise = try Tensor(shape: try layer.noiseShape(for: x.shape), repeating: 0)
        let result = try layer.forward(x, noise: noise)
        if preset == .kerascv {
            // keras-cv's gamma divides by the unclipped (9 - bs + 1)^2, about 8.5e37: it rounds to
            // nothing next to 1 in float32, so not even u = 0 seeds. A block one past the map makes
            // that factor 0 instead, gamma inf: a seed everywhere.
            #expect(result.seedCount == 0 && result.keepMask.storage.allSatisfy { $0 == 1 })
            let everywhere = try DropBlock2D(dropProb: 0.5, blockSize: 10, preset: preset).forward(x, noise: noise)
            #expect(everywhere.seedCount == 2 * 3 * 81 && everywhere.keepMask.storage.allSatisfy { $0 == 0 })
            return
        }
        #expect(result.seedCount > 0)
        #expect(result.keepMask.storage.allSatisfy { $0 == 0 }, "\(preset)")
    }

    @Test("an axis longer than a seed position can hold is a typed error naming the limit")
    func axisLimit() throws {
        let tooLong = SeedGeometry.maximumAxisLength + 1
        #expect(throws: DropBlockError.axisTooLong(extent: tooLong, limit: SeedGeometry.maximumAxisLength)) {
            try SeedGeometry(preset: .dropblock, spatial: [1, tooLong], blockSize: 3)
        }
        #expect(throws: DropBlockError.axisTooLong(extent: tooLong, limit: SeedGeometry.maximumAxisLength)) {
            try SeedGeometry(preset: .torchvision, spatial: [tooLong, 1, 1], blockSize: 1)
        }
        do {
            _ = try SeedGeometry(preset: .dropblock, spatial: [tooLong, 2], blockSize: 3)
        } catch {
            #expect(error.description.contains("\(SeedGeometry.maximumAxisLength)"))
        }
        // At the limit it is accepted (nothing is allocated by a geometry).
        let atLimit = try SeedGeometry(preset: .dropblock, spatial: [1, SeedGeometry.maximumAxisLength], blockSize: 3)
        #expect(atLimit.mapSize == SeedGeometry.maximumAxisLength)
    }

    @Test("a map whose size overflows is a typed error, not a trap")
    func mapSizeOverflow() {
        let side = 2_000_000_000
        #expect(throws: DropBlockError.invalidShape([side, side, side])) {
            try SeedGeometry(preset: .dropblock, spatial: [side, side, side], blockSize: 3)
        }
        let study = DropRateStudy(preset: .dropblock, spatial: [side, side, side], blockSize: 3, dropProb: 0.1, samples: 0, seed: 1)
        #expect(study.error != nil)
    }

    @Test("the preset's gamma formula does not trap on huge extents", arguments: Preset.allCases)
    func presetGammaOnHugeExtents(preset: Preset) {
        let parameters = DropBlockParameters(dropProb: 0.1, blockSize: 3, preset: preset)
        let gamma = parameters.presetGamma(spatial: [Int.max / 2, Int.max / 2])
        #expect(gamma.isFinite && gamma >= 0, "\(preset): \(gamma)")
    }
}
