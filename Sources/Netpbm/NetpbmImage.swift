import Foundation
import ShapeFormat

/// A PGM (P2/P5) or PPM (P3/P6) image, with samples scaled to [0, 1].
public struct NetpbmImage: Equatable, Sendable {
    /// Pixels per row.
    public let width: Int
    /// Rows of pixels.
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
    ///
    /// Sizes are checked against the bytes present before anything is allocated: a short
    /// file that declares a large image is refused without allocating the image.
    public init(data: Data) throws(NetpbmError) {
        let bytes = [UInt8](data)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), let variant = NetpbmVariant(magic: bytes[1]) else { throw .notNetpbm }
        guard variant.isRead else { throw .unsupported(variant.unsupportedDescription) }
        var reader = HeaderReader(bytes: bytes)
        reader.index = 2
        let width = try reader.number(), height = try reader.number(), maxValue = try reader.number()
        guard width >= 1, height >= 1, width <= Self.maximumSide, height <= Self.maximumSide else {
            throw .malformed("image size \(ShapeText.size([height, width])) (HxW) is outside 1...\(Self.maximumSide)")
        }
        guard maxValue >= 1, maxValue <= 65_535 else { throw .malformed("maximum value \(maxValue) is outside 1...65535") }
        let channels = variant.channels
        // At most 16384 x 16384 x 3: no overflow.
        let count = width * height * channels
        let scale = 1 / Float(maxValue)
        var interleaved: [Float] = []
        if variant.isBinary {
            // Exactly one whitespace byte separates the header from binary samples.
            let start = reader.index + 1
            let bytesPerSample = maxValue > 255 ? 2 : 1
            let available = max(0, bytes.count - start)
            guard count * bytesPerSample <= available else {
                throw .truncated(expected: count * bytesPerSample, available: available)
            }
            interleaved = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let value = bytesPerSample == 1
                    ? Int(bytes[start + i])
                    : Int(bytes[start + 2 * i]) << 8 | Int(bytes[start + 2 * i + 1])
                interleaved[i] = Float(min(value, maxValue)) * scale
            }
        } else {
            // Every ASCII sample takes a separator and a digit, so the bytes left bound what
            // can be present: reserve no more than that, whatever the header declares.
            interleaved.reserveCapacity(min(count, (bytes.count - reader.index) / 2))
            for i in 0..<count {
                guard let value = try? reader.number() else {
                    // Nothing but blanks and comments left: too few samples; else one that is not a number.
                    throw reader.atEnd ? .truncated(expected: count, available: i) : .badSample(index: i, byte: reader.index)
                }
                interleaved.append(Float(min(value, maxValue)) * scale)
            }
        }
        self.width = width
        self.height = height
        self.channels = channels
        if channels == 1 {
            self.samples = interleaved
        } else {
            var planar = [Float](repeating: 0, count: count)
            for p in 0..<(width * height) {
                for c in 0..<channels { planar[c * width * height + p] = interleaved[p * channels + c] }
            }
            self.samples = planar
        }
    }

    /// Luma (Rec. 709) for PPM, the samples for PGM.
    public var grey: [Float] {
        guard channels == 3 else { return samples }
        let n = width * height
        return (0..<n).map { 0.2126 * samples[$0] + 0.7152 * samples[n + $0] + 0.0722 * samples[2 * n + $0] }
    }

    /// Whether `data` starts with a Netpbm magic number (`P1` to `P7`, then whitespace).
    ///
    /// The variants this reader does not decode (PBM `P1`/`P4`, PAM `P7`) are included, so a
    /// caller that sniffs a file hands them here and gets a clear `unsupported` error.
    public static func looksLikeNetpbm(_ data: Data) -> Bool {
        let head = [UInt8](data.prefix(3))
        guard head.count >= 2, head[0] == UInt8(ascii: "P"), NetpbmVariant(magic: head[1]) != nil else { return false }
        return head.count == 2 || HeaderReader.isSpace(head[2])
    }
}

/// Reads whitespace-separated decimal numbers, skipping `#` comments.
private struct HeaderReader {
    let bytes: [UInt8]
    var index = 0

    /// Netpbm's whitespace: blanks, tabs, CR, LF, vertical tab and form feed.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// Whether only blanks and comments are left (`number` skips them first, so after a failed
    /// `number` this says whether the data ended or held something else).
    var atEnd: Bool { index >= bytes.count }

    mutating func number() throws(NetpbmError) -> Int {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            } else if Self.isSpace(byte) {
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
