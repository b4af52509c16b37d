import DropBlock
import Testing

/// Known-answer vectors: the same seed must give the same masks on every platform and in
/// every version, so the generator's first outputs are pinned here. They were computed by an
/// independent Python model of xoshiro256** seeded through SplitMix64 (which reproduces the
/// xoshiro256** reference outputs 11520, 0, 1509978240, 1215971899390074240 for state 1, 2, 3, 4).
@Suite("SeededGenerator known-answer vectors")
struct GeneratorTests {
    static let seedVectors: [(UInt64, [UInt64])] = [
        (0, [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C]),
        (1, [0xB3F2_AF6D_0FC7_10C5, 0x853B_5596_4736_4CEA, 0x92F8_9756_082A_4514, 0x642E_1C7B_C266_A3A7]),
        (42, [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1]),
        (UInt64.max, [0x8F55_20D5_2A7E_AD08, 0xC476_A018_CAA1_802D, 0x81DE_31C0_D260_469E, 0xBF65_8D7E_065F_3C2F]),
    ]

    static let streamVectors: [(UInt64, UInt64, [UInt64])] = [
        (7, 0, [0x4C06_C108_0CAA_5417, 0xFB21_61E3_A8C4_D3D5, 0x5221_466C_14D2_8FA8, 0x271F_B820_A202_ABD9]),
        (7, 1, [0x43D2_80F3_71A0_1E90, 0x4CD0_AA53_63AA_B404, 0x839E_50AB_6505_37EE, 0x9E88_B3D1_D935_AD2C]),
        (7, (3 << 20) | 1, [0x41AF_C7B9_AE82_EFB3, 0xD174_72B4_DF46_6D09, 0x73BC_5488_4859_A021, 0x3213_49A1_48DA_7AF9]),
    ]

    @Test("first outputs for a few seeds", arguments: seedVectors)
    func seeds(seed: UInt64, expected: [UInt64]) {
        var generator = SeededGenerator(seed: seed)
        #expect(expected.map { _ in generator.next() } == expected)
    }

    @Test("first outputs of keyed streams", arguments: streamVectors)
    func streams(key: UInt64, stream: UInt64, expected: [UInt64]) {
        var generator = SeededGenerator(key: key, stream: stream)
        #expect(expected.map { _ in generator.next() } == expected)
    }

    @Test("uniform floats are the top 24 bits")
    func uniformFloats() {
        var generator = SeededGenerator(seed: 5)
        let expected: [Float] = [4_838_737, 10_101_265, 10_897_585, 13_783_326].map { $0 * 0x1p-24 }
        #expect(expected.map { _ in generator.nextUniformFloat() } == expected)
    }
}

@Suite("LinearScheduler.reset")
struct LinearSchedulerResetTests {
    @Test("reset restores the layer's drop probability and the schedule's start")
    func reset() throws {
        // 0.25, 0.5, 0.75: exact in binary, so the values can be written out.
        var scheduler = try LinearScheduler(DropBlock2D(dropProb: 0.125), startValue: 0.25, stopValue: 0.75, steps: 3)
        scheduler.step()
        scheduler.step()
        #expect(scheduler.dropProb == 0.5 && scheduler.index == 2)
        scheduler.reset()
        #expect(scheduler.dropProb == 0.125 && scheduler.layer.dropProb == 0.125 && scheduler.index == 0)
        scheduler.step()
        #expect(scheduler.dropProb == 0.25, "the first value again")
        // Past the end, then back.
        for _ in 0..<5 { scheduler.step() }
        #expect(scheduler.dropProb == 0.75 && scheduler.index == 6)
        scheduler.reset()
        #expect(scheduler.dropProb == 0.125 && scheduler.index == 0)
    }
}

@Suite("A workspace reused across shapes")
struct WorkspaceReuseTests {
    /// Larger, smaller, other parameters, then the first shape again: every pass with the
    /// shared workspace must equal the allocating pass with the same seed.
    @Test("after a shape change, a reused workspace gives what a fresh pass gives", arguments: [Preset.dropblock, .torchvision, .timm])
    func shapeChanges(preset: Preset) throws {
        let steps: [([Int], Int)] = [([2, 3, 12, 12], 3), ([4, 2, 21, 17], 3), ([1, 3, 7, 9], 3), ([3, 2, 15, 15], 5), ([2, 3, 12, 12], 3)]
        var workspace = DropBlockWorkspace()
        for (step, (shape, blockSize)) in steps.enumerated() {
            let count = shape.reduce(1, *)
            let x = try Tensor(shape: shape, storage: (0..<count).map { Float($0 % 23) - 11 })
            let layer = DropBlock2D(dropProb: 0.3, blockSize: blockSize, preset: preset)
            let seed = UInt64(100 + step)
            let reference = try layer.forward(x, seed: seed, options: ForwardOptions(threads: 1))

            var inPlace = x
            var generator = SeededGenerator(seed: seed)
            let summary = try layer.forward(inPlace: &inPlace, generator: &generator, workspace: &workspace, threads: 1)
            #expect(inPlace == reference.output, "\(preset) step \(step) \(shape): in place")
            #expect(workspace.keepMask() == reference.keepMask, "\(preset) step \(step) \(shape): mask")
            #expect(summary.scale == reference.scale && summary.seedCount == reference.seedCount)

            var output = try Tensor(shape: shape)
            generator = SeededGenerator(seed: seed)
            _ = try layer.forward(x, into: &output, generator: &generator, workspace: &workspace, threads: 1)
            #expect(output == reference.output, "\(preset) step \(step) \(shape): into a buffer")
            // The case must drop something, or equal outputs would prove little.
            #expect(reference.droppedFraction > 0 && reference.droppedFraction < 1, "\(preset) step \(step)")
        }
    }
}
