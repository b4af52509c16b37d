/// One pass's mask building, split over workers: each seeds and expands a contiguous share
/// of the maps (`DropBlockEngine.buildMasks` makes it and runs it on the worker pool).
///
/// Each map draws from its own stream (or reads its own part of a recorded draw), so the
/// masks do not depend on the number of workers. A map whose mask was all zero before
/// (`mapHasDrop`) and has no seed now costs only its draw.
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
        var droppedHere = 0, seedsHere = 0
        /// Expands map `map`'s `seeds` (in `list`) into the mask.
        @inline(__always) func finish(_ map: Int, seeds: Int) {
            seedsHere &+= seeds
            if let record {
                let target = record + map * mapSize
                target.update(repeating: 0, count: mapSize)
                for s in 0..<seeds { target[builder.index(of: list[s])] = 1 }
            }
            let wasClear = buffers.mapHasDrop[map] == 0
            // The common case on small maps: no seed, and nothing to clear.
            if seeds == 0 && wasClear { return }
            let dropped = builder.expand(seeds: list, count: seeds, into: buffers.mask + map * mapSize, clean: wasClear)
            buffers.mapHasDrop[map] = dropped > 0 ? 1 : 0
            droppedHere &+= dropped
        }
        let mine = chunk(worker, of: workers, total: maps)
        switch source {
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
}
