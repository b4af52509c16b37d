import Foundation

/// A PGM (P2/P5) or PPM (P3/P6) image, with samples scaled to [0, 1].
public struct NetpbmImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// 1 for PGM, 3 for PPM.
    public let channels: Int
    /// Planar samples: channel-major, then row-major (`channels x height x width`).
    public let samples: [Float]

    /// The largest image accepted (per side), so a hostile header cannot ask for terabytes.
    public static let maximumSide = 16_384

    /// Reads a file.
    public init(contentsOf path: String) throws(NetpbmError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable("cannot read \(path)")
        }
        try self.init(data: data)
    }

    /// Parses the bytes of a PGM or PPM file.
    public init(data: Data) throws(NetpbmError) {
        let bytes = [UInt8](data)
        var reader = HeaderReader(bytes: bytes)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P") else { throw .notNetpbm }
        let kind = bytes[1]
        reader.index = 2
        guard [UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "5"), UInt8(ascii: "6")].contains(kind) else {
            throw .unsupported("P\(Character(UnicodeScalar(kind))) (only P2, P3, P5 and P6 are read)")
        }
        let width = try reader.number(), height = try reader.number(), maxValue = try reader.number()
        guard width >= 1, height >= 1, width <= Self.maximumSide, height <= Self.maximumSide else {
            throw .malformed("image size \(width)x\(height) is outside 1...\(Self.maximumSide)")
        }
        guard maxValue >= 1, maxValue <= 65_535 else { throw .malformed("maximum value \(maxValue) is outside 1...65535") }
        let channels = kind == UInt8(ascii: "3") || kind == UInt8(ascii: "6") ? 3 : 1
        let count = width * height * channels
        var interleaved = [Float](repeating: 0, count: count)
        let scale = 1 / Float(maxValue)
        if kind == UInt8(ascii: "5") || kind == UInt8(ascii: "6") {
            // Exactly one whitespace byte separates the header from binary samples.
            let start = reader.index + 1
            let bytesPerSample = maxValue > 255 ? 2 : 1
            guard start + count * bytesPerSample <= bytes.count else {
                throw .truncated(expected: count * bytesPerSample, available: max(0, bytes.count - start))
            }
            for i in 0..<count {
                let value = bytesPerSample == 1
                    ? Int(bytes[start + i])
                    : Int(bytes[start + 2 * i]) << 8 | Int(bytes[start + 2 * i + 1])
                interleaved[i] = Float(min(value, maxValue)) * scale
            }
        } else {
            for i in 0..<count {
                guard let value = try? reader.number() else { throw .truncated(expected: count, available: i) }
                interleaved[i] = Float(min(value, maxValue)) * scale
            }
        }
        var planar = [Float](repeating: 0, count: count)
        for p in 0..<(width * height) {
            for c in 0..<channels { planar[c * width * height + p] = interleaved[p * channels + c] }
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = planar
    }

    /// Luma (Rec. 709) for PPM, the samples for PGM.
    public var grey: [Float] {
        guard channels == 3 else { return samples }
        let n = width * height
        return (0..<n).map { 0.2126 * samples[$0] + 0.7152 * samples[n + $0] + 0.0722 * samples[2 * n + $0] }
    }

    /// Whether `data` starts like a Netpbm file this reader handles.
    public static func looksLikeNetpbm(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == UInt8(ascii: "P") && "2356".utf8.contains(data[data.startIndex + 1])
    }
}

/// Why an image could not be read.
public enum NetpbmError: Error, Equatable, Sendable, CustomStringConvertible {
    case notNetpbm
    case unsupported(String)
    case malformed(String)
    case truncated(expected: Int, available: Int)
    case unreadable(String)

    public var description: String {
        switch self {
        case .notNetpbm: return "not a PGM/PPM image"
        case .unsupported(let what): return "unsupported Netpbm format \(what)"
        case .malformed(let why): return "malformed PGM/PPM header: \(why)"
        case .truncated(let expected, let available): return "truncated PGM/PPM data: need \(expected) samples/bytes, found \(available)"
        case .unreadable(let why): return why
        }
    }
}

/// Reads whitespace-separated decimal numbers, skipping `#` comments.
private struct HeaderReader {
    let bytes: [UInt8]
    var index = 0

    mutating func number() throws(NetpbmError) -> Int {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            } else if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                index += 1
            } else {
                break
            }
        }
        var value = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value = value * 10 + Int(bytes[index] - 0x30)
            digits += 1
            index += 1
            guard digits <= 9 else { throw .malformed("number too long") }
        }
        guard digits > 0 else { throw .malformed("expected a number at byte \(index)") }
        return value
    }
}
