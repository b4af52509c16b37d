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
    /// draw 3 of seed 1 from sample 2, seed 7, draw 3 of seed 7). Shared masks: computed by the
    /// code before these paths existed. Per-channel masks: re-pinned when their maps began to
    /// draw a group at a time (`SeedGroupTests` checks that walk against its definition, and
    /// the shared pins, unchanged, show that a group of one map draws what a map drew alone).
    static let pinned: [([Int], Int, Double, Preset, MaskSharing, [(Int, UInt64)])] = [
        ([2, 3, 14, 14], 7, 0.3, .dropblock, .shared, [(1, 0x3db99138010764da), (0, 0x2dfc24968b6606cd), (3, 0x3eb147ed0e838760), (2, 0xf6c5ca4a88c7476e)]),
        ([2, 3, 14, 14], 7, 0.3, .dropblock, .perChannel, [(10, 0x9e16919bfd533955), (3, 0x221f6abb7ab2f945), (4, 0xb1a9f2396c66505), (3, 0xa002509297337516)]),
        ([2, 3, 14, 14], 7, 0.3, .torchvision, .shared, [(1, 0x194386f7cc26cdec), (0, 0x2dfc24968b6606cd), (3, 0x706236a96ae39e25), (2, 0x7d50059e1e6dc0bd)]),
        ([2, 3, 14, 14], 7, 0.3, .torchvision, .perChannel, [(10, 0x2141971599bfe61), (3, 0x7632261342873463), (4, 0xfbe1bcb769248e6a), (3, 0xe5d4c65c25365e60)]),
        ([2, 3, 14, 14], 7, 0.3, .timm, .shared, [(10, 0xf1a7415092f1828), (3, 0x9c6ead284a1da9fa), (4, 0x574a733c70f523e7), (4, 0x8d7adc5f1af480f3)]),
        ([2, 3, 14, 14], 7, 0.3, .timm, .perChannel, [(34, 0xe13e75dc8db493e6), (20, 0x635de91ea4dbd2d1), (23, 0xa6b61285d67792f6), (18, 0x7f71e9ef365dedfc)]),
        ([2, 3, 14, 14], 7, 0.3, .tf, .shared, [(1, 0x194386f7cc26cdec), (0, 0x2dfc24968b6606cd), (3, 0x706236a96ae39e25), (2, 0x7d50059e1e6dc0bd)]),
        ([2, 3, 14, 14], 7, 0.3, .tf, .perChannel, [(10, 0x2141971599bfe61), (3, 0x7632261342873463), (4, 0xfbe1bcb769248e6a), (3, 0xe5d4c65c25365e60)]),
        ([2, 6, 7, 7], 7, 0.1, .dropblock, .shared, [(0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557)]),
        ([2, 6, 7, 7], 7, 0.1, .dropblock, .perChannel, [(1, 0x9c3b227aac716f97), (0, 0x3ad0f63cb0eda281), (0, 0x3ad0f63cb0eda281), (0, 0x3ad0f63cb0eda281)]),
        ([2, 6, 7, 7], 7, 0.1, .torchvision, .shared, [(0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557)]),
        ([2, 6, 7, 7], 7, 0.1, .torchvision, .perChannel, [(0, 0x3ad0f63cb0eda281), (1, 0xb071571483a6a418), (2, 0xb3e1c63616d8357d), (2, 0x391215a201f1454f)]),
        ([2, 6, 7, 7], 7, 0.1, .timm, .shared, [(9, 0x20be422e85d15682), (10, 0x124e81169d54138a), (11, 0x11f3341a87851c7c), (10, 0xf618409cd0bd100)]),
        ([2, 6, 7, 7], 7, 0.1, .timm, .perChannel, [(57, 0x623c90640cb21d5c), (56, 0x27cde13fb2f66ce0), (63, 0xe4e4fa6f9e797213), (52, 0xec7734719ed549c8)]),
        ([2, 6, 7, 7], 7, 0.1, .tf, .shared, [(0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557), (0, 0xa2ab4d1500472557)]),
        ([2, 6, 7, 7], 7, 0.1, .tf, .perChannel, [(0, 0x3ad0f63cb0eda281), (1, 0xb071571483a6a418), (2, 0xb3e1c63616d8357d), (2, 0x391215a201f1454f)]),
        ([1, 2, 33, 33], 3, 0.1, .dropblock, .shared, [(20, 0x37a43855460656c4), (13, 0xf496a893af8410b8), (16, 0x5d7986f406166f87), (15, 0xd24e7893c27f920)]),
        ([1, 2, 33, 33], 3, 0.1, .dropblock, .perChannel, [(31, 0xabe42adaaff30a62), (21, 0xc69a7811a6fbcd03), (31, 0x6a8190d7fae2c8a8), (31, 0xa42acd8cc4b60fca)]),
        ([1, 2, 33, 33], 3, 0.1, .torchvision, .shared, [(20, 0xa183cf0ffdfaf5c5), (13, 0xdb0e41429d444ce4), (16, 0xa7c70d281d5eb16e), (15, 0xfbcea480b401f971)]),
        ([1, 2, 33, 33], 3, 0.1, .torchvision, .perChannel, [(31, 0xcca33ab21e422b42), (21, 0xeea8580a11416905), (31, 0x3b1ab3be9b5a036f), (31, 0x8a33c35c16d55319)]),
        ([1, 2, 33, 33], 3, 0.1, .timm, .shared, [(22, 0xe867155e7ab04816), (13, 0x986a124abf67f5bd), (21, 0x3395ec07f228a041), (16, 0xeb992a69de58fc70)]),
        ([1, 2, 33, 33], 3, 0.1, .timm, .perChannel, [(33, 0xd68160ed775e15a3), (24, 0x8162a19a49c87998), (32, 0xc3d8501bd893baf6), (35, 0xa1d9866491c0c856)]),
        ([1, 2, 33, 33], 3, 0.1, .tf, .shared, [(20, 0xa183cf0ffdfaf5c5), (13, 0xdb0e41429d444ce4), (16, 0xa7c70d281d5eb16e), (15, 0xfbcea480b401f971)]),
        ([1, 2, 33, 33], 3, 0.1, .tf, .perChannel, [(31, 0xcca33ab21e422b42), (21, 0xeea8580a11416905), (31, 0x3b1ab3be9b5a036f), (31, 0x8a33c35c16d55319)]),
        ([3, 2, 16, 16], 5, 0.6, .dropblock, .shared, [(20, 0xd781fd54cc6b7601), (15, 0x352766646d0dba77), (25, 0x93406669ae57e608), (11, 0x1374d4d720be840e)]),
        ([3, 2, 16, 16], 5, 0.6, .dropblock, .perChannel, [(44, 0x2136962eac0be042), (30, 0x128bf2fd847265de), (44, 0x6786a53f481be0d1), (37, 0xdebb998d274b01f9)]),
        ([3, 2, 16, 16], 5, 0.6, .torchvision, .shared, [(20, 0x30653850d1db9863), (15, 0xb6c2e9da78e14534), (25, 0x9987a2e620ea73c6), (11, 0x61286bb39199c62d)]),
        ([3, 2, 16, 16], 5, 0.6, .torchvision, .perChannel, [(44, 0xe670885f1064cb4d), (30, 0x54bdb4748f948b3a), (43, 0x4e007eb4eb423b4c), (38, 0x966454deb6a875a9)]),
        ([3, 2, 16, 16], 5, 0.6, .timm, .shared, [(39, 0x4977d4ff7d51ebfb), (28, 0x90925cf838b5238d), (40, 0x5ba9edb9f232fe6), (31, 0xa81e3f4517bceb31)]),
        ([3, 2, 16, 16], 5, 0.6, .timm, .perChannel, [(69, 0x77f916253d8f9916), (58, 0xbf8d3ed0bbcc1c9c), (74, 0x6fd485d4d3a5e18c), (76, 0x137727005485a607)]),
        ([3, 2, 16, 16], 5, 0.6, .tf, .shared, [(20, 0x30653850d1db9863), (15, 0xb6c2e9da78e14534), (25, 0x9987a2e620ea73c6), (11, 0x61286bb39199c62d)]),
        ([3, 2, 16, 16], 5, 0.6, .tf, .perChannel, [(44, 0xe670885f1064cb4d), (30, 0x54bdb4748f948b3a), (43, 0x4e007eb4eb423b4c), (38, 0x966454deb6a875a9)]),
        ([2, 2, 5, 9, 7], 3, 0.2, .dropblock, .shared, [(6, 0xf49582552eaa5a0d), (3, 0x21ed4429c07d965e), (4, 0x614755c0313cd42a), (3, 0x3ff4aa25fc17c972)]),
        ([2, 2, 5, 9, 7], 3, 0.2, .dropblock, .perChannel, [(12, 0xfce9671c3be5340a), (8, 0x17625f8e7607de60), (7, 0x419a837f69503933), (5, 0x448640f828c18841)]),
        ([2, 2, 5, 9, 7], 3, 0.2, .torchvision, .shared, [(6, 0x2c200ca54e19d2b8), (3, 0x20b11184f2ec33a8), (4, 0xf5c01308f6b02a9a), (3, 0x5389ea3f55b9d2b8)]),
        ([2, 2, 5, 9, 7], 3, 0.2, .torchvision, .perChannel, [(12, 0xd395527e5c455fa7), (8, 0x86f62ef9a9c898f), (7, 0xfad076962c75ba75), (5, 0x3a216bb6bcf73b7a)]),
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
        var got: [(Int, UInt64)] = []
        for seed in [UInt64(1), 7] {
            for result in [try Self.forward(parameters, x, seed: seed),
                           try Self.forward(parameters, x, draw: SeedDraw(seed: seed, index: 3, firstSample: 2))] {
                got.append((result.seedCount, Self.fingerprint(result.keepMask)))
            }
        }
        #expect(got.map(\.0) == expected.map(\.0), "\(preset) \(sharing) \(shape)")
        #expect(got.map(\.1) == expected.map(\.1), "\(preset) \(sharing) \(shape)")
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
