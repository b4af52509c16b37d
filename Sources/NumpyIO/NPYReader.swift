import Foundation
import ShapeFormat

/// Decodes `.npy` bytes, checking every size before allocating anything.
enum NPYReader {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    /// The longest header dictionary read, in bytes: NumPy's own default
    /// (`numpy.lib.format._MAX_HEADER_SIZE`, `max_header_size=10000`).
    static let maximumHeaderLength = 10_000

    /// Parses the magic, version and header dictionary; returns the fields and where the data starts.
    static func header(_ bytes: [UInt8]) throws(NPYError) -> (NPYHeader, dataStart: Int) {
        guard bytes.count >= 8 else { throw bytes.starts(with: magic.prefix(bytes.count)) && !bytes.isEmpty ? .truncatedHeader : .badMagic }
        guard Array(bytes[0..<6]) == magic else { throw .badMagic }
        let major = bytes[6], minor = bytes[7]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            guard bytes.count >= 10 else { throw .truncatedHeader }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw .truncatedHeader }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw .unsupportedVersion(major: major, minor: minor)
        }
        guard minor == 0 else { throw .unsupportedVersion(major: major, minor: minor) }
        // Checked before the header is decoded into a String, as NumPy does.
        guard headerLength <= maximumHeaderLength else {
            throw .headerTooLarge(length: headerLength, limit: maximumHeaderLength)
        }
        guard headerStart + headerLength <= bytes.count else { throw .truncatedHeader }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        // Versions 1 and 2 are latin-1, version 3 UTF-8; the fields we read are ASCII either way.
        let header = String(decoding: headerBytes, as: UTF8.self)
        return (try NPYHeader.parse(header), headerStart + headerLength)
    }

    static func decode(_ data: Data) throws(NPYError) -> NPYArray {
        // Only the header is copied; the payload is read where it lies (a mapped file stays mapped).
        let (fields, dataStart) = try header([UInt8](data.prefix(12 + maximumHeaderLength)))
        let dtype = try NPYDType(descr: fields.descr)

        let count = try elementCount(fields.shape)
        let needed = count * dtype.size  // Cannot overflow: elementCount bounds it.
        let available = data.count - dataStart
        guard needed <= available else { throw .truncatedData(expectedBytes: needed, availableBytes: available) }

        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            let payload = UnsafeRawBufferPointer(rebasing: raw[dataStart..<(dataStart + needed)])
            if fields.fortranOrder && fields.shape.count > 1 && count > 0 {
                decodeFortran(payload, dtype: dtype, shape: fields.shape, into: &values)
            } else if let source = payload.baseAddress {
                // A typed loop per dtype; native float32, the common case, is one bulk copy.
                values.withUnsafeMutableBufferPointer { target in
                    guard let base = target.baseAddress else { return }
                    NPYBulkDecoder.decode(source, count: count, dtype: dtype, into: base)
                }
            }
        }
        return NPYArray(shape: fields.shape, values: values, dtype: fields.descr)
    }

    /// Converts C-order elements one by one (any dtype and byte order).
    static func decodeElements(_ payload: UnsafeRawBufferPointer, dtype: NPYDType, into values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { target in
            for i in target.indices { target[i] = dtype.value(payload, at: i * dtype.size) }
        }
    }

    /// Fortran order: the first index varies fastest; scatter into C order. Every stride is a
    /// product of extents, so it is at most the element count and cannot overflow.
    static func decodeFortran(_ payload: UnsafeRawBufferPointer, dtype: NPYDType, shape: [Int], into values: inout [Float]) {
        var cStrides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { cStrides[axis] = cStrides[axis + 1] * shape[axis + 1] }
        var index = [Int](repeating: 0, count: shape.count)
        values.withUnsafeMutableBufferPointer { target in
            for f in target.indices {
                var c = 0
                for axis in shape.indices { c += index[axis] * cStrides[axis] }
                target[c] = dtype.value(payload, at: f * dtype.size)
                for axis in shape.indices {
                    index[axis] += 1
                    if index[axis] < shape[axis] { break }
                    index[axis] = 0
                }
            }
        }
    }

    /// The widest element any `.npy` dtype read here has (8 bytes), the bound `elementCount` uses.
    static let widestElement = 8

    /// The number of elements of `shape`, refusing (much as NumPy does) any shape whose non-zero
    /// extents multiply, at `widestElement` bytes each, past `Int.max`: so no product of
    /// extents, stride or byte count derived from an accepted shape can overflow, even when
    /// an extent of 0 makes the array empty, and whatever the dtype: an accepted shape stays
    /// readable when written back as float32. (Only empty arrays can be refused that NumPy
    /// reads with a narrow dtype: a non-empty one that large cannot be in a file.)
    static func elementCount(_ shape: [Int]) throws(NPYError) -> Int {
        var bytes = widestElement
        var isEmpty = false
        for extent in shape {
            if extent == 0 { isEmpty = true; continue }
            let (product, overflow) = bytes.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw .invalidShape("\(ShapeText.tuple(shape)) is too large") }
            bytes = product
        }
        return isEmpty ? 0 : bytes / widestElement
    }
}
