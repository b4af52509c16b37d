/// One pass's multiply, `output = input * keep * scale`, split over workers: each takes a
/// contiguous share of the planes (`DropBlockEngine.apply` makes it and runs it on the
/// worker pool).
struct MultiplyPass: PassJob {
    let input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    let buffers: PassBuffers
    let scale: Float
    let mapSize: Int, channels: Int, maskChannels: Int, planes: Int, workers: Int

    static let body: WorkerPool.Body = { context, worker in
        context.assumingMemoryBound(to: MultiplyPass.self).pointee.run(worker: worker)
    }

    /// Multiplies worker `worker`'s planes.
    func run(worker: Int) {
        let range = chunk(worker, of: workers, total: planes)
        let slot = buffers.factors + worker * DropBlockEngine.factorSlot(mapSize: mapSize)
        if maskChannels > 1 {
            // Per-channel masks: bits, or bytes for maps too small for bits (`DropBlockWorkspace.keepsBits`).
            DropBlockEngine.applyPerChannel(x: input, out: output, buffers: buffers, planes: range, mapSize: mapSize, scale: scale,
                                            table: slot)
            return
        }
        // Shared masks: one sample (one map) at a time, over this worker's planes.
        let tileUnits = DropBlockEngine.factorUnits(mapSize: mapSize)
        var plane = range.lowerBound
        while plane < range.upperBound {
            let n = plane / channels
            let count = min(range.upperBound, (n + 1) * channels) - plane
            DropBlockEngine.applyShared(
                x: input + plane * mapSize, out: output + plane * mapSize, planes: count, mapSize: mapSize,
                dropped: buffers.mask + n * mapSize, drops: buffers.mapHasDrop[n], scale: scale,
                scratch: slot, scratchSize: tileUnits)
            plane += count
        }
    }
}
