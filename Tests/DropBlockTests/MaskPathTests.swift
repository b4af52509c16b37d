import DropBlock
import Testing

/// The mask paths added for speed (maps skipped when they have no seed, masks cleared only
/// where the last pass dropped something, a stream's first draw taken without the whole
/// generator, runs of maps with and without drops multiplied apart) must not change any mask
/// or output: these compare them with fingerprints made before they existed, with fresh
/// workspaces, with one thread, and with the definition `x * (keep ? scale : 0)`, bit for bit.
@Suite("Mask paths: skipped maps, reused workspaces, threads")
struct MaskPathTests {
    /// (shape, block size, p, preset, sharing, [(seeds, FNV-1a of the keep mask)] for seed 1,
    /// draw 3 of seed 1 from sample 2, seed 7, draw 3 of seed 7). Re-pinned when the sparse
    /// sampler began to draw a seed count per map and then its positions (`SeedCounts`), with
    /// the general path (seeds recorded, nothing skipped or painted as drawn) giving the same
    /// pins; `SeedGroupTests` checks the sampler against its definition.
    static let pinned: [([Int], Int, Double, Preset, MaskSharing, [(Int, UInt64)])] = [
        ([2, 3, 14, 14], 7, 0.3, .dropblock, .shared, [(2, 0xb58c72c6aae3407e), (0, 0x2dfc24968b6606cd), (2, 0x176ffb67e30ad73a), (1, 0x4fc239a63d3c58bc)]),
        ([2, 3, 14, 14], 7, 0.3, .dropblock, .perChannel, [(7, 0x465551517713dce9), (6, 0x2c1b2a2057bbb418), (4, 0x699eb991336b8cab), (5, 0x2e64f088ac00675c)]),
        ([2, 3, 14, 14], 7, 0.3, .torchvision, .shared, [(2, 0xf0df179dcb534b4d), (0, 0x2dfc24968b6606cd), (2, 0x9538ced4ddf539d9), (1, 0x7b73639e7f3749bc)]),
        ([2, 3, 14, 14], 7, 0.3, .torchvision, .perChannel, [(7, 0xb561cd4116e34f88), (6, 0xa3997d91a1c639f1), (4, 0x47ac9e0dd1657547), (5, 0x73c5917ee94c4bb8)]),
        ([2, 3, 14, 14], 7, 0.3, .timm, .shared, [(6, 0x6fc5a2c1a850f21f), (4, 0xe49e2d7fe5944a9c), (7, 0x2b5266b1e3039c76), (3, 0x1b3aecf85d72f593)]),
        ([2, 3, 14, 14], 7, 0.3, .timm, .perChannel, [(26, 0xa1d13f8342e89bd6), (23, 0xa1ed8dbad6e6e5b1), (25, 0xa9bcf07128abb1a5), (16, 0xb3fcaebe897f6b8c)]),
        ([2, 3, 14, 14], 7, 0.3, .tf, .shared, [(2, 0xf0df179dcb534b4d), (0, 0x2dfc24968b6606cd), (2, 0x9538ced4ddf539d9), (1, 0x7b73639e7f3749bc)]),
        ([2, 3, 14, 14], 7, 0.3, .tf, .perChannel, [(7, 0xb561cd4116e34f88), (6, 0xa3997d91a1c639f1), (4, 0x47ac9e0dd1657547), (5, 0x73c5917ee94c4bb8)]),
        ([2, 6, 7, 7], 7, 0.1, .dropblock, .shared, [(0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557)]),
        ([2, 6, 7, 7], 7, 0.1, .dropblock, .perChannel, [(2, 0x6aa417a4d7804639), (1, 0x6aa4f78cfed81acc), (1, 0xa224fc0b9c36d5f7), (0, 0x3ad0f63cb0eda281)]),
        ([2, 6, 7, 7], 7, 0.1, .torchvision, .shared, [(0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557)]),
        ([2, 6, 7, 7], 7, 0.1, .torchvision, .perChannel, [(0, 0x3ad0f63cb0eda281), (1, 0xb071571483a6a418), (2, 0xb3e1c63616d8357d), (2, 0x391215a201f1454f)]),
        ([2, 6, 7, 7], 7, 0.1, .timm, .shared, [(9, 0x20be422e85d15682), (10, 0x124e81169d54138a), (11, 0x11f3341a87851c7c), (10, 0xf618409cd0bd100)]),
        ([2, 6, 7, 7], 7, 0.1, .timm, .perChannel, [(57, 0x623c90640cb21d5c), (56, 0x27cde13fb2f66ce0), (63, 0xe4e4fa6f9e797213), (52, 0xec7734719ed549c8)]),
        ([2, 6, 7, 7], 7, 0.1, .tf, .shared, [(0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557)]),
        ([2, 6, 7, 7], 7, 0.1, .tf, .perChannel, [(0, 0x3ad0f63cb0eda281), (1, 0xb071571483a6a418), (2, 0xb3e1c63616d8357d), (2, 0x391215a201f1454f)]),
        ([1, 2, 33, 33], 3, 0.1, .dropblock, .shared, [(9, 0xafaf0373cae6d97), (9, 0x24de541b059ecc72), (11, 0x94629d2b3590eb4e), (11, 0x288b14f8402737f)]),
        ([1, 2, 33, 33], 3, 0.1, .dropblock, .perChannel, [(25, 0xd3613b15590d1ebf), (24, 0xc20cd7906fa463f), (25, 0x5f680712227327eb), (25, 0xfc1e5756b85fee5b)]),
        ([1, 2, 33, 33], 3, 0.1, .torchvision, .shared, [(9, 0x6a4db277995d678a), (9, 0xabe4338c583f7a7f), (11, 0xc411d618e04c5375), (11, 0x669778c6eb1f4be3)]),
        ([1, 2, 33, 33], 3, 0.1, .torchvision, .perChannel, [(25, 0x9d9579111d57a726), (24, 0xd70ab092b29d14c2), (25, 0xdb0b804a54efabfe), (25, 0xe918c12b693bd0fa)]),
        ([1, 2, 33, 33], 3, 0.1, .timm, .shared, [(10, 0x4cc780afebfd4d6), (10, 0xe7411b9a6c60953a), (13, 0x3688f8abfd80a2b0), (13, 0xc07af6aeb5bbfe3)]),
        ([1, 2, 33, 33], 3, 0.1, .timm, .perChannel, [(24, 0x4af28c218239af8b), (21, 0x6b7f987312aadfbf), (27, 0x8fe081d0ec589c7b), (31, 0x40a56c19f46e6a2e)]),
        ([1, 2, 33, 33], 3, 0.1, .tf, .shared, [(9, 0x6a4db277995d678a), (9, 0xabe4338c583f7a7f), (11, 0xc411d618e04c5375), (11, 0x669778c6eb1f4be3)]),
        ([1, 2, 33, 33], 3, 0.1, .tf, .perChannel, [(25, 0x9d9579111d57a726), (24, 0xd70ab092b29d14c2), (25, 0xdb0b804a54efabfe), (25, 0xe918c12b693bd0fa)]),
        ([3, 2, 16, 16], 5, 0.6, .dropblock, .shared, [(15, 0x42ab9542fe7d4115), (16, 0x4961d1272e299237), (21, 0xa4d7529adc64e9b0), (15, 0x24eaa9432d4ad883)]),
        ([3, 2, 16, 16], 5, 0.6, .dropblock, .perChannel, [(41, 0xb344233f41d939e7), (28, 0x8ac80ae3b66b938d), (45, 0x1f83b2621099f76c), (35, 0x7ed74c9d48e485b3)]),
        ([3, 2, 16, 16], 5, 0.6, .torchvision, .shared, [(15, 0xd578be47004fb227), (16, 0x7b90d7eb5fab916c), (22, 0x48d8095238ef0ca5), (15, 0xca1d7f7cd6d31852)]),
        ([3, 2, 16, 16], 5, 0.6, .torchvision, .perChannel, [(41, 0xc3238f10717cb15f), (28, 0x2fcf7e36f23141e2), (48, 0x1d91c2194a4b4e5e), (35, 0x1ac30a58b3259395)]),
        ([3, 2, 16, 16], 5, 0.6, .timm, .shared, [(28, 0xc6e283aea7c4d641), (29, 0x9b9f05cc228a3352), (37, 0xe9a154b766286bb8), (29, 0x70526e0184dc0b31)]),
        ([3, 2, 16, 16], 5, 0.6, .timm, .perChannel, [(56, 0xe351a426a3d851d), (59, 0x53b1d4142722d8db), (73, 0x6e6cd6fe840437d0), (70, 0xfe10d9b4002c246b)]),
        ([3, 2, 16, 16], 5, 0.6, .tf, .shared, [(15, 0xd578be47004fb227), (16, 0x7b90d7eb5fab916c), (22, 0x48d8095238ef0ca5), (15, 0xca1d7f7cd6d31852)]),
        ([3, 2, 16, 16], 5, 0.6, .tf, .perChannel, [(41, 0xc3238f10717cb15f), (28, 0x2fcf7e36f23141e2), (48, 0x1d91c2194a4b4e5e), (35, 0x1ac30a58b3259395)]),
        ([2, 2, 5, 9, 7], 3, 0.2, .dropblock, .shared, [(4, 0x4d480869a5454d6f), (2, 0x49f8d4587060d272), (4, 0x974c84ed7760600b), (2, 0x9f63982ae8ffbb35)]),
        ([2, 2, 5, 9, 7], 3, 0.2, .dropblock, .perChannel, [(9, 0x4bbc9673e1c3f58a), (7, 0x84ad6d34ffa97710), (8, 0xbeced9e0d573450b), (4, 0x51ad4110045431e4)]),
        ([2, 2, 5, 9, 7], 3, 0.2, .torchvision, .shared, [(4, 0x73f01d2f82ea05af), (2, 0x2abe1d20e18b6873), (4, 0x6cb235d584fad8c4), (2, 0x54357007a1053b9)]),
        ([2, 2, 5, 9, 7], 3, 0.2, .torchvision, .perChannel, [(9, 0xc8bae895a30aab54), (7, 0x6d90f0d1286eb9d8), (8, 0x1feec2b53640c8bc), (4, 0xdaf2f1b8359f1a5f)]),
    ]

    static func forward(_ parameters: DropBlockParameters, _ x: Tensor, seed: UInt64? = nil, draw: SeedDraw? = nil,
                        options: ForwardOptions = ForwardOptions(threads: 1)) throws -> DropBlockResult {
        if x.shape.count == 4 {
            let layer = DropBlock2D(parameters: parameters)
            return try draw.map { try layer.forward(x, draw: $0, options: options) } ?? layer.forward(x, seed: seed ?? 0, options: options)
        }
        let layer = DropBlock3D(parameters: parameters)
        return try draw.map { try layer.forward(x, draw: $0, options: options) } ?? layer.forward(x, seed: seed ?? 0, options: options)
    }

    static func fingerprint(_ mask: Tensor) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in mask.storage { hash = (hash ^ UInt64(value)) &* 0x100_0000_01b3 }
        return hash
    }

    @Test("generator and numbered draws give the masks they gave before", arguments: 0..<pinned.count)
    func pinnedMasks(index: Int) throws {
        let (shape, blockSize, p, preset, sharing, expected) = Self.pinned[index]
        var parameters = DropBlockParameters(dropProb: p, blockSize: blockSize, preset: preset)
        parameters.sharing = sharing
        let x = try Tensor(shape: shape, repeating: 1)
        // The general path: seeds recorded, so no map is skipped and none painted as drawn.
        let general = ForwardOptions(recordSeeds: true, threads: 1)
        var got: [(Int, UInt64)] = [], slow: [(Int, UInt64)] = []
        for seed in [UInt64(1), 7] {
            let draw = SeedDraw(seed: seed, index: 3, firstSample: 2)
            for result in [try Self.forward(parameters, x, seed: seed), try Self.forward(parameters, x, draw: draw)] {
                got.append((result.seedCount, Self.fingerprint(result.keepMask)))
            }
            for result in [try Self.forward(parameters, x, seed: seed, options: general),
                           try Self.forward(parameters, x, draw: draw, options: general)] {
                slow.append((result.seedCount, Self.fingerprint(result.keepMask)))
            }
        }
        #expect(got.map(\.0) == expected.map(\.0), "\(preset) \(sharing) \(shape)")
        #expect(got.map(\.1) == expected.map(\.1), "\(preset) \(sharing) \(shape)")
        #expect(slow.map(\.0) == expected.map(\.0) && slow.map(\.1) == expected.map(\.1), "general path: \(preset) \(sharing) \(shape)")
    }

    /// One workspace through passes of changing shapes, rates and draws (maps gaining and
    /// losing drops, the mask's size kept while its maps change) against a fresh workspace
    /// each time; in place and into a buffer; several workers.
    @Test("a reused workspace gives what a fresh one gives", arguments: Preset.allCases)
    func reusedWorkspace(preset: Preset) throws {
        var generator = SeededGenerator(seed: 2024)
        var shared = DropBlockWorkspace()
        shared.minimumUnitsPerWorker = 64
        // (8,4,6,6) and (4,8,6,6) have the same size but other maps; (2,4,12,12) too.
        let shapes = [[8, 4, 6, 6], [4, 8, 6, 6], [2, 4, 12, 12], [8, 4, 6, 6], [3, 5, 9, 9]]
        for step in 0..<20 {
            let shape = shapes[step % shapes.count]
            let count = shape.reduce(1, *)
            let x = try Tensor(shape: shape, storage: (0..<count).map { _ in Float(generator.nextUniformFloat()) * 8 - 4 })
            var parameters = DropBlockParameters(dropProb: [0.02, 0.1, 0.4, 0.9][step % 4], blockSize: [1, 3, 5][step % 3], preset: preset)
            parameters.sharing = step % 2 == 0 ? .perChannel : .presetDefault
            let layer = DropBlock2D(parameters: parameters)
            let saved = generator
            var fresh = DropBlockWorkspace()
            var expected = try Tensor(shape: shape)
            let expectedSummary = try layer.forward(x, into: &expected, generator: &generator, workspace: &fresh, threads: 1)
            generator = saved
            let threads = 1 + step % 3
            let summary: DropBlockSummary
            if step % 3 == 0 {
                var output = try Tensor(shape: shape)
                summary = try layer.forward(x, into: &output, generator: &generator, workspace: &shared, threads: threads)
                #expect(Self.firstDifference(Self.bits(output), Self.bits(expected)) == nil, "step \(step) \(shape) into a buffer")
            } else {
                var inPlace = x
                summary = try layer.forward(inPlace: &inPlace, generator: &generator, workspace: &shared, threads: threads)
                #expect(Self.firstDifference(Self.bits(inPlace), Self.bits(expected)) == nil, "step \(step) \(shape) in place")
            }
            // The counts a reused workspace tallies (per worker) agree with a fresh one-thread pass.
            #expect(summary.seedCount == expectedSummary.seedCount && summary.droppedFraction == expectedSummary.droppedFraction
                    && summary.scale.bitPattern == expectedSummary.scale.bitPattern, "step \(step) \(shape) summary")
            #expect(shared.droppedMask.elementsEqual(fresh.droppedMask), "step \(step) \(shape) mask")
        }
    }

    /// Every unit against `x * (keep ? scale : 0)` computed here, bit for bit, with signed
    /// zeros, infinities, NaN and the largest floats in `x`, in place and into a buffer, at
    /// rates where few maps, some and most have drops.
    @Test("outputs are x * (keep ? scale : 0) bit for bit, special values included", arguments: Preset.allCases)
    func definition(preset: Preset) throws {
        let specials: [Float] = [0, -0, 1, -1, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                 .leastNonzeroMagnitude, 3.5, -2.25]
        // 7x7 maps: one word of bits each, and a unit past the last group of four; 70x70 maps:
        // rows straddling words and longer than one; 3x3 maps: bytes (too small for bits).
        for shape in [[4, 16, 7, 7], [2, 3, 70, 70], [3, 8, 3, 3]] {
        let count = shape.reduce(1, *)
        let x = try Tensor(shape: shape, storage: (0..<count).map { specials[($0 * 7 + $0 / 13) % specials.count] })
        for p in [0.01, 0.1, 0.5] {
            var parameters = DropBlockParameters(dropProb: p, blockSize: 3, preset: preset)
            parameters.sharing = .perChannel
            let layer = DropBlock2D(parameters: parameters)
            var workspace = DropBlockWorkspace()
            var generator = SeededGenerator(seed: 11)
            var inPlace = x
            let summary = try layer.forward(inPlace: &inPlace, generator: &generator, workspace: &workspace, threads: 1)
            let keep = workspace.keepMask().storage
            let expected = (0..<count).map { x.storage[$0] * (keep[$0] == 1 ? summary.scale : 0) }
            #expect(Self.firstDifference(Self.bits(inPlace), expected.map(\.bitPattern)) == nil, "\(preset) \(shape) p \(p) in place")
            generator = SeededGenerator(seed: 11)
            var output = try Tensor(shape: shape)
            _ = try layer.forward(x, into: &output, generator: &generator, workspace: &workspace, threads: 1)
            #expect(Self.firstDifference(Self.bits(output), expected.map(\.bitPattern)) == nil, "\(preset) \(shape) p \(p) into a buffer")
        }
        }
    }

    /// Maps whose one possible block covers them (7x7 maps, block 7) are all dropped or all
    /// kept, and the workspace remembers which (`MapDrops.all`), per channel and shared: through passes where maps
    /// change state and passes of other shapes in between, one reused workspace gives the
    /// mask and output a fresh one gives, and the output is `x * (keep ? scale : 0)` bit for
    /// bit with special values, in place and into a buffer, from one and two workers.
    @Test("maps dropped whole: reused workspaces, the definition, threads", arguments: Preset.allCases)
    func wholeMapDrops(preset: Preset) throws {
        let specials: [Float] = [0, -0, 1, -1, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -2.25, 3.5]
        var shared = DropBlockWorkspace()
        shared.minimumUnitsPerWorker = 64
        var generator = SeededGenerator(seed: 99)
        var wholeMaps = 0, wholeSharedMaps = 0
        for step in 0..<12 {
            let shape = step % 4 == 3 ? [2, 3, 14, 14] : step % 3 == 2 ? [40, 3, 7, 7] : [3, 40, 7, 7]
            let count = shape.reduce(1, *)
            let x = try Tensor(shape: shape, storage: (0..<count).map { specials[($0 * 3 + $0 / 11 + step) % specials.count] })
            var parameters = DropBlockParameters(dropProb: [0.1, 0.3, 0.9][step % 3], blockSize: 7, preset: preset)
            // Shared masks too (every third step), whose wholly dropped maps multiply by zero alone.
            parameters.sharing = step % 3 == 2 ? .shared : .perChannel
            let layer = DropBlock2D(parameters: parameters)
            let saved = generator
            var fresh = DropBlockWorkspace()
            var expected = try Tensor(shape: shape)
            let summary = try layer.forward(x, into: &expected, generator: &generator, workspace: &fresh, threads: 1)
            let keep = fresh.keepMask().storage
            let mapSize = shape[2] * shape[3], maskChannels = keep.count / (shape[0] * mapSize)
            // Unit j's keep value: its sample's map, of its channel when masks are per channel.
            func keepIndex(_ j: Int) -> Int {
                let plane = j / mapSize, n = plane / shape[1], c = plane % shape[1]
                return (n * maskChannels + (maskChannels == 1 ? 0 : c)) * mapSize + j % mapSize
            }
            let definition = (0..<count).map { (x.storage[$0] * (keep[keepIndex($0)] == 1 ? summary.scale : 0)).bitPattern }
            #expect(Self.firstDifference(Self.bits(expected), definition) == nil, "\(preset) step \(step) definition")
            let whole = stride(from: 0, to: keep.count, by: mapSize).filter { start in (start..<start + mapSize).allSatisfy { keep[$0] == 0 } }.count
            if maskChannels == 1 { wholeSharedMaps += whole } else { wholeMaps += whole }
            generator = saved
            let threads = 1 + step % 2
            if step % 2 == 0 {
                var inPlace = x
                _ = try layer.forward(inPlace: &inPlace, generator: &generator, workspace: &shared, threads: threads)
                #expect(Self.firstDifference(Self.bits(inPlace), definition) == nil, "\(preset) step \(step) in place")
            } else {
                var output = try Tensor(shape: shape)
                _ = try layer.forward(x, into: &output, generator: &generator, workspace: &shared, threads: threads)
                #expect(Self.firstDifference(Self.bits(output), definition) == nil, "\(preset) step \(step) into a buffer")
            }
            #expect(shared.droppedMask.elementsEqual(fresh.droppedMask), "\(preset) step \(step) mask")
        }
        // The cases this covers happened: whole maps were dropped, per channel and shared.
        #expect(wholeMaps > 0 && wholeSharedMaps > 0, "\(preset): \(wholeMaps) per channel, \(wholeSharedMaps) shared")
    }

    /// Per-channel and shared masks, sparse and dense seeds, 2D and 3D: one to four workers
    /// give the same output and mask, bit for bit.
    @Test("threads agree with one thread bit for bit", arguments: Preset.allCases)
    func threadsAgree(preset: Preset) throws {
        let shapes: [[Int]] = preset.supportedSpatialRanks.contains(3) ? [[3, 5, 10, 10], [2, 3, 5, 6, 6]] : [[3, 5, 10, 10], [2, 7, 9, 9]]
        for shape in shapes {
            let count = shape.reduce(1, *)
            let x = try Tensor(shape: shape, storage: (0..<count).map { Float($0 % 17) - 8 })
            for (p, sharing) in [(0.05, MaskSharing.perChannel), (0.5, .perChannel), (0.2, .shared)] {
                var parameters = DropBlockParameters(dropProb: p, blockSize: 3, preset: preset)
                parameters.sharing = sharing
                let one = try Self.forward(parameters, x, seed: 5)
                for threads in 2...4 {
                    let many = try Self.forward(parameters, x, seed: 5, options: ForwardOptions(threads: threads, minimumUnitsPerWorker: 16))
                    let maps = shape[0] * (sharing == .shared ? 1 : shape[1])
                    #expect(many.summary.workers == min(threads, maps))
                    #expect(Self.firstDifference(Self.bits(many.output), Self.bits(one.output)) == nil, "\(preset) \(shape) p \(p) \(threads) threads")
                    #expect(many.keepMask.storage.elementsEqual(one.keepMask.storage), "\(preset) \(shape) p \(p) \(threads) threads")
                }
            }
        }
    }

    static func bits(_ tensor: Tensor) -> [UInt32] { tensor.storage.map(\.bitPattern) }

    /// The first index where the two differ (or where one ends), nil when they are equal.
    static func firstDifference(_ a: [UInt32], _ b: [UInt32]) -> Int? {
        a.count == b.count ? a.indices.first { a[$0] != b[$0] } : min(a.count, b.count)
    }
}
