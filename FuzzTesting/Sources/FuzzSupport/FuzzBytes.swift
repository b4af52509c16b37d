import Foundation

/// Settings read once from the environment.
public enum FuzzSettings {
    /// `FUZZ_AVOID_KNOWN=1`: steer clear of the crashers listed in `FuzzTesting/Handover` (block
    /// sizes up to the CLI's 100000, values within +-1e6), so that long exploration runs look
    /// past them. `.ci/fuzz` never sets it.
    public static let avoidKnown = getenv("FUZZ_AVOID_KNOWN") != nil
}

/// Reads typed values from a fuzzer's input, front to back. Past the end every read gives
/// zero, so any input decodes to some case and short inputs give the simplest ones.
public struct FuzzBytes {
    private let bytes: [UInt8]
    private var index = 0

    /// Wraps the bytes libFuzzer passes to `LLVMFuzzerTestOneInput`.
    public init(_ start: UnsafePointer<UInt8>, count: Int) {
        bytes = Array(UnsafeBufferPointer(start: start, count: count))
    }

    /// How many bytes are left.
    public var remaining: Int { bytes.count - index }

    /// The next byte, or 0 at the end.
    public mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// A flag from the next byte's low bit.
    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A value in `range`, from as many bytes as the range needs (at most 8).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        guard span > 0 else { return range.lowerBound }
        var raw: UInt64 = 0
        var covered: UInt64 = 0
        while covered < span {
            raw = raw << 8 | UInt64(byte())
            covered = covered << 8 | 0xFF
        }
        let offset = span == .max ? raw : raw % (span + 1)
        return range.lowerBound &+ Int(truncatingIfNeeded: offset)
    }

    /// Eight bytes, little end first.
    public mutating func uint64() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, shift in value | UInt64(byte()) << (8 * UInt64(shift)) }
    }

    /// One of `options` (the first at the end of the input).
    public mutating func pick<T>(_ options: [T]) -> T {
        options[int(in: 0...(options.count - 1))]
    }

    /// A finite float: mostly small multiples of 1/8, sometimes extreme or subnormal magnitudes
    /// (within +-1e6 when `FuzzSettings.avoidKnown`).
    public mutating func finiteFloat() -> Float {
        let tag = byte()
        let value: Float
        switch tag {
        case 0..<240: return Float(Int8(bitPattern: byte())) / 8
        case 240..<248: value = pick([Float.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0, 1e30, -1e-30])
        default:
            let bits = UInt32(byte()) | UInt32(byte()) << 8 | UInt32(byte()) << 16 | UInt32(byte()) << 24
            value = Float(bitPattern: bits).isFinite ? Float(bitPattern: bits) : 0
        }
        return FuzzSettings.avoidKnown ? min(max(value, -1e6), 1e6) : value
    }
}

/// Stops the fuzzer with a message (libFuzzer saves the input) when an invariant fails.
public func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("invariant failed: \(message())", file: file, line: line) }
}
