/// One pass's mask building, split over workers: each seeds and expands a contiguous share
/// of the maps (`DropBlockEngine.buildMasks` makes it and runs it on the worker pool).
///
/// Each group of maps draws from its own stream (`MapStreams`), or each map reads its own part
/// of a recorded draw, so the masks do not depend on the number of workers. As bytes, a map
/// whose mask was all zero before (`mapHasDrop`) and has no seed now costs only its draw; one
/// whose single possible block covers it, and was all dropped before, too. As bits, a
/// worker's maps are cleared first and only the maps with seeds are visited.
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
        let scratch = MaskBuilder.scratchSize(for: geometry), listSize = buffers.seedListStride
        let builder = MaskBuilder(geometry: geometry, bytes: buffers.builderBytes + worker * scratch.bytes,
                                  counts: buffers.builderCounts + worker * scratch.counts)
        var finisher = MapFinisher(builder: builder, list: buffers.seedLists + worker * listSize, buffers: buffers,
                                   record: record, sampler: sampler)
        let list = finisher.list
        switch source {
        case .generator(let key):
            var streams = MapStreams(key: key, maps: maps, maskChannels: maskChannels, seedRegionSize: sampler.total)
            let mine = chunk(worker, of: workers, total: streams.groupCount)
            if finisher.wholeMapSeed && sampler.dense && record == nil {
                (finisher.dropped, finisher.seeds) = runWholeMaps(groups: mine, streams: &streams, finisher: finisher)
            } else {
                runDraws(groups: mine, streams: &streams, finisher: &finisher)
            }
        case .draw(let draw):
            var streams = MapStreams(draw: draw, maps: maps, maskChannels: maskChannels, seedRegionSize: sampler.total)
            runDraws(groups: chunk(worker, of: workers, total: streams.groupCount), streams: &streams, finisher: &finisher)
        case .noise:
            guard let noise else { break }
            for map in chunk(worker, of: workers, total: maps) {
                finisher.finish(map, seeds: sampler.read(noise: noise + map * noisePerMap, coversRegion: coversRegion, rule: rule, into: list))
            }
        }
        buffers.tallies[2 * worker] = finisher.dropped
        buffers.tallies[2 * worker + 1] = finisher.seeds
    }

    /// `run`'s loop for drawn seeds: one stream per group of maps.
    /// (Measured, and dropped, when each map had a stream of its own: a batch of maps' first
    /// draws at a time, without a branch per map, then only the maps that may have seeds.)
    @inline(__always)
    func runDraws(groups: Range<Int>, streams: inout MapStreams, finisher: inout MapFinisher) {
        let list = finisher.list, marks = finisher.builder.seedMarks
        // Bits: this worker's maps are cleared first (a thirty-second of their input's bytes),
        // so that only the maps with seeds take a call.
        let seededOnly = buffers.bits != nil && record == nil && !groups.isEmpty
        if seededOnly {
            let first = streams.group(groups.lowerBound).maps.lowerBound, end = streams.group(groups.upperBound - 1).maps.upperBound
            finisher.clear(maps: first..<end)
        }
        for g in groups {
            let (maps, key, index) = streams.group(g)
            sampler.draw(key: key, stream: index, maps: maps.count, into: list, marks: marks, seededOnly: seededOnly) { j, count in
                finisher.finish(maps.lowerBound &+ j, seeds: count)
            }
        }
    }

    /// `run`'s loop for maps with one seed position whose block covers the map, at a dense
    /// gamma, from the generator: a map is all dropped or all kept, decided by its group
    /// stream's next 32-bit half (`SeedSampler.draw`'s rule), and its mask is written only
    /// when its state changes. Returns (dropped units, seeds).
    ///
    /// Branch-free per map: which maps change is random, and a mispredicted branch would
    /// wait for the whole draw. Changed maps are listed a batch at a time, then rewritten.
    @inline(__always)
    func runWholeMaps(groups: Range<Int>, streams: inout MapStreams, finisher: MapFinisher) -> (Int, Int) {
        let mapSize = finisher.builder.mapSize
        let flags = buffers.mapHasDrop, threshold = sampler.threshold
        var seeds = 0
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.batch) { changed in
            guard let changed = changed.baseAddress else { return (0, 0) }
            for g in groups {
                let (maps, key, index) = streams.group(g)
                var random = SeededGenerator(key: key, stream: index)
                var bits: UInt64 = 0
                var first = maps.lowerBound
                while first < maps.upperBound {
                    let end = min(maps.upperBound, first + Self.batch)
                    var count = 0
                    for map in first..<end {
                        // Two maps per draw: the low half, then the high half (batches and
                        // groups start on even offsets, as the batch size is even).
                        let even = (map &- maps.lowerBound) & 1 == 0
                        if even { bits = random.next() }
                        let seeded = (even ? bits & 0xFFFF_FFFF : bits >> 32) < threshold
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
            }
            return (seeds &* mapSize, seeds)
        }
    }

    /// Maps per batch of `runWholeMaps` (its list of changed maps lives on the stack).
    static let batch = 128
}
