import Foundation

/// Encodes float32 C-order `.npy` files.
enum NPYWriter {
    static func encode(_ array: NPYArray) -> Data {
        let shapeText: String
        switch array.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(array.shape[0]),)"
        default: shapeText = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad with spaces and end with a newline so the data starts on a 64-byte boundary.
        let version: UInt8 = header.utf8.count + 11 > 65_535 ? 2 : 1
        let prefix = version == 1 ? 10 : 12
        let total = prefix + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var data = Data(NPYReader.magic)
        data.append(contentsOf: [version, 0])
        let length = header.utf8.count
        if version == 1 {
            data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        } else {
            data.append(contentsOf: (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) })
        }
        data.append(contentsOf: Array(header.utf8))
        array.values.withUnsafeBufferPointer { buffer in
            var littleEndian = [UInt32](repeating: 0, count: buffer.count)
            for i in buffer.indices { littleEndian[i] = buffer[i].bitPattern.littleEndian }
            littleEndian.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }
}
