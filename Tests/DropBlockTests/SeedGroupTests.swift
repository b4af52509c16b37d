@testable import DropBlock
import Foundation
import Testing

/// Per-channel masks draw their seeds a group of maps at a time (`MapStreams`), from one
/// stream, map after map. These check the draw against a plain reading of that definition, the division it uses, that groups never tie a sample to its
/// batch, and that the paths that screen whole maps draw what the general path draws.
@Suite("Seed groups: one stream over several maps")
struct SeedGroupTests {
    @Test("a division by multiply equals the division", arguments: [1, 2, 3, 7, 14, 64, 900, 961, 4097, 65_535, 1 << 31, (1 << 31) + 1, (1 << 32) - 1, 1 << 32, 1 << 40])
    func divisorMatchesDivision(divisor: Int) {
        let fast = Divisor(divisor)
        var generator = SeededGenerator(seed: UInt64(divisor))
        var dividends = [0, 1, divisor - 1, divisor, divisor + 1, (1 << 32) - 1, 1 << 32, (1 << 32) + 5, Int.max]
        for _ in 0..<2000 { dividends.append(Int(generator.next() >> 32)) }
        for _ in 0..<200 { dividends.append(Int(generator.next() >> 1)) }
        let wrong = dividends.filter { fast.quotient($0) != $0 / divisor }
        #expect(wrong.isEmpty, "divisor \(divisor): \(wrong.prefix(3))")
    }

    /// The definition: maps one after another from the group's stream. The dense form
    /// compares a 32-bit uniform per position, two per draw, over the group's positions
    /// numbered map by map, then `(d, h, w)` in order. The sparse form takes, per map, a
    /// uniform `u` (53 bits) and the smallest count whose binomial cumulative probability
    /// (computed here from `lgamma`, not from `SeedCounts`) passes it, then that many distinct
    /// positions, each `(r * total) >> 64` of a 64-bit draw `r` (drawn again when taken).
    static func reference(sampler: SeedSampler, key: UInt64, stream: UInt64, maps: Int) -> [[SeedPosition]] {
        var seeds = [[SeedPosition]](repeating: [], count: maps)
        let (rd, rh, rw) = (sampler.region.d.count, sampler.region.h.count, sampler.region.w.count)
        func record(_ place: Int) {
            let map = place / sampler.total, inMap = place % sampler.total
            let d = inMap / (rh * rw), h = inMap / rw % rh, w = inMap % rw
            seeds[map].append(SeedPosition(d: sampler.region.d.lowerBound + d, h: sampler.region.h.lowerBound + h,
                                           w: sampler.region.w.lowerBound + w))
        }
        var generator = SeededGenerator(key: key, stream: stream)
        let total = rd * rh * rw
        if sampler.dense {
            var halves: [UInt64] = []
            while halves.count < maps * total {
                let bits = generator.next()
                halves += [bits & 0xFFFF_FFFF, bits >> 32]
            }
            for place in 0..<(maps * total) where halves[place] < sampler.threshold { record(place) }
            return seeds
        }
        let cdf = binomialCDF(total: total, gamma: sampler.gamma)
        for map in 0..<maps {
            let u = Double(generator.next() >> 11) * 0x1p-53
            let count = cdf.firstIndex { u < $0 } ?? total
            var taken = Set<Int>()
            while taken.count < count {
                let place = Int(generator.next().multipliedFullWidth(by: UInt64(total)).high)
                if taken.insert(place).inserted { record(map * total + place) }
            }
        }
        return seeds
    }

    /// `P(count <= k)` for `k` in `0 ... total`, summed from `lgamma` probabilities.
    static func binomialCDF(total: Int, gamma: Double) -> [Double] {
        let n = Double(total)
        var sum = 0.0
        return (0...total).map { k in
            let x = Double(k)
            let logChoose: Double = lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1)
            let logPowers: Double = x * log(gamma) + (n - x) * log1p(-gamma)
            sum += exp(logChoose + logPowers)
            return sum
        }
    }

    @Test("the group walk lists the seeds of the definition, map by map",
          arguments: 0..<5, [0.002, 0.03, 0.2])
    func walkMatchesDefinition(shape: Int, gamma: Double) throws {
        let (spatial, blockSize) = [([14, 14], 7), ([33, 33], 3), ([5, 9, 7], 3), ([7, 7], 7), ([20, 70], 5)][shape]
        let geometry = try SeedGeometry(preset: .torchvision, spatial: spatial, blockSize: blockSize)
        let total = geometry.seedRegionSize
        let table = UnsafeMutablePointer<Double>.allocate(capacity: SeedCounts.span(total: total, gamma: gamma).entries)
        let list = UnsafeMutablePointer<SeedPosition>.allocate(capacity: max(1, total))
        let marks = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, total))
        marks.initialize(repeating: 0, count: max(1, total))
        defer { table.deallocate(); list.deallocate(); marks.deallocate() }
        let sampler = SeedSampler(geometry: geometry, gamma: gamma, counts: SeedCounts(filling: table, total: total, gamma: gamma))
        var seen = 0
        for maps in [1, 2, 5, 64] {
            for stream in UInt64(0)..<6 {
                var drawn: [[SeedPosition]] = []
                sampler.draw(key: 77, stream: stream, maps: maps, into: list, marks: marks) { map, count in
                    #expect(map == drawn.count, "maps come in order")
                    drawn.append(Array(UnsafeBufferPointer(start: list, count: count)))
                }
                let expected = Self.reference(sampler: sampler, key: 77, stream: stream, maps: maps)
                #expect(drawn.count == maps)
                #expect(UnsafeBufferPointer(start: marks, count: total).allSatisfy { $0 == 0 }, "the marks are left clear")
                #expect(drawn.map { $0.map(\.d) } == expected.map { $0.map(\.d) }, "\(spatial) gamma \(gamma) maps \(maps)")
                #expect(drawn.map { $0.map(\.h) } == expected.map { $0.map(\.h) }, "\(spatial) gamma \(gamma) maps \(maps)")
                #expect(drawn.map { $0.map(\.w) } == expected.map { $0.map(\.w) }, "\(spatial) gamma \(gamma) maps \(maps)")
                seen += expected.joined().count
            }
        }
        // Expected: gamma x total x 72 maps x 6 streams; below 4 (one 7x7 case) none may fall.
        if gamma * Double(sampler.total) * 432 > 4 { #expect(seen > 0, "some seeds were drawn") }
    }

    @Test("groups cover every map once, inside one sample, sized by the seed region")
    func groupsPartitionSamples() {
        for (channels, region) in [(1, 64), (1024, 64), (64, 900), (12, 961), (2048, 1), (7, 10_000)] {
            var streams = MapStreams(key: 3, maps: 3 * channels, maskChannels: channels, seedRegionSize: region)
            #expect(streams.groupSize == (channels == 1 ? 1 : min(channels, (4096 + region - 1) / region)))
            var covered: [Int] = []
            for g in 0..<streams.groupCount {
                let (maps, _, index) = streams.group(g)
                #expect(maps.lowerBound / channels == (maps.upperBound - 1) / channels, "group \(g) stays in its sample")
                #expect(index == UInt64(g), "a generator pass numbers groups over the batch")
                covered += Array(maps)
            }
            #expect(covered == Array(0..<(3 * channels)))
        }
    }

    @Test("a sample's masks are the same alone as in its batch, with several groups per sample")
    func samplesDoNotDependOnTheBatch() throws {
        // 33x33 maps, bs 3: 961 positions, groups of 5 maps; 12 channels make groups 5, 5, 2.
        var parameters = DropBlockParameters(dropProb: 0.2, blockSize: 3, preset: .torchvision)
        parameters.sharing = .perChannel
        let layer = DropBlock2D(parameters: parameters)
        let batch = try layer.forward(try Tensor(shape: [4, 12, 33, 33], repeating: 1), draw: SeedDraw(seed: 11, index: 2))
        let alone = try layer.forward(try Tensor(shape: [1, 12, 33, 33], repeating: 1), draw: SeedDraw(seed: 11, index: 2, firstSample: 2))
        let sampleSize = 12 * 33 * 33
        #expect(Array(batch.keepMask.storage[(2 * sampleSize)..<(3 * sampleSize)]) == alone.keepMask.storage)
        #expect(alone.seedCount > 0)
    }

    @Test("screening whole maps draws what the general path draws", arguments: [Preset.torchvision, .tf, .dropblock])
    func wholeMapsMatchGeneralPath(preset: Preset) throws {
        // 7x7 maps and bs 7: one seed position whose block covers the map; 2048 channels are
        // one group per sample, 5 an odd group.
        for shape in [[3, 2048, 7, 7], [3, 5, 7, 7]] {
            var parameters = DropBlockParameters(dropProb: 0.1, blockSize: 7, preset: preset)
            parameters.sharing = .perChannel
            let layer = DropBlock2D(parameters: parameters)
            let x = try Tensor(shape: shape, repeating: 1)
            let screened = try layer.forward(x, seed: 5, options: ForwardOptions(threads: 1))
            let general = try layer.forward(x, seed: 5, options: ForwardOptions(recordSeeds: true, threads: 1))
            #expect(screened.keepMask.storage == general.keepMask.storage, "\(preset) \(shape)")
            #expect(screened.seedCount == general.seedCount && screened.seedCount > 0)
        }
    }
}
