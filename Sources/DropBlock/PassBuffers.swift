/// A workspace's buffers as raw pointers for one forward pass, shared by its worker threads,
/// each of which writes only its own maps, planes and per-worker slots.
///
/// Valid only inside `DropBlockWorkspace.withPassBuffers`. Every buffer is non-empty after
/// `prepare`; an empty one (unreachable) has a dangling pointer that is never read.
struct PassBuffers: @unchecked Sendable {
    /// The mask as bytes (shared masks) ...
    let mask: UnsafeMutablePointer<UInt8>
    /// ... or as bits (`MaskBits`, per-channel masks): nil when the mask is bytes.
    let bits: UnsafeMutablePointer<UInt64>?
    let mapHasDrop: UnsafeMutablePointer<UInt8>
    let builderBytes: UnsafeMutablePointer<UInt8>
    let builderCounts: UnsafeMutablePointer<Int32>
    /// Each worker's seed list, `seedListStride` seeds apart.
    let seedLists: UnsafeMutablePointer<SeedPosition>
    let seedListStride: Int
    let tallies: UnsafeMutablePointer<Int>
    let factors: UnsafeMutablePointer<Float>
    /// The sparse sampler's seed-count table for the pass, when it draws counts.
    let seedCounts: SeedCounts?

    init(mask: UnsafeMutableBufferPointer<UInt8>, bits: UnsafeMutableBufferPointer<UInt64>?, mapHasDrop: UnsafeMutableBufferPointer<UInt8>,
         builderBytes: UnsafeMutableBufferPointer<UInt8>, builderCounts: UnsafeMutableBufferPointer<Int32>,
         seedLists: UnsafeMutableBufferPointer<SeedPosition>, seedListStride: Int, tallies: UnsafeMutableBufferPointer<Int>,
         factors: UnsafeMutableBufferPointer<Float>, seedCounts: SeedCounts?) {
        self.mask = PassBuffers.base(mask)
        self.bits = bits.map(PassBuffers.base)
        self.mapHasDrop = PassBuffers.base(mapHasDrop)
        self.builderBytes = PassBuffers.base(builderBytes)
        self.builderCounts = PassBuffers.base(builderCounts)
        self.seedLists = PassBuffers.base(seedLists)
        self.seedListStride = seedListStride
        self.tallies = PassBuffers.base(tallies)
        self.factors = PassBuffers.base(factors)
        self.seedCounts = seedCounts
    }

    /// The buffer's start; an empty buffer (which `prepare` never leaves) gets a dangling pointer.
    private static func base<T>(_ buffer: UnsafeMutableBufferPointer<T>) -> UnsafeMutablePointer<T> {
        buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment).unsafelyUnwrapped
    }
}
