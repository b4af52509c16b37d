/// One worker's last step for each map of a `MaskPass`: its seeds (in `list`) into the mask,
/// as bytes or bits, with the map's `MapDrops` state and the worker's tallies.
struct MapFinisher {
    let builder: MaskBuilder
    /// The worker's seed list, which the sampler fills for each map.
    let list: UnsafeMutablePointer<SeedPosition>
    let buffers: PassBuffers
    /// Where to write every map's seeds as 0/1 floats, when asked.
    let record: UnsafeMutablePointer<Float>?
    /// Maps with one seed position whose block covers the map (r50's 7x7 stage with bs 7):
    /// a seeded map is all dropped, which the flags remember, so it is filled once and then
    /// left alone while it stays dropped.
    let wholeMapSeed: Bool
    /// Dropped units and seeds so far.
    var dropped = 0, seeds = 0

    init(builder: MaskBuilder, list: UnsafeMutablePointer<SeedPosition>, buffers: PassBuffers,
         record: UnsafeMutablePointer<Float>?, sampler: SeedSampler) {
        (self.builder, self.list, self.buffers, self.record) = (builder, list, buffers, record)
        wholeMapSeed = sampler.total == 1 && builder.boxCoversMap(
            SeedPosition(d: sampler.region.d.lowerBound, h: sampler.region.h.lowerBound, w: sampler.region.w.lowerBound))
    }

    /// Expands map `map`'s `seeds` (in `list`) into the mask.
    @inline(__always)
    mutating func finish(_ map: Int, seeds count: Int) {
        let mapSize = builder.mapSize
        seeds &+= count
        if let record {
            let target = record + map * mapSize
            target.update(repeating: 0, count: mapSize)
            for s in 0..<count { target[builder.index(of: list[s])] = 1 }
        }
        let state = buffers.mapHasDrop[map]
        // The common case on small maps: no seed, and nothing to clear.
        if count == 0 && state == MapDrops.none { return }
        if wholeMapSeed && count == 1 {
            if state != MapDrops.all { fill(map: map, dropped: true) }
            buffers.mapHasDrop[map] = MapDrops.all
            dropped &+= mapSize
            return
        }
        let droppedHere: Int
        if let bits = buffers.bits {
            droppedHere = builder.expandBits(seeds: list, count: count, into: bits + map * MaskBits.wordsPerMap(mapSize),
                                             clean: state == MapDrops.none)
        } else {
            droppedHere = builder.expand(seeds: list, count: count, into: buffers.mask + map * mapSize, clean: state == MapDrops.none)
        }
        buffers.mapHasDrop[map] = droppedHere == mapSize ? MapDrops.all : droppedHere > 0 ? MapDrops.some : MapDrops.none
        dropped &+= droppedHere
    }

    /// Marks maps `maps` as having no drop, and clears their bits (a per-channel pass as bits
    /// then calls `finish` only for the maps with seeds).
    func clear(maps: Range<Int>) {
        guard let bits = buffers.bits, !maps.isEmpty else { return }
        let wordsPerMap = MaskBits.wordsPerMap(builder.mapSize)
        (bits + maps.lowerBound * wordsPerMap).update(repeating: 0, count: maps.count * wordsPerMap)
        (buffers.mapHasDrop + maps.lowerBound).update(repeating: MapDrops.none, count: maps.count)
    }

    /// Writes map `map`'s mask as all dropped or all kept, as bytes or bits.
    @inline(__always)
    func fill(map: Int, dropped: Bool) {
        let mapSize = builder.mapSize
        if let bits = buffers.bits {
            let words = bits + map * MaskBits.wordsPerMap(mapSize)
            words.update(repeating: 0, count: MaskBits.wordsPerMap(mapSize))
            if dropped { MaskBits.setRange(words, start: 0, count: mapSize) }
        } else {
            (buffers.mask + map * mapSize).update(repeating: dropped ? 1 : 0, count: mapSize)
        }
    }
}
