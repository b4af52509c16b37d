import DropBlock
import FuzzSupport

/// Runs one case through every entry point and compares them.
enum ForwardRun {
    static func run(_ testCase: ForwardCase, noiseBytes bytes: inout FuzzBytes) {
        let input = testCase.input
        let options = ForwardOptions(recordSeeds: testCase.recordSeeds, threads: testCase.threads)
        if testCase.replayNoise {
            replay(testCase, options: options, bytes: &bytes)
            return
        }
        let result: DropBlockResult
        do {
            result = try testCase.layer.forward(input, seed: testCase.seed, options: options)
        } catch {
            return  // A typed refusal is a correct outcome.
        }
        ForwardChecks.check(result, of: testCase)
        // One thread gives the same result as several.
        let single = try? testCase.layer.forward(input, seed: testCase.seed, options: ForwardOptions(recordSeeds: testCase.recordSeeds, threads: 1))
        fuzzCheck(single?.output == result.output && single?.keepMask == result.keepMask, "thread count changed the result")
        // In place and into a buffer give the allocating pass's output and mask.
        var inPlace = input
        var into = (try? Tensor(shape: input.shape, repeating: -1)) ?? input
        var workspace = DropBlockWorkspace()
        var generator = SeededGenerator(seed: testCase.seed)
        do {
            _ = try testCase.layer.forward(inPlace: &inPlace, generator: &generator, workspace: &workspace, threads: testCase.threads)
            fuzzCheck(workspace.keepMask() == result.keepMask, "in-place mask differs")
            generator = SeededGenerator(seed: testCase.seed)
            _ = try testCase.layer.forward(input, into: &into, generator: &generator, workspace: &workspace, threads: testCase.threads)
        } catch {
            fuzzCheck(false, "the buffer API refused what the allocating API accepted: \(error)")
        }
        fuzzCheck(inPlace == result.output, "in-place output differs")
        fuzzCheck(into == result.output, "into-buffer output differs")
    }

    /// Replays a uniform draw decoded from the bytes (values in [0, 1], edges included).
    static func replay(_ testCase: ForwardCase, options: ForwardOptions, bytes: inout FuzzBytes) {
        guard let noiseShape = try? testCase.layer.noiseShape(for: testCase.input.shape) else { return }
        // Sometimes a wrong shape, which must be refused, not trusted.
        let shape = bytes.byte() < 16 ? noiseShape.map { $0 + 1 } : noiseShape
        guard let count = try? Tensor.elementCount(of: shape), count <= 4 * ForwardCase.maximumElements else { return }
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let b = bytes.byte()
            values[i] = b == 255 ? 1 : (b == 254 ? .ulpOfOne : Float(b) / 256)
        }
        guard let noise = try? Tensor(shape: shape, storage: values) else { return }
        let fillSeed = bytes.uint64()
        let result: DropBlockResult
        do {
            result = try testCase.layer.forward(testCase.input, noise: noise, fillSeed: fillSeed, options: options)
        } catch {
            return
        }
        ForwardChecks.check(result, of: testCase)
    }
}
