@testable import DropBlock
import Testing

/// Each worker's seed list has room for the most seeds a map can get: every allowed position
/// when a pass replays a recorded draw or draws a uniform per position, only the count
/// table's largest count when the sparse sampler draws counts (a single 4000x4000 map took
/// 192 MB of list per worker). A workspace moving between the two must grow the list first.
@Suite("Seed lists: sized by the most seeds a map can get")
struct SeedListTests {
    static func plan(side: Int, p: Double = 0.1, blockSize: Int = 7) throws -> DropPlan {
        try DropBlockND(parameters: DropBlockParameters(dropProb: p, blockSize: blockSize, preset: .torchvision))
            .plan(for: [1, 1, side, side])
    }

    @Test("a drawn sparse pass on a large map needs room for its table's largest count, a replay for every position")
    func capacity() throws {
        let plan = try Self.plan(side: 4000)
        let geometry = try #require(plan.geometry)
        let total = geometry.seedRegionSize
        let drawn = DropBlockWorkspace.seedCapacity(geometry: geometry, gamma: plan.gamma, replaysNoise: false)
        let replayed = DropBlockWorkspace.seedCapacity(geometry: geometry, gamma: plan.gamma, replaysNoise: true)
        let mean = plan.gamma * Double(total)
        #expect(replayed == total)
        #expect(Double(drawn) > mean + 10 * mean.squareRoot() && drawn < total / 100, "\(drawn) of \(total)")
        // A dense pass (block 1 at p = 0.1: gamma 0.1) draws a uniform per position.
        let dense = try Self.plan(side: 64, blockSize: 1)
        let denseGeometry = try #require(dense.geometry)
        #expect(DropBlockWorkspace.seedCapacity(geometry: denseGeometry, gamma: dense.gamma, replaysNoise: false)
                == denseGeometry.seedRegionSize)
        #expect(DropBlockMask.buildBytes(for: plan, replaysNoise: false) + 12 * (total - drawn)
                == DropBlockMask.buildBytes(for: plan))
    }

    @Test("one workspace from drawn passes to a replay that seeds every position and back gives what fresh ones give")
    func reuseAcrossSources() throws {
        let plan = try Self.plan(side: 40, p: 0.1, blockSize: 3)
        #expect(SeedSampler.drawsCounts(gamma: plan.gamma), "the drawn passes take the sparse form")
        let count = plan.shape.reduce(1, *)
        let x = (0..<count).map { Float($0 % 13) - 6 }
        // Every position a seed: torchvision seeds where the uniform is below gamma.
        let everywhere = try Tensor(shape: plan.noiseShape, repeating: 0)
        let sources: [SeedSource] = [.generator(key: 5), .noise(everywhere), .generator(key: 6)]
        var shared = DropBlockWorkspace()
        for source in sources {
            var fresh = DropBlockWorkspace()
            let expected = Self.run(x, plan: plan, source: source, workspace: &fresh)
            let got = Self.run(x, plan: plan, source: source, workspace: &shared)
            #expect(got.output.map(\.bitPattern) == expected.output.map(\.bitPattern))
            #expect(got.seeds == expected.seeds)
        }
        let geometry = try #require(plan.geometry)
        #expect(shared.seedLists.count == geometry.seedRegionSize, "grown for the replay, kept after it")
        #expect(shared.seedListStride == DropBlockWorkspace.seedCapacity(geometry: geometry, gamma: plan.gamma, replaysNoise: false))
    }

    static func run(_ x: [Float], plan: DropPlan, source: SeedSource, workspace: inout DropBlockWorkspace) -> (output: [Float], seeds: Int) {
        var output = [Float](repeating: 0, count: x.count)
        let summary = x.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                DropBlockEngine.run(input: input, output: out, plan: plan, source: source, fill: .generator(key: 0), threads: 1,
                                    workspace: &workspace)
            }
        }
        return (output, summary.seedCount)
    }
}
