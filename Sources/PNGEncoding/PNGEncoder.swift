import CZlibShim

/// Encodes 8-bit RGB pixels as a PNG file (colour type 2, no interlace), compressed by zlib.
public enum PNGEncoder {
    /// Why pixels could not be encoded.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The pixel count does not match width x height x 3, or a side is 0 or past PNG's limit.
        case invalidSize(width: Int, height: Int, bytes: Int)
        /// zlib reported an error code.
        case zlib(Int32)

        /// One line for an `error:` message.
        public var description: String {
            switch self {
            case .invalidSize(let w, let h, let bytes): return "cannot encode \(bytes) bytes as a \(w)x\(h) RGB image"
            case .zlib(let code): return "zlib failed with code \(code)"
            }
        }
    }

    /// The PNG file of `width` x `height` pixels given as row-major RGB bytes.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) throws(Failure) -> [UInt8] {
        let (rowBytes, overflow) = width.multipliedReportingOverflow(by: 3)
        guard width > 0, height > 0, width < 1 << 31, height < 1 << 31, !overflow,
              rgb.count == rowBytes * height else { throw .invalidSize(width: width, height: height, bytes: rgb.count) }
        // Each scanline starts with filter type 0 (none).
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        rgb.withUnsafeBufferPointer { source in
            raw.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let to = target.baseAddress.map { $0 + y * (rowBytes + 1) + 1 }
                    let from = source.baseAddress.map { $0 + y * rowBytes }
                    if let to, let from { to.update(from: from, count: rowBytes) }
                }
            }
        }
        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        let status = compressed.withUnsafeMutableBufferPointer { target in
            raw.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &compressedLength, source.baseAddress, uLong(source.count), 6)
            }
        }
        guard status == Z_OK else { throw .zlib(status) }
        compressed.removeSubrange(Int(compressedLength)...)

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 0], into: &png)
        chunk("IDAT", compressed, into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    /// Appends one chunk: length, type, data and the CRC of type and data.
    static func chunk(_ type: String, _ data: [UInt8], into png: inout [UInt8]) {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        png += bigEndian(UInt32(data.count)) + body + bigEndian(UInt32(truncatingIfNeeded: crc))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
