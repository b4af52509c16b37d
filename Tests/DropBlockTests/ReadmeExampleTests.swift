import DropBlock
import Testing

/// The README's three Swift examples, verbatim but for the asserts: they must compile and run.
@Suite("README examples")
struct ReadmeExampleTests {
    @Test func examplesRun() throws {
        // 2D, as in the Python package's README: x of shape (100, 10, 16, 16)
        let x = try Tensor(shape: [100, 10, 16, 16], storage: (0..<256_000).map { _ in Float.random(in: 0..<1) })
        let dropBlock = DropBlock2D(dropProb: 0.3, blockSize: 3)
        let regularized = try dropBlock.forward(x, seed: 42).output

        // 3D: x of shape (100, 10, 16, 16, 16)
        let volume = try Tensor(shape: [100, 10, 16, 16, 16], repeating: 1)
        let regularizedVolume = try DropBlock3D(dropProb: 0.3, blockSize: 3).forward(volume, seed: 42).output

        // Scheduled: drop_prob ramps from 0 to 0.25 over 5 steps (numpy.linspace, as LinearScheduler does)
        var scheduled = try LinearScheduler(DropBlock2D(dropProb: 0, blockSize: 3), startValue: 0, stopValue: 0.25, steps: 5)
        var generator = SeededGenerator(seed: 1)
        var seen: [Double] = []
        for _ in 0..<10 {             // for each batch
            scheduled.step()
            let out = try scheduled.layer.forward(x, generator: &generator).output
            _ = out
            seen.append(scheduled.dropProb)
        }

        #expect(regularized.shape == x.shape && regularized != x)
        #expect(regularizedVolume.shape == volume.shape && regularizedVolume != volume)
        #expect(seen == [0, 0.0625, 0.125, 0.1875, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25])
    }
}
