import Foundation

/// Encodes float32 C-order `.npy` files.
enum NPYWriter {
    /// The header (magic, version, length, dictionary, padding) of a float32 C-order file of `shape`.
    static func header(shape: [Int]) -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad with spaces and end with a newline so the data starts on a 64-byte boundary.
        let version: UInt8 = header.utf8.count + 11 > 65_535 ? 2 : 1
        let prefix = version == 1 ? 10 : 12
        let total = prefix + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var bytes = NPYReader.magic + [version, 0]
        let length = header.utf8.count
        if version == 1 {
            bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        } else {
            bytes += (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) }
        }
        return bytes + Array(header.utf8)
    }

    /// Calls `body` with the values as little-endian float32 bytes, in chunks of at most
    /// `chunk` elements: the values themselves on a little-endian machine, no copy.
    static func payload<Failure: Error>(
        _ buffer: UnsafeBufferPointer<Float>, chunk: Int = 1 << 18, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Void
    ) throws(Failure) {
        if 1.littleEndian == 1 {
            try body(UnsafeRawBufferPointer(buffer))
            return
        }
        let swapped = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: min(chunk, buffer.count))
        defer { swapped.deallocate() }
        var start = 0
        while start < buffer.count {
            let count = min(chunk, buffer.count - start)
            for i in 0..<count { swapped[i] = buffer[start + i].bitPattern.littleEndian }
            try body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(swapped)[0..<(4 * count)]))
            start += count
        }
    }

    static func encode(_ array: NPYArray) -> Data {
        var data = Data(header(shape: array.shape))
        data.reserveCapacity(data.count + 4 * array.values.count)
        array.values.withUnsafeBufferPointer { payload($0) { data.append(contentsOf: $0) } }
        return data
    }

    /// Writes the file through `NPYFileWriter` (a temporary file and a rename, so that a failed
    /// write leaves no partial file); the payload goes from the values to the file with no copy.
    static func write(_ array: NPYArray, to path: String) throws(NPYError) {
        let writer = try NPYFileWriter(path: path, shape: array.shape)
        do {
            try array.values.withUnsafeBufferPointer { values in try writer.write(values) }
        } catch {
            throw error as? NPYError ?? .io("cannot write \(path)")
        }
        try writer.finish()
    }
}
