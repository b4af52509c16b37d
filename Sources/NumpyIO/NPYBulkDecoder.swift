/// Converts runs of `.npy` elements to `Float` with one typed loop per dtype: a plain copy for
/// native float32, a widening or narrowing conversion for every other native-order dtype, and
/// the per-element path (`NPYDType.value`) for the other byte order. Every path gives the
/// per-element path's bits.
enum NPYBulkDecoder {
    /// Converts `count` elements of `dtype` starting at `bytes` into `target`.
    static func decode(_ bytes: UnsafeRawPointer, count: Int, dtype: NPYDType, into target: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        let native = dtype.size == 1 || dtype.bigEndian == (1.bigEndian == 1)
        guard native else {
            elementwise(bytes, count: count, dtype: dtype, into: target)
            return
        }
        switch (dtype.kind, dtype.size) {
        case (.float, 4): UnsafeMutableRawPointer(target).copyMemory(from: bytes, byteCount: 4 * count)
        case (.float, 8): convert(bytes, count: count, as: Double.self, into: target) { Float($0) }
        case (.float, 2): convert(bytes, count: count, as: UInt16.self, into: target) { NPYDType.halfToFloat($0) }
        case (.signed, 1): convert(bytes, count: count, as: Int8.self, into: target) { Float($0) }
        case (.signed, 2): convert(bytes, count: count, as: Int16.self, into: target) { Float($0) }
        case (.signed, 4): convert(bytes, count: count, as: Int32.self, into: target) { Float($0) }
        case (.signed, 8): convert(bytes, count: count, as: Int64.self, into: target) { Float($0) }
        case (.unsigned, 1): convert(bytes, count: count, as: UInt8.self, into: target) { Float($0) }
        case (.unsigned, 2): convert(bytes, count: count, as: UInt16.self, into: target) { Float($0) }
        case (.unsigned, 4): convert(bytes, count: count, as: UInt32.self, into: target) { Float($0) }
        case (.unsigned, 8): convert(bytes, count: count, as: UInt64.self, into: target) { Float($0) }
        case (.bool, _): convert(bytes, count: count, as: UInt8.self, into: target) { $0 != 0 ? 1 : 0 }
        default: elementwise(bytes, count: count, dtype: dtype, into: target)
        }
    }

    /// The per-element path: any dtype, either byte order.
    static func elementwise(_ bytes: UnsafeRawPointer, count: Int, dtype: NPYDType, into target: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawBufferPointer(start: bytes, count: count * dtype.size)
        for i in 0..<count { target[i] = dtype.value(raw, at: i * dtype.size) }
    }

    /// One typed loop; `transform` is inlined into it (generic and specialised per call site).
    @inline(__always)
    private static func convert<Element>(
        _ bytes: UnsafeRawPointer, count: Int, as type: Element.Type, into target: UnsafeMutablePointer<Float>,
        _ transform: (Element) -> Float
    ) {
        let stride = MemoryLayout<Element>.stride
        for i in 0..<count { target[i] = transform(bytes.loadUnaligned(fromByteOffset: i * stride, as: Element.self)) }
    }
}
