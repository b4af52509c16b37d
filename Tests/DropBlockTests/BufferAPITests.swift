import DropBlock
import Testing

@Suite("In-place and caller-buffer forward passes, threads")
struct BufferAPITests {
    /// Large enough that 4 workers really run with a threshold of 64K units each.
    let x: Tensor

    init() throws {
        x = try Tensor(shape: [8, 8, 64, 64], storage: (0..<262_144).map { Float($0 % 251) / 25 - 3 })
    }

    @Test("in place, into a buffer and allocating agree; threads do not change anything", arguments: Preset.allCases)
    func agree(preset: Preset) throws {
        let layer = DropBlock2D(dropProb: 0.2, blockSize: 5, preset: preset)
        let reference = try layer.forward(x, seed: 99, options: ForwardOptions(threads: 1))

        var workspace = DropBlockWorkspace()
        workspace.minimumUnitsPerWorker = 1 << 16
        var inPlace = x
        var generator = SeededGenerator(seed: 99)
        let summary = try layer.forward(inPlace: &inPlace, generator: &generator, workspace: &workspace, threads: 3)
        #expect(reference.summary.workers == 1 && summary.workers == 3, "\(summary.workers) workers")
        #expect(inPlace == reference.output)
        #expect(workspace.keepMask() == reference.keepMask)
        #expect(summary.scale == reference.scale && summary.seedCount == reference.seedCount)

        var output = try Tensor(shape: x.shape)
        generator = SeededGenerator(seed: 99)
        let into = try layer.forward(x, into: &output, generator: &generator, workspace: &workspace, threads: 2)
        #expect(into.workers == 2)
        #expect(output == reference.output)

        // The workspace is reused: a second pass with the same draw gives the same result.
        generator = SeededGenerator(seed: 99)
        var again = x
        let four = try layer.forward(inPlace: &again, generator: &generator, workspace: &workspace, threads: 4)
        #expect(four.workers == 4)
        #expect(again == reference.output)
    }

    /// Small tensors run several workers once the threshold is lowered: every strategy of
    /// building and applying masks (shared and per-channel masks, 2D and 3D, replayed noise)
    /// under threads, which the ThreadSanitizer pass in `.ci/run` checks.
    @Test("small tensors with a low threshold run several workers and agree", arguments: Preset.allCases)
    func lowThreshold(preset: Preset) throws {
        let small = try Tensor(shape: [5, 3, 12, 12], storage: (0..<2160).map { Float($0 % 13) - 6 })
        let layer = DropBlock2D(dropProb: 0.3, blockSize: 3, preset: preset)
        let reference = try layer.forward(small, seed: 8, options: ForwardOptions(threads: 1))
        let threaded = try layer.forward(small, seed: 8, options: ForwardOptions(recordSeeds: true, threads: 4, minimumUnitsPerWorker: 100))
        #expect(threaded.summary.workers == 4)
        #expect(threaded.keepMask == reference.keepMask && threaded.output == reference.output)

        let noiseShape = try layer.noiseShape(for: small.shape)
        let noise = try Tensor(shape: noiseShape, storage: (0..<noiseShape.reduce(1, *)).map { Float(($0 * 7919) % 1000) / 1000 })
        let replayedOnce = try layer.forward(small, noise: noise, options: ForwardOptions(threads: 1))
        let replayed = try layer.forward(small, noise: noise, options: ForwardOptions(threads: 3, minimumUnitsPerWorker: 1))
        #expect(replayed.summary.workers == 3)
        #expect(replayed.keepMask == replayedOnce.keepMask && replayed.output == replayedOnce.output)

        var workspace = DropBlockWorkspace()
        workspace.minimumUnitsPerWorker = 100
        var inPlace = small
        var generator = SeededGenerator(seed: 8)
        let summary = try layer.forward(inPlace: &inPlace, generator: &generator, workspace: &workspace, threads: 2)
        #expect(summary.workers == 2)
        #expect(inPlace == reference.output)
    }

    @Test("3D: a small volume with a low threshold runs several workers and agrees")
    func lowThreshold3D() throws {
        let volume = try Tensor(shape: [3, 2, 6, 8, 8], storage: (0..<2304).map { Float($0 % 11) })
        for preset in [Preset.dropblock, .torchvision] {
            let layer = DropBlock3D(dropProb: 0.25, blockSize: 3, preset: preset)
            let reference = try layer.forward(volume, seed: 2, options: ForwardOptions(threads: 1))
            let threaded = try layer.forward(volume, seed: 2, options: ForwardOptions(threads: 3, minimumUnitsPerWorker: 1))
            #expect(threaded.summary.workers == 3)
            #expect(threaded.keepMask == reference.keepMask && threaded.output == reference.output, "\(preset)")
        }
    }

    @Test("3D in place with threads matches the allocating pass")
    func threeD() throws {
        let volume = try Tensor(shape: [4, 4, 16, 32, 32], storage: (0..<262_144).map { Float($0 % 97) })
        let layer = DropBlock3D(dropProb: 0.15, blockSize: 5, preset: .torchvision)
        let reference = try layer.forward(volume, seed: 5, options: ForwardOptions(threads: 1))
        var workspace = DropBlockWorkspace()
        workspace.minimumUnitsPerWorker = 1 << 16
        var inPlace = volume
        var generator = SeededGenerator(seed: 5)
        let summary = try layer.forward(inPlace: &inPlace, generator: &generator, workspace: &workspace, threads: 3)
        #expect(summary.workers == 3)
        #expect(inPlace == reference.output && workspace.keepMask() == reference.keepMask)
    }

    @Test func wrongOutputShape() throws {
        var output = try Tensor(shape: [8, 8, 64, 63])
        var generator = SeededGenerator(seed: 1)
        var workspace = DropBlockWorkspace()
        // The error says the output cannot hold the input's elements.
        #expect(throws: DropBlockError.storageMismatch(shape: [8, 8, 64, 64], count: 8 * 8 * 64 * 63)) {
            try DropBlock2D().forward(x, into: &output, generator: &generator, workspace: &workspace)
        }
    }
}

@Suite("Applying masks: every strategy gives input x keep x scale")
struct ApplyStrategyTests {
    /// A shared map with nothing dropped is a multiply by the scale (or no pass at all at
    /// scale 1 in place); any other small shared map is a tiled multiply by its multipliers
    /// (several channels per tile); a large one, and every per-channel mask, selects from the
    /// mask bytes and multiplies in one pass. All must equal the definition, in place and not.
    @Test("output equals input x keep x scale", arguments: [
        // (preset, side, block, p, scale_by_keep, mixes untouched and dropped samples)
        (Preset.timm, 7, 7, 0.1, true, false),         // 7x7 map, 7x7 block: ~90% dropped, many channels per tile
        (Preset.dropblock, 14, 7, 0.1, true, true),    // few seeds: some samples have nothing dropped
        (Preset.timm, 14, 7, 0.03, false, true),       // scale 1: untouched samples skip the pass in place
        (Preset.dropblock, 40, 5, 0.5, true, false),   // map larger than the tile: select from mask bytes
        (Preset.torchvision, 14, 5, 0.3, true, false), // per-channel
    ])
    func definition(preset: Preset, side: Int, blockSize: Int, p: Double, scaleByKeep: Bool, mixesUntouched: Bool) throws {
        let batch = 16, count = batch * 6 * side * side
        let x = try Tensor(shape: [batch, 6, side, side], storage: (0..<count).map { Float($0 % 89) / 8 - 5 })
        let layer = DropBlock2D(parameters: DropBlockParameters(
            dropProb: p, blockSize: blockSize, preset: preset, timm: TimmOptions(scaleByKeep: scaleByKeep)))
        let result = try layer.forward(x, seed: 21, options: ForwardOptions(threads: 1))
        let mapSize = side * side
        let maskChannels = result.keepMask.shape[1]
        var expected = [Float](repeating: 0, count: count)
        for plane in 0..<(batch * 6) {
            let map = (plane / 6) * maskChannels + (maskChannels == 1 ? 0 : plane % 6)
            for i in 0..<mapSize where result.keepMask.storage[map * mapSize + i] == 1 {
                expected[plane * mapSize + i] = x.storage[plane * mapSize + i] * result.scale
            }
        }
        // Compare by the first differing index, so that a failure prints one line, not the tensor.
        let firstWrong = expected.indices.first { result.output.storage[$0] != expected[$0] }
        #expect(firstWrong == nil, "\(preset) \(side) \(blockSize) \(p), dropped \(result.droppedFraction)")
        if mixesUntouched {
            // These cases exist to reach the "nothing dropped in this map" branch next to the other.
            let droppedPerSample = (0..<batch).map { n in
                result.keepMask.storage[(n * mapSize)..<((n + 1) * mapSize)].reduce(0) { $0 + (1 - $1) }
            }
            #expect(droppedPerSample.contains(0) && droppedPerSample.contains { $0 > 0 }, "\(droppedPerSample)")
        }
        var inPlace = x
        var generator = SeededGenerator(seed: 21)
        var workspace = DropBlockWorkspace()
        _ = try layer.forward(inPlace: &inPlace, generator: &generator, workspace: &workspace, threads: 1)
        #expect(expected.indices.first { inPlace.storage[$0] != expected[$0] } == nil)
    }
}
