/// A scalar dtype of the `.npy` format, parsed from its `descr` string (e.g. `<f4`).
public struct NPYDType: Equatable, Sendable, CustomStringConvertible {
    /// The kind of number.
    public enum Kind: Sendable {
        /// IEEE floating point (`f`).
        case float
        /// Two's-complement integer (`i`).
        case signed
        /// Unsigned integer (`u`).
        case unsigned
        /// One byte per element, nonzero for true (`b1` or `?`).
        case bool
    }

    /// Float, signed or unsigned integer, or bool.
    public let kind: Kind
    /// Bytes per element.
    public let size: Int
    /// Whether multi-byte elements are stored big-endian.
    public let bigEndian: Bool
    /// The original `descr` text.
    public let descr: String

    /// Parses `descr`; only plain numeric and bool dtypes are accepted.
    public init(descr: String) throws(NPYError) {
        var text = Substring(descr)
        var big = false
        if let first = text.first, "<>|=".contains(first) {
            big = first == ">"
            text = text.dropFirst()
        }
        guard let code = text.first, let size = Int(text.dropFirst()) ?? (text == "?" ? 1 : nil) else {
            throw .unsupportedDType(descr)
        }
        let kind: Kind
        switch (code, size) {
        case ("f", 2), ("f", 4), ("f", 8): kind = .float
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
        case ("b", 1), ("?", 1): kind = .bool
        default: throw .unsupportedDType(descr)
        }
        self.kind = kind
        self.size = size
        self.bigEndian = big && size > 1
        self.descr = descr
    }

    /// The `descr` text, as NumPy writes it.
    public var description: String { descr }

    /// Whether the elements are float32 in this machine's byte order, so they can be copied as they are.
    var isNativeFloat32: Bool {
        kind == .float && size == 4 && bigEndian == (1.bigEndian == 1)
    }

    /// Reads element `index` of `bytes` (starting at `base`) as a Float.
    @inline(__always)
    func value(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Float {
        var raw: UInt64 = 0
        for i in 0..<size {
            let byte = UInt64(bytes[offset + (bigEndian ? size - 1 - i : i)])
            raw |= byte << (8 * UInt64(i))
        }
        switch kind {
        case .bool: return raw != 0 ? 1 : 0
        case .unsigned: return Float(raw)
        case .signed:
            let shift = UInt64(64 - 8 * size)
            return Float(Int64(bitPattern: raw << shift) >> Int64(shift))
        case .float:
            switch size {
            case 2: return NPYDType.halfToFloat(UInt16(truncatingIfNeeded: raw))
            case 4: return Float(bitPattern: UInt32(truncatingIfNeeded: raw))
            default: return Float(Double(bitPattern: raw))
            }
        }
    }

    /// IEEE half precision to single precision, including subnormals, infinities and NaN.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F)
        let fraction = Float(h & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
