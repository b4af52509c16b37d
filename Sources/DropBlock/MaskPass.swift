/// One pass's mask building, split over workers: each seeds and expands a contiguous share
/// of the maps (`DropBlockEngine.buildMasks` makes it and runs it on the worker pool).
///
/// Each map draws from its own stream (or reads its own part of a recorded draw), so the
/// masks do not depend on the number of workers. A map whose mask was all zero before
/// (`mapHasDrop`) and has no seed now costs only its draw; one whose single possible block
/// covers it, and was all dropped before, too.
struct MaskPass: PassJob {
    let geometry: SeedGeometry
    let sampler: SeedSampler
    let source: SeedSource
    let rule: SeedRule
    let buffers: PassBuffers
    /// The recorded draw's storage, for `.noise` sources.
    let noise: UnsafePointer<Float>?
    let noisePerMap: Int
    let coversRegion: Bool
    /// Where to write every map's seeds as 0/1 floats, when asked.
    let record: UnsafeMutablePointer<Float>?
    let maps: Int, maskChannels: Int, workers: Int

    static let body: WorkerPool.Body = { context, worker in
        context.assumingMemoryBound(to: MaskPass.self).pointee.run(worker: worker)
    }

    /// Builds worker `worker`'s maps; leaves its dropped units and seeds in `buffers.tallies`.
    func run(worker: Int) {
        let scratch = MaskBuilder.scratchSize(for: geometry), listSize = max(1, geometry.seedRegionSize)
        let builder = MaskBuilder(geometry: geometry, bytes: buffers.builderBytes + worker * scratch.bytes,
                                  counts: buffers.builderCounts + worker * scratch.counts)
        var finisher = MapFinisher(builder: builder, list: buffers.seedLists + worker * listSize, buffers: buffers,
                                   record: record, sampler: sampler)
        let list = finisher.list
        let mine = chunk(worker, of: workers, total: maps)
        switch source {
        case .generator(let key) where finisher.wholeMapSeed && sampler.dense && record == nil:
            let (dropped, seeds) = runWholeMaps(key: key, maps: mine, finisher: finisher)
            (finisher.dropped, finisher.seeds) = (dropped, seeds)
        case .generator(let key):
            var streams = MapStreams(key: key)
            runDraws(maps: mine, streams: &streams, finisher: &finisher)
        case .draw(let draw):
            var streams = MapStreams(draw: draw, maskChannels: maskChannels)
            runDraws(maps: mine, streams: &streams, finisher: &finisher)
        case .noise:
            guard let noise else { break }
            for map in mine {
                finisher.finish(map, seeds: sampler.read(noise: noise + map * noisePerMap, coversRegion: coversRegion, rule: rule, into: list))
            }
        }
        buffers.tallies[2 * worker] = finisher.dropped
        buffers.tallies[2 * worker + 1] = finisher.seeds
    }

    /// `run`'s loop for drawn seeds: one stream per map.
    /// (Measured, and dropped: a batch of maps' first draws at a time, without a branch per
    /// map, then only the maps that may have seeds: no gain on r50-g3, where two thirds of
    /// the maps have none, and 8% slower on the small case, where all have some.)
    @inline(__always)
    func runDraws(maps: Range<Int>, streams: inout MapStreams, finisher: inout MapFinisher) {
        let list = finisher.list
        for map in maps {
            let (key, index) = streams.stream(of: map)
            finisher.finish(map, seeds: sampler.draw(key: key, stream: index, into: list))
        }
    }

    /// `run`'s loop for maps with one seed position whose block covers the map, at a dense
    /// gamma, from the generator: a map is all dropped or all kept, decided by the low half
    /// of its stream's first draw (`SeedSampler.draw`'s rule), and its mask is written only
    /// when its state changes. Returns (dropped units, seeds).
    ///
    /// Branch-free per map: which maps change is random, and a mispredicted branch would
    /// wait for the whole draw. Changed maps are listed a batch at a time, then rewritten.
    @inline(__always)
    func runWholeMaps(key: UInt64, maps: Range<Int>, finisher: MapFinisher) -> (Int, Int) {
        let mapSize = finisher.builder.mapSize
        let flags = buffers.mapHasDrop, threshold = sampler.threshold
        var seeds = 0
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.batch) { changed in
            guard let changed = changed.baseAddress else { return (0, 0) }
            var first = maps.lowerBound
            while first < maps.upperBound {
                let end = min(maps.upperBound, first + Self.batch)
                var count = 0
                for map in first..<end {
                    let seeded = SeededGenerator.firstOutput(key: key, stream: UInt64(map)) & 0xFFFF_FFFF < threshold
                    seeds &+= seeded ? 1 : 0
                    let wanted = seeded ? MapDrops.all : MapDrops.none
                    changed[count] = Int32(truncatingIfNeeded: map &- first)
                    count &+= flags[map] != wanted ? 1 : 0
                    flags[map] = wanted
                }
                for i in 0..<count {
                    let map = first &+ Int(changed[i])
                    finisher.fill(map: map, dropped: flags[map] == MapDrops.all)
                }
                first = end
            }
            return (seeds &* mapSize, seeds)
        }
    }

    /// Maps per batch of `runWholeMaps` (its list of changed maps lives on the stack).
    static let batch = 128
}
