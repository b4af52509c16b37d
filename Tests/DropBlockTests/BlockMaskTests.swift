import DropBlock
import Testing

/// The block-mask cases of the PyPI `dropblock` package's own unit tests, replayed by
/// placing seeds through an injected draw (u = 0 is a seed, u = 1 is not).
@Suite("Block masks (the Python package's unit-test cases)")
struct BlockMaskTests {
    /// Keep mask of `preset` for seeds at `seeds` on a map of extent `spatial` (one sample, one channel).
    func keepMask(preset: Preset = .dropblock, blockSize: Int, spatial: [Int], seeds: [[Int]]) throws -> [Float] {
        let shape = [1, 1] + spatial
        let input = try Tensor(shape: shape, repeating: 1)
        var parameters = DropBlockParameters(dropProb: 0.1, blockSize: blockSize, preset: preset)
        parameters.sharing = .shared
        let noiseShape = spatial.count == 2
            ? try DropBlock2D(parameters: parameters).noiseShape(for: shape)
            : try DropBlock3D(parameters: parameters).noiseShape(for: shape)
        var noise = try Tensor(shape: noiseShape, repeating: 1)
        let noiseSpatial = Array(noiseShape.suffix(spatial.count))
        for seed in seeds {
            var index = 0
            for (axis, i) in seed.enumerated() { index = index * noiseSpatial[axis] + i }
            noise[index] = 0
        }
        let result = spatial.count == 2
            ? try DropBlock2D(parameters: parameters).forward(input, noise: noise)
            : try DropBlock3D(parameters: parameters).forward(input, noise: noise)
        return result.keepMask.storage
    }

    /// Parses rows of `1`/`0` (spaces ignored) into a flat mask.
    func grid(_ rows: String) -> [Float] {
        rows.compactMap { $0 == "1" ? 1 : $0 == "0" ? 0 : nil }
    }

    @Test func squareEvenBlock() throws {
        let mask = try keepMask(blockSize: 2, spatial: [8, 8], seeds: [[2, 2], [5, 6]])
        #expect(mask == grid("""
            11111111
            11111111
            11001111
            11001111
            11111111
            11111100
            11111100
            11111111
            """))
    }

    @Test func squareOddBlock() throws {
        let mask = try keepMask(blockSize: 3, spatial: [8, 8], seeds: [[2, 2], [5, 6]])
        #expect(mask == grid("""
            11111111
            10001111
            10001111
            10001111
            11111000
            11111000
            11111000
            11111111
            """))
    }

    @Test func nonSquareMapOddBlock() throws {
        let mask = try keepMask(blockSize: 3, spatial: [5, 8], seeds: [[0, 0], [3, 7]])
        #expect(mask == grid("""
            00111111
            00111111
            11111100
            11111100
            11111100
            """))
    }

    @Test func overlappingBlocksMerge() throws {
        let mask = try keepMask(blockSize: 3, spatial: [6, 6], seeds: [[2, 2], [3, 3]])
        #expect(mask == grid("""
            111111
            100011
            100001
            100001
            110001
            111111
            """))
    }

    @Test func blockLargerThanMapDropsEverythingAroundTheSeed() throws {
        let mask = try keepMask(blockSize: 9, spatial: [4, 4], seeds: [[0, 0]])
        #expect(mask == [Float](repeating: 0, count: 16))
    }

    @Test func threeDimensionalOddBlock() throws {
        let mask = try keepMask(blockSize: 3, spatial: [3, 4, 4], seeds: [[1, 1, 1]])
        var expected = [Float](repeating: 1, count: 48)
        for d in 0..<3 { for h in 0..<3 { for w in 0..<3 { expected[(d * 4 + h) * 4 + w] = 0 } } }
        #expect(mask == expected)
    }

    @Test func threeDimensionalEvenBlock() throws {
        let mask = try keepMask(blockSize: 2, spatial: [3, 3, 3], seeds: [[1, 1, 1]])
        var expected = [Float](repeating: 1, count: 27)
        for d in 1..<3 { for h in 1..<3 { for w in 1..<3 { expected[(d * 3 + h) * 3 + w] = 0 } } }
        #expect(mask == expected)
    }

    @Test("torchvision blocks start at their noise index")
    func torchvisionWindowStartsAtSeed() throws {
        let mask = try keepMask(preset: .torchvision, blockSize: 3, spatial: [5, 5], seeds: [[0, 2]])
        #expect(mask == grid("""
            11000
            11000
            11000
            11111
            11111
            """))
    }

    @Test("timm even blocks cover [i - k/2, i + k/2)")
    func timmEvenBlock() throws {
        let mask = try keepMask(preset: .timm, blockSize: 2, spatial: [4, 4], seeds: [[2, 2]])
        #expect(mask == grid("""
            1111
            1001
            1001
            1111
            """))
    }

    @Test("the slab pass skips empty windows without losing blocks on tall maps")
    func tallMapManySeeds() throws {
        let seeds = [[0, 0], [7, 3], [19, 5], [39, 1]]
        let mask = try keepMask(blockSize: 5, spatial: [40, 6], seeds: seeds)
        var expected = [Float](repeating: 1, count: 240)
        for seed in seeds {
            for h in max(0, seed[0] - 2)...min(39, seed[0] + 2) {
                for w in max(0, seed[1] - 2)...min(5, seed[1] + 2) { expected[h * 6 + w] = 0 }
            }
        }
        #expect(mask == expected)
    }
}
