import DropBlock
import FuzzSupport

/// The core's promises about one forward pass, checked element by element.
enum ForwardChecks {
    static func check(_ result: DropBlockResult, of testCase: ForwardCase) {
        let input = testCase.input
        let parameters = testCase.parameters
        let output = result.output, keep = result.keepMask
        fuzzCheck(output.shape == input.shape, "output shape \(output.shape) for input \(input.shape)")
        fuzzCheck(output.count == input.count, "output count")
        let spatial = Array(input.shape.dropFirst(2))
        let maskChannels = keep.shape.count > 1 ? keep.shape[1] : -1
        fuzzCheck(keep.shape == [input.shape[0], maskChannels] + spatial, "mask shape \(keep.shape) for input \(input.shape)")
        fuzzCheck(keep.count == keep.shape.reduce(1, *), "mask count")
        fuzzCheck(keep.storage.allSatisfy { $0 == 0 || $0 == 1 }, "mask value not 0/1")
        let dropped = keep.storage.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        fuzzCheck(output.storage.allSatisfy { !$0.isNaN }, "NaN in the output of finite input")
        if result.isIdentity {
            fuzzCheck(output == input, "identity changed the input")
            fuzzCheck(dropped == 0, "identity dropped units")
            return
        }
        fuzzCheck(maskChannels == 1 || maskChannels == input.shape[1], "mask channels \(maskChannels)")
        fuzzCheck(maskChannels == 1 || !parameters.sharesMask || input.shape[1] == 1, "shared mask with \(maskChannels) channels")
        let fraction = keep.count > 0 ? Double(dropped) / Double(keep.count) : 0
        fuzzCheck(result.droppedFraction == fraction, "droppedFraction \(result.droppedFraction), mask says \(fraction)")
        fuzzCheck(result.everythingDropped == (dropped == keep.count), "everythingDropped disagrees with the mask")
        fuzzCheck(result.scale.isFinite && result.scale >= 0, "scale \(result.scale)")
        if let seeds = result.seedMask {
            fuzzCheck(seeds.shape == keep.shape, "seed mask shape")
            fuzzCheck(seeds.storage.allSatisfy { $0 == 0 || $0 == 1 }, "seed mask value not 0/1")
            let planted = seeds.storage.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
            fuzzCheck(planted == result.seedCount, "seed mask has \(planted) seeds, summary \(result.seedCount)")
            // Every seed drops its own unit.
            fuzzCheck(zip(seeds.storage, keep.storage).allSatisfy { !($0 == 1 && $1 == 1) }, "a seed in a kept unit")
        }
        let withNoise = parameters.preset == .timm && parameters.timm.withNoise
        let n = input.shape[0], c = input.shape[1]
        let mapSize = spatial.reduce(1, *)
        for sample in 0..<n {
            for channel in 0..<c {
                let base = (sample * c + channel) * mapSize
                let maskBase = (sample * maskChannels + (maskChannels == 1 ? 0 : channel)) * mapSize
                for i in 0..<mapSize {
                    let x = input.storage[base + i], y = output.storage[base + i], k = keep.storage[maskBase + i]
                    if withNoise {
                        // timm's with_noise: kept units unchanged, dropped ones Gaussian noise.
                        fuzzCheck(k == 0 ? y.isFinite : y.bitPattern == x.bitPattern, "with_noise at \(base + i): x \(x) keep \(k) y \(y)")
                    } else {
                        let expected = x * (k == 1 ? result.scale : 0)
                        fuzzCheck(y == expected, "output at \(base + i): x \(x) keep \(k) scale \(result.scale) gives \(y), want \(expected)")
                    }
                }
            }
        }
    }
}
