import DropBlock
import Testing

/// Block expansion has three paths (a copy of the seeds for 1-unit blocks, painting each block
/// when seeds are few, separable sliding windows when they are many). All must give exactly
/// the union of the seeds' blocks, which these tests compute independently from the
/// geometry, at densities that take each path, from recorded noise and from the generator.
/// Shared masks are built as bytes, per-channel ones as bits (`MaskBits`, rows of one or two
/// words, of several words when wider than 64, and packed bytes when dense; bytes again for
/// maps under 16 units): all are checked.
@Suite("Block expansion: painting and sliding agree with the definition")
struct ExpansionEquivalenceTests {
    static let cases: [(Preset, [Int], Int)] = [
        (.dropblock, [17, 23], 3), (.dropblock, [17, 23], 4), (.dropblock, [6, 9, 11], 3), (.dropblock, [5, 8, 7], 2),
        (.torchvision, [20, 20], 5), (.torchvision, [7, 9, 12], 3), (.timm, [19, 13], 6), (.timm, [12, 30], 7),
        (.tf, [21, 21], 4), (.tf, [16, 16], 9),
        (.dropblock, [17, 23], 1), (.dropblock, [5, 8, 7], 1), (.torchvision, [20, 20], 1), (.tf, [9, 9], 1),
        (.torchvision, [5, 70], 3), (.tf, [70, 70], 5), (.torchvision, [9, 64], 7), (.torchvision, [4, 5, 67], 3),
        (.kerascv, [9, 13], 3),
        // A block built in a register (at most 128 bits from its first row to its last, rows
        // of at most 64): rows straddling words, and a one-row map with a run too long for it.
        (.dropblock, [3, 40], 3), (.dropblock, [1, 100], 70), (.torchvision, [11, 11], 5),
        // Maps under 16 units: per-channel masks stay bytes there.
        (.torchvision, [3, 5], 3), (.tf, [3, 3], 1), (.dropblock, [2, 2, 3], 2),
    ]

    @Test("union of blocks, sparse to dense", arguments: 0..<cases.count, [MaskSharing.shared, .perChannel])
    func matchesDefinition(index: Int, sharing: MaskSharing) throws {
        let (preset, spatial, blockSize) = Self.cases[index]
        guard preset.supportedSpatialRanks.contains(spatial.count) else { return }
        var parameters = DropBlockParameters(dropProb: 0.5, blockSize: blockSize, preset: preset)
        parameters.sharing = sharing
        let maps = sharing == .shared ? 3 : 6
        let shape = [3, 2] + spatial
        let geometry = try SeedGeometry(preset: preset, spatial: spatial, blockSize: blockSize)
        let noiseShape = spatial.count == 2
            ? try DropBlock2D(parameters: parameters).noiseShape(for: shape)
            : try DropBlock3D(parameters: parameters).noiseShape(for: shape)
        let input = try Tensor(shape: shape, repeating: 1)
        var generator = SeededGenerator(seed: UInt64(index))
        for density in [0.002, 0.01, 0.05, 0.2, 0.6] {
            // u = 0 is a seed under every preset's rule, u = 0.999 under none.
            let noiseCount = noiseShape.reduce(1, *)
            let noise = try Tensor(shape: noiseShape, storage: (0..<noiseCount).map { _ in
                Double(generator.nextUniformFloat()) < density ? 0 : 0.999
            })
            let result = spatial.count == 2
                ? try DropBlock2D(parameters: parameters).forward(input, noise: noise)
                : try DropBlock3D(parameters: parameters).forward(input, noise: noise)
            let expected = expectedKeep(noise: noise.storage, noiseShape: noiseShape, geometry: geometry, batch: maps)
            #expect(firstDifference(result.keepMask.storage, expected) == nil,
                    "\(preset) \(sharing) \(spatial) bs \(blockSize) density \(density)")
        }
    }

    /// Seeds drawn by the generator (geometric gaps below gamma 0.05, one draw per position
    /// above): the keep mask must be the union of the blocks of the seeds it reports.
    @Test("generator seeds: the mask is the union of the recorded seeds' blocks",
          arguments: 0..<cases.count, [MaskSharing.shared, .perChannel])
    func generatorSeedsMatchDefinition(index: Int, sharing: MaskSharing) throws {
        let (preset, spatial, blockSize) = Self.cases[index]
        guard preset.supportedSpatialRanks.contains(spatial.count) else { return }
        let maps = sharing == .shared ? 3 : 6
        let shape = [3, 2] + spatial
        let geometry = try SeedGeometry(preset: preset, spatial: spatial, blockSize: blockSize)
        let input = try Tensor(shape: shape, repeating: 1)
        for p in [0.01, 0.1, 0.4, 0.95] {
            var parameters = DropBlockParameters(dropProb: p, blockSize: blockSize, preset: preset)
            parameters.sharing = sharing
            let options = ForwardOptions(recordSeeds: true, threads: 1)
            let result = spatial.count == 2
                ? try DropBlock2D(parameters: parameters).forward(input, seed: UInt64(index), options: options)
                : try DropBlock3D(parameters: parameters).forward(input, seed: UInt64(index), options: options)
            let seeds = try #require(result.seedMask)
            #expect(Int(seeds.storage.reduce(0, +)) == result.seedCount)
            // Every seed inside the allowed region.
            let mapSize = geometry.mapSize
            for (flat, seed) in seeds.storage.enumerated() where seed == 1 {
                var rest = flat % mapSize
                for axis in spatial.indices.reversed() {
                    #expect(geometry.seedRegion[axis].contains(rest % spatial[axis]), "seed outside the region at \(flat)")
                    rest /= spatial[axis]
                }
            }
            // The recorded seeds as a full-map draw: 0 where a seed fell.
            let noise = seeds.storage.map { $0 == 1 ? Float(0) : 0.999 }
            let expected = expectedKeep(noise: noise, noiseShape: [3, maps / 3] + spatial, geometry: geometry, batch: maps)
            #expect(firstDifference(result.keepMask.storage, expected) == nil,
                    "\(preset) \(sharing) \(spatial) bs \(blockSize) p \(p) gamma \(result.gamma)")
        }
    }

    /// The keep mask straight from the definition: every seed drops its clipped block.
    func expectedKeep(noise: [Float], noiseShape: [Int], geometry: SeedGeometry, batch: Int) -> [Float] {
        let spatial = geometry.spatial
        let mapSize = geometry.mapSize
        let noiseSpatial = Array(noiseShape.suffix(spatial.count))
        let perMap = noiseSpatial.reduce(1, *)
        // torchvision's draw covers only its seed region, which starts at 0: a noise index is
        // the seed's position either way.
        var keep = [Float](repeating: 1, count: batch * mapSize)
        for map in 0..<batch {
            for flat in 0..<perMap where noise[map * perMap + flat] == 0 {
                var coordinate = [Int](repeating: 0, count: spatial.count)
                var rest = flat
                for axis in spatial.indices.reversed() {
                    coordinate[axis] = rest % noiseSpatial[axis]
                    rest /= noiseSpatial[axis]
                }
                // Only seeds inside the allowed region count (tf's draw covers the whole map).
                guard spatial.indices.allSatisfy({ geometry.seedRegion[$0].contains(coordinate[$0]) || noiseSpatial[$0] != spatial[$0] }) else { continue }
                var cells: [[Int]] = [[]]
                for axis in spatial.indices {
                    let start = coordinate[axis] - geometry.lowOffset[axis]
                    let range = max(0, start)..<min(spatial[axis], max(0, start + geometry.window[axis]))
                    cells = cells.flatMap { c in range.map { c + [$0] } }
                }
                for cell in cells {
                    var index = 0
                    for (axis, i) in cell.enumerated() { index = index * spatial[axis] + i }
                    keep[map * mapSize + index] = 0
                }
            }
        }
        return keep
    }

    /// The first index where two masks differ (a one-line failure instead of two whole masks).
    func firstDifference(_ a: [Float], _ b: [Float]) -> Int? {
        if a.count != b.count { return min(a.count, b.count) }
        return a.indices.first { a[$0] != b[$0] }
    }
}
