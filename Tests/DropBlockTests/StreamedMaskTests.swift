import DropBlock
import Testing

/// `DropBlockMask` builds a pass's mask without the input and applies it chunk by chunk: the
/// output must equal `forward`'s bit for bit whatever the chunk boundaries (mid-sample,
/// mid-channel, mid-row), and non-finite inputs must follow the references' `x * keep * scale`.
@Suite("Streamed masks")
struct StreamedMaskTests {
    static let shapes: [[Int]] = [[3, 4, 9, 9], [2, 3, 5, 6, 6]]
    /// Chunk sizes that split rows (7 < 9), channels (50 < 81), samples (200 < 324) and whole tensors.
    static let chunkSizes = [1, 7, 50, 200, 1 << 20]

    static func input(_ shape: [Int]) throws -> Tensor {
        let count = shape.reduce(1, *)
        // Negative values too, so that signed zeros of dropped units are compared.
        return try Tensor(shape: shape, storage: (0..<count).map { Float(($0 * 37) % 101) / 17 - 2.5 })
    }

    static func parameters(_ preset: Preset) -> DropBlockParameters {
        DropBlockParameters(dropProb: 0.3, blockSize: 3, preset: preset)
    }

    static func plan(_ preset: Preset, shape: [Int]) throws -> DropPlan? {
        let params = parameters(preset)
        guard preset.supportedSpatialRanks.contains(shape.count - 2) else { return nil }
        return shape.count == 4 ? try DropBlock2D(parameters: params).plan(for: shape) : try DropBlock3D(parameters: params).plan(for: shape)
    }

    static func reference(_ preset: Preset, _ x: Tensor, draw: SeedDraw? = nil, noise: Tensor? = nil) throws -> DropBlockResult {
        let params = parameters(preset)
        if x.rank == 4 {
            let layer = DropBlock2D(parameters: params)
            return try noise.map { try layer.forward(x, noise: $0) } ?? layer.forward(x, draw: draw ?? SeedDraw(seed: 0))
        }
        let layer = DropBlock3D(parameters: params)
        return try noise.map { try layer.forward(x, noise: $0) } ?? layer.forward(x, draw: draw ?? SeedDraw(seed: 0))
    }

    /// `x` through `mask` in chunks of `size`, alternating out-of-place and in-place chunks.
    static func streamed(_ x: Tensor, _ mask: DropBlockMask, chunk size: Int) -> [Float] {
        var output = [Float](repeating: .nan, count: x.count)
        var copy = x.storage
        x.withUnsafeBufferPointer { source in
            copy.withUnsafeMutableBufferPointer { inPlace in
                output.withUnsafeMutableBufferPointer { target in
                    var offset = 0, index = 0
                    while offset < source.count {
                        let end = min(source.count, offset + size)
                        if index % 2 == 0 {
                            mask.apply(UnsafeBufferPointer(rebasing: source[offset..<end]), at: offset,
                                       into: UnsafeMutableBufferPointer(rebasing: target[offset..<end]))
                        } else {
                            let part = UnsafeMutableBufferPointer(rebasing: inPlace[offset..<end])
                            mask.apply(inPlace: part, at: offset)
                            target[offset..<end] = inPlace[offset..<end]
                        }
                        offset = end
                        index += 1
                    }
                }
            }
        }
        return output
    }

    @Test("streamed equals forward bit for bit, 2D and 3D, any chunk size", arguments: Preset.allCases)
    func equalsForward(preset: Preset) throws {
        for shape in Self.shapes {
            guard let plan = try Self.plan(preset, shape: shape) else { continue }
            let x = try Self.input(shape)
            let draw = SeedDraw(seed: 5, index: 2, firstSample: 1)
            let reference = try Self.reference(preset, x, draw: draw)
            let mask = try DropBlockMask(plan: plan, draw: draw)
            #expect(mask.appliesInChunks)
            #expect(mask.summary == reference.summary)
            #expect(mask.keepMask == reference.keepMask)
            #expect(reference.droppedFraction > 0.05, "the case must drop something")
            for size in Self.chunkSizes {
                let streamed = Self.streamed(x, mask, chunk: size)
                #expect(streamed.map(\.bitPattern) == reference.output.storage.map(\.bitPattern), "\(preset) \(shape) chunk \(size)")
            }
        }
    }

    /// `values` of canonical `shape` (N, C, *spatial) with the channel axis moved last.
    static func channelsLast(_ values: [Float], shape: [Int]) -> [Float] {
        let (n, c) = (shape[0], shape[1]), units = shape.dropFirst(2).reduce(1, *)
        var result = [Float](repeating: .nan, count: values.count)
        for sample in 0..<n {
            for channel in 0..<c {
                for unit in 0..<units { result[(sample * units + unit) * c + channel] = values[(sample * c + channel) * units + unit] }
            }
        }
        return result
    }

    @Test("channels last: the transposed output and mask, bit for bit, in any chunks, NaN and Inf included", arguments: Preset.allCases)
    func channelsLastEqualsTransposed(preset: Preset) throws {
        for shape in Self.shapes {
            guard let plan = try Self.plan(preset, shape: shape) else { continue }
            var storage = try Self.input(shape).storage
            for i in stride(from: 3, to: storage.count, by: 31) { storage[i] = [Float.nan, .infinity, -.infinity][i % 3] }
            let x = try Tensor(shape: shape, storage: storage)
            let mask = try DropBlockMask(plan: plan, draw: SeedDraw(seed: 9))
            let reference = try Self.reference(preset, x, draw: SeedDraw(seed: 9))
            #expect(reference.droppedFraction > 0.05, "the case must drop something")
            let expected = Self.channelsLast(reference.output.storage, shape: shape)
            let expectedMask = Self.channelsLast(reference.keepMask.storage, shape: reference.keepMask.shape)
            for size in Self.chunkSizes {
                var values = Self.channelsLast(x.storage, shape: shape)
                var keep = [Float](repeating: .nan, count: mask.maskCount)
                values.withUnsafeMutableBufferPointer { all in
                    for start in stride(from: 0, to: all.count, by: size) {
                        mask.apply(channelsLastInPlace: UnsafeMutableBufferPointer(rebasing: all[start..<min(all.count, start + size)]), at: start)
                    }
                }
                keep.withUnsafeMutableBufferPointer { all in
                    for start in stride(from: 0, to: all.count, by: size) {
                        mask.keepMask(channelsLastAt: start, into: UnsafeMutableBufferPointer(rebasing: all[start..<min(all.count, start + size)]))
                    }
                }
                #expect(values.map(\.bitPattern) == expected.map(\.bitPattern), "\(preset) \(shape) chunk \(size)")
                #expect(keep == expectedMask, "\(preset) \(shape) chunk \(size): mask")
            }
        }
    }

    @Test("a replayed draw streams as forward replays it", arguments: Preset.allCases)
    func replayedNoise(preset: Preset) throws {
        for shape in Self.shapes {
            guard let plan = try Self.plan(preset, shape: shape) else { continue }
            let x = try Self.input(shape)
            let noise = try Tensor(shape: plan.noiseShape, storage: (0..<plan.noiseShape.reduce(1, *)).map { Float(($0 * 7919) % 1000) / 1000 })
            let reference = try Self.reference(preset, x, noise: noise)
            let mask = try DropBlockMask(plan: plan, noise: noise)
            #expect(mask.summary == reference.summary && mask.keepMask == reference.keepMask)
            #expect(Self.streamed(x, mask, chunk: 13).map(\.bitPattern) == reference.output.storage.map(\.bitPattern))
        }
        let plan = try #require(try Self.plan(preset, shape: Self.shapes[0]))
        #expect(throws: DropBlockError.self) { try DropBlockMask(plan: plan, noise: try Tensor(shape: [1, 2])) }
    }

    @Test("non-finite inputs follow x * keep * scale in every chunk", arguments: Preset.allCases)
    func nonFinite(preset: Preset) throws {
        let shape = Self.shapes[0]
        guard let plan = try Self.plan(preset, shape: shape) else { return }
        var x = try Self.input(shape)
        let specials: [Float] = [.nan, .infinity, -.infinity, Float(bitPattern: 0x7FC0_1234)]
        for i in stride(from: 3, to: x.count, by: 11) { x[i] = specials[i % specials.count] }
        let mask = try DropBlockMask(plan: plan, draw: SeedDraw(seed: 9))
        let finite = try Tensor(shape: shape, storage: x.storage.map { $0.isFinite ? $0 : 0 })
        let reference = try Self.reference(preset, finite, draw: SeedDraw(seed: 9))
        let keep = mask.keepMask.storage, scale = mask.summary.scale
        let mapSize = shape.dropFirst(2).reduce(1, *), maskChannels = plan.maskChannels
        let whole = Self.streamed(x, mask, chunk: 1 << 20)
        for size in Self.chunkSizes {
            let streamed = Self.streamed(x, mask, chunk: size)
            #expect(streamed.map(\.bitPattern) == whole.map(\.bitPattern), "chunk \(size)")
        }
        var restored = 0
        for i in 0..<x.count {
            let plane = i / mapSize, n = plane / shape[1], c = plane % shape[1]
            let k = keep[(n * maskChannels + (maskChannels == 1 ? 0 : c)) * mapSize + i % mapSize]
            if x[i].isFinite {
                #expect(whole[i].bitPattern == reference.output[i].bitPattern)
            } else {
                let expected = x[i] * k * scale
                #expect(whole[i].isNaN == expected.isNaN && (expected.isNaN || whole[i] == expected), "unit \(i)")
                restored += 1
            }
        }
        #expect(restored > 20)
    }

    @Test("the identity copies, and timm's with_noise is left to forward")
    func identityAndWithNoise() throws {
        var params = Self.parameters(.timm)
        params.isTraining = false
        let x = try Self.input(Self.shapes[0])
        let identity = try DropBlockMask(plan: try DropBlock2D(parameters: params).plan(for: x.shape), draw: SeedDraw(seed: 1))
        #expect(identity.summary.isIdentity && identity.keepMask.storage.allSatisfy { $0 == 1 })
        #expect(Self.streamed(x, identity, chunk: 7) == x.storage)
        params.isTraining = true
        params.timm.withNoise = true
        let noisy = try DropBlockMask(plan: try DropBlock2D(parameters: params).plan(for: x.shape), draw: SeedDraw(seed: 1))
        #expect(!noisy.appliesInChunks)
    }

    /// The mask's memory: a byte per unit shared, a bit per unit per channel (whole words per
    /// map), a byte per unit for per-channel maps under 16 units; never more than a byte per
    /// unit (a quarter of a float32 input).
    @Test("storageBytes: bytes shared, bits per channel, never more than a byte per unit")
    func storage() throws {
        func plan(_ preset: Preset, _ shape: [Int], blockSize: Int = 3, p: Double = 0.1) throws -> DropPlan {
            try DropBlock2D(parameters: DropBlockParameters(dropProb: p, blockSize: blockSize, preset: preset)).plan(for: shape)
        }
        #expect(DropBlockMask.storageBytes(for: try plan(.torchvision, [2, 3, 56, 56])) == 6 * 49 * 8)
        #expect(DropBlockMask.storageBytes(for: try plan(.dropblock, [2, 3, 56, 56])) == 2 * 56 * 56)
        #expect(DropBlockMask.storageBytes(for: try plan(.tf, [2, 3, 3, 3])) == 6 * 9)
        #expect(DropBlockMask.storageBytes(for: try plan(.torchvision, [2, 3, 4, 4])) == 6 * 8)
        #expect(DropBlockMask.storageBytes(for: try plan(.torchvision, [2, 3, 56, 56], p: 0)) == 0)
        for side in 1...20 {
            let shape = [2, 5, side, side + 1]
            let bytes = DropBlockMask.storageBytes(for: try plan(.kerascv, shape, blockSize: 1))
            #expect(bytes > 0 && bytes <= shape.reduce(1, *), "\(shape): \(bytes) bytes")
        }
    }
}
