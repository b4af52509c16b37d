import DropBlock
import Testing

@Suite("Validation and edge cases")
struct ValidationTests {
    let input = try! Tensor(shape: [1, 2, 6, 6], repeating: 1)

    @Test(arguments: [-0.1, 1.5, Double.nan, Double.infinity])
    func rejectsDropProbability(p: Double) {
        // The error names the value (NaN compares unequal, so match it by kind).
        #expect {
            try DropBlock2D(dropProb: p).forward(input, seed: 1)
        } throws: { error in
            guard case DropBlockError.invalidDropProbability(let value) = error else { return false }
            return value == p || (value.isNaN && p.isNaN)
        }
    }

    @Test func rejectsBlockSizeBelowOne() {
        #expect(throws: DropBlockError.invalidBlockSize(0)) { try DropBlock2D(blockSize: 0).forward(input, seed: 1) }
    }

    @Test func rejectsWrongRank() throws {
        let volume = try Tensor(shape: [1, 1, 2, 3, 3], repeating: 1)
        #expect(throws: DropBlockError.wrongRank(expected: 4, shape: [1, 1, 2, 3, 3])) {
            try DropBlock2D().forward(volume, seed: 1)
        }
        #expect(throws: DropBlockError.wrongRank(expected: 5, shape: [1, 2, 6, 6])) {
            try DropBlock3D().forward(input, seed: 1)
        }
    }

    @Test func presetSpecificErrors() throws {
        #expect(throws: DropBlockError.evenBlockSize(preset: .torchvision, blockSize: 4, clipped: 4)) {
            try DropBlock2D(blockSize: 4, preset: .torchvision).forward(input, seed: 1)
        }
        // Each says what to use instead.
        #expect(DropBlockError.evenBlockSize(preset: .torchvision, blockSize: 4, clipped: 4).description
                == "torchvision needs an odd block size, got 4: use 3")
        #expect(DropBlockError.evenBlockSize(preset: .torchvision, blockSize: 9, clipped: 8).description
                == "torchvision clips block 9 to the map's smallest side, 8, and needs an odd block size: use 7 or less")
        let wide = try Tensor(shape: [1, 1, 4, 6], repeating: 1)
        #expect(throws: DropBlockError.nonSquareMap(height: 4, width: 6)) {
            try DropBlock2D(preset: .tf).forward(wide, seed: 1)
        }
        let volume = try Tensor(shape: [1, 1, 3, 3, 3], repeating: 1)
        #expect(throws: DropBlockError.unsupportedRank(preset: .timm, spatialRank: 3)) {
            try DropBlock3D(preset: .timm).forward(volume, seed: 1)
        }
    }

    @Test func noiseOfTheWrongShapeNamesTheExpectedShape() throws {
        let noise = try Tensor(shape: [1, 6, 5], repeating: 0.5)
        do {
            _ = try DropBlock2D().forward(input, noise: noise)
            Issue.record("expected an error")
        } catch {
            #expect(error == .noiseShapeMismatch(expected: [1, 6, 6], got: [1, 6, 5]))
            #expect(error.description.contains("(1, 6, 6)"))
        }
    }

    @Test("timm's normal draw must have the keep mask's shape, and only with_noise uses it")
    func normalNoiseIsValidated() throws {
        let x = try Tensor(shape: [2, 3, 6, 6], repeating: 1)
        let noise = try Tensor(shape: [2, 1, 6, 6], repeating: 0)
        var parameters = DropBlockParameters(dropProb: 0.3, blockSize: 3, preset: .timm, timm: TimmOptions(withNoise: true))
        let wrong = try Tensor(shape: [2, 3, 6, 6], repeating: 0.5)
        do {
            _ = try DropBlock2D(parameters: parameters).forward(x, noise: noise, normalNoise: wrong)
            Issue.record("expected an error")
        } catch {
            #expect(error == .normalNoiseShapeMismatch(expected: [2, 1, 6, 6], got: [2, 3, 6, 6]))
            #expect(error.description.contains("(2, 1, 6, 6)"))
        }
        // Every seed fires on a draw of zeros, so every unit takes the normal draw.
        let normal = try Tensor(shape: [2, 1, 6, 6], storage: (0..<72).map { Float($0) / 10 })
        let filled = try DropBlock2D(parameters: parameters).forward(x, noise: noise, normalNoise: normal)
        let expected: [Float] = (0..<216).map { unit in
            let sample = unit / 108, position = unit % 36
            return Float(sample * 36 + position) / 10
        }
        #expect(filled.output.storage == expected)

        parameters.timm.withNoise = false
        #expect(throws: DropBlockError.normalNoiseWithoutWithNoise(preset: .timm)) {
            try DropBlock2D(parameters: parameters).forward(x, noise: noise, normalNoise: normal)
        }
        // The identity reads neither draw, as in timm.
        parameters.isTraining = false
        #expect(try DropBlock2D(parameters: parameters).forward(x, noise: noise, normalNoise: wrong).output == x)
    }

    @Test func zeroSizedInputIsAnError() throws {
        let empty = try Tensor(shape: [1, 0, 4, 4], storage: [])
        #expect(throws: DropBlockError.emptyDimension(shape: [1, 0, 4, 4])) { try DropBlock2D().forward(empty, seed: 1) }
    }

    @Test func tensorRejectsMismatchedStorageAndOverflow() {
        #expect(throws: DropBlockError.storageMismatch(shape: [2, 2], count: 3)) { try Tensor(shape: [2, 2], storage: [1, 2, 3]) }
        #expect(throws: DropBlockError.invalidShape([Int.max, 4])) { try Tensor(shape: [Int.max, 4], repeating: 0) }
        #expect(throws: DropBlockError.invalidShape([-1, 4])) { try Tensor(shape: [-1, 4], repeating: 0) }
    }

    @Test func evalAndZeroProbabilityAreTheIdentity() throws {
        var layer = DropBlock2D(dropProb: 0.5, blockSize: 3)
        layer.isTraining = false
        let ramp = try Tensor(shape: [1, 2, 6, 6], storage: (0..<72).map(Float.init))
        let evaluated = try layer.forward(ramp, seed: 3)
        #expect(evaluated.output == ramp && evaluated.isIdentity && evaluated.scale == 1)
        let zero = try DropBlock2D(dropProb: 0, blockSize: 3, preset: .torchvision).forward(ramp, seed: 3)
        #expect(zero.output == ramp && zero.droppedFraction == 0)
        // The reference checks tf's square maps only in training, so eval passes them.
        var tf = DropBlock2D(dropProb: 0.5, preset: .tf)
        tf.isTraining = false
        #expect(try tf.forward(try Tensor(shape: [1, 1, 2, 3], repeating: 1), seed: 1).isIdentity)
    }

    @Test("everything dropped gives zeros, never NaN, and says the reference would be NaN")
    func everythingDropped() throws {
        let ramp = try Tensor(shape: [1, 2, 5, 5], storage: (0..<50).map { Float($0) - 7 })
        for preset in [Preset.dropblock, .tf, .torchvision, .timm] {
            var parameters = DropBlockParameters(dropProb: 1, blockSize: 5, preset: preset)
            parameters.calibrated = true
            let result = try DropBlock2D(parameters: parameters).forward(ramp, seed: 9)
            #expect(result.everythingDropped, "\(preset)")
            #expect(result.output.storage.allSatisfy { $0 == 0 }, "\(preset)")
            #expect(result.referenceReturnsNaN == (preset == .dropblock || preset == .tf), "\(preset)")
        }
    }

    @Test("timm with_noise fills dropped units with Gaussian noise and keeps the rest unscaled")
    func timmWithNoise() throws {
        var parameters = DropBlockParameters(dropProb: 0.3, blockSize: 3, preset: .timm)
        parameters.timm.withNoise = true
        let ones = try Tensor(shape: [4, 3, 32, 32], repeating: 1)
        let result = try DropBlock2D(parameters: parameters).forward(ones, seed: 5)
        #expect(result.scale == 1)
        var fill: [Double] = []
        let mapSize = 32 * 32
        for plane in 0..<12 {
            let n = plane / 3
            for i in 0..<mapSize {
                let kept = result.keepMask.storage[n * mapSize + i] == 1
                let value = result.output.storage[plane * mapSize + i]
                if kept { #expect(value == 1) } else { fill.append(Double(value)) }
            }
        }
        // The fill is standard normal: its mean is within 4 standard errors (1/sqrt(n)) of 0.
        #expect(fill.count > 500)
        let mean = fill.reduce(0, +) / Double(fill.count)
        let variance = fill.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(fill.count - 1)
        #expect(abs(mean) < 4 / Double(fill.count).squareRoot())
        // Sample variance of n normals has standard error about sqrt(2 / n).
        #expect(abs(variance - 1) < 4 * (2 / Double(fill.count)).squareRoot())
    }

    @Test("the same seed gives the same masks; threads do not change them")
    func determinism() throws {
        let x = try Tensor(shape: [3, 4, 20, 20], storage: (0..<4800).map { Float($0 % 17) })
        for preset in Preset.allCases {
            let layer = DropBlock2D(dropProb: 0.2, blockSize: 5, preset: preset)
            let a = try layer.forward(x, seed: 42, options: ForwardOptions(threads: 1))
            let b = try layer.forward(x, seed: 42)
            // A low threshold, so that 3 workers really share these 4800 units (3 samples).
            let c = try layer.forward(x, seed: 42, options: ForwardOptions(threads: 3, minimumUnitsPerWorker: 64))
            let d = try layer.forward(x, seed: 43)
            #expect(a.summary.workers == 1 && c.summary.workers == 3, "\(preset): \(c.summary.workers) workers")
            #expect(a.keepMask == b.keepMask && a.output == b.output)
            #expect(a.keepMask == c.keepMask && a.output == c.output)
            #expect(a.keepMask != d.keepMask)
        }
    }

    @Test func maskSharingOverride() throws {
        let x = try Tensor(shape: [2, 3, 8, 8], repeating: 1)
        var parameters = DropBlockParameters(dropProb: 0.2, blockSize: 3, preset: .torchvision)
        parameters.sharing = .shared
        #expect(try DropBlock2D(parameters: parameters).forward(x, seed: 1).keepMask.shape == [2, 1, 8, 8])
        parameters.preset = .dropblock
        parameters.sharing = .perChannel
        let layer = DropBlock2D(parameters: parameters)
        #expect(try layer.noiseShape(for: x.shape) == [2, 3, 8, 8])
        #expect(try layer.forward(x, seed: 1).keepMask.shape == [2, 3, 8, 8])
    }
}
