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
        let list = buffers.seedLists + worker * listSize
        let mapSize = builder.mapSize
        // Maps with one seed position whose block covers the map (r50's 7x7 stage with
        // bs 7): a seeded map is all dropped, which the flags remember, so it is filled once
        // and then left alone while it stays dropped.
        let wholeMapSeed = sampler.total == 1 && builder.boxCoversMap(
            SeedPosition(d: sampler.region.d.lowerBound, h: sampler.region.h.lowerBound, w: sampler.region.w.lowerBound))
        var droppedHere = 0, seedsHere = 0
        /// Expands map `map`'s `seeds` (in `list`) into the mask.
        @inline(__always) func finish(_ map: Int, seeds: Int) {
            seedsHere &+= seeds
            if let record {
                let target = record + map * mapSize
                target.update(repeating: 0, count: mapSize)
                for s in 0..<seeds { target[builder.index(of: list[s])] = 1 }
            }
            let state = buffers.mapHasDrop[map]
            // The common case on small maps: no seed, and nothing to clear.
            if seeds == 0 && state == MapDrops.none { return }
            if wholeMapSeed && seeds == 1 {
                if state != MapDrops.all { (buffers.mask + map * mapSize).update(repeating: 1, count: mapSize) }
                buffers.mapHasDrop[map] = MapDrops.all
                droppedHere &+= mapSize
                return
            }
            let dropped = builder.expand(seeds: list, count: seeds, into: buffers.mask + map * mapSize, clean: state == MapDrops.none)
            buffers.mapHasDrop[map] = dropped == mapSize ? MapDrops.all : dropped > 0 ? MapDrops.some : MapDrops.none
            droppedHere &+= dropped
        }
        let mine = chunk(worker, of: workers, total: maps)
        switch source {
        case .generator(let key) where wholeMapSeed && sampler.dense && record == nil:
            let (dropped, seeds) = runWholeMaps(key: key, maps: mine, mapSize: mapSize)
            (droppedHere, seedsHere) = (dropped, seeds)
        case .generator(let key):
            for map in mine {
                finish(map, seeds: sampler.draw(key: key, stream: UInt64(map), into: list))
            }
        case .draw(let draw):
            // Streams are keyed per sample: derived once per sample, not per map.
            var keyedSample = -1, sampleKey: UInt64 = 0
            for map in mine {
                let sample = map / maskChannels
                if sample != keyedSample { (keyedSample, sampleKey) = (sample, draw.keys(sample: sample).mask) }
                finish(map, seeds: sampler.draw(key: sampleKey, stream: UInt64(map - sample * maskChannels), into: list))
            }
        case .noise:
            guard let noise else { break }
            for map in mine {
                finish(map, seeds: sampler.read(noise: noise + map * noisePerMap, coversRegion: coversRegion, rule: rule, into: list))
            }
        }
        buffers.tallies[2 * worker] = droppedHere
        buffers.tallies[2 * worker + 1] = seedsHere
    }

    /// `run`'s loop for maps with one seed position whose block covers the map, at a dense
    /// gamma, from the generator: a map is all dropped or all kept, decided by the low half
    /// of its stream's first draw (`SeedSampler.draw`'s rule), and its mask is written only
    /// when its state changes. Returns (dropped units, seeds).
    ///
    /// Branch-free per map: which maps change is random, and a mispredicted branch would
    /// wait for the whole draw. Changed maps are listed a batch at a time, then rewritten.
    @inline(__always)
    func runWholeMaps(key: UInt64, maps: Range<Int>, mapSize: Int) -> (Int, Int) {
        let flags = buffers.mapHasDrop, mask = buffers.mask, threshold = sampler.threshold
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
                    (mask + map * mapSize).update(repeating: flags[map] == MapDrops.all ? 1 : 0, count: mapSize)
                }
                first = end
            }
            return (seeds &* mapSize, seeds)
        }
    }

    /// Maps per batch of `runWholeMaps` (its list of changed maps lives on the stack).
    static let batch = 128
}
