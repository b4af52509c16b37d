import Foundation

/// Reads a `.npy` file's elements as C-order `Float`, one chunk at a time, with `pread`: the
/// file is never held whole, so files larger than memory (or than the address space a process
/// may use) can be streamed. Only the header is parsed up front, with every size checked.
public final class NPYFileReader {
    /// The array's shape.
    public let shape: [Int]
    /// The dtype the file stores (its `descr`).
    public let dtype: String
    /// Whether the file is in Fortran order; such files are not read in chunks (`read` refuses them).
    public let isFortranOrder: Bool
    /// The number of elements.
    public let count: Int
    /// Elements read so far.
    public private(set) var position = 0

    private let type: NPYDType
    private let descriptor: Int32
    private let dataStart: Int
    private let path: String
    /// Raw bytes of one chunk, reused (only for dtypes that are not native float32).
    private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// Opens `path` and parses its header.
    /// - Throws: `NPYError.io` when it cannot be opened or read, and the header and size errors of `NPYArray(data:)`.
    public init(path: String) throws(NPYError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
        do {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw NPYError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
            var head = [UInt8](repeating: 0, count: min(Int(status.st_size), 12 + NPYReader.maximumHeaderLength))
            let got = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
            guard got == head.count else { throw NPYError.io("cannot read \(path): \(got < 0 ? String(cString: strerror(errno)) : "short read")") }
            let (fields, dataStart) = try NPYReader.header(head)
            let type = try NPYDType(descr: fields.descr)
            let count = try NPYReader.elementCount(fields.shape)
            let needed = count * type.size  // Cannot overflow: elementCount bounds it.
            let available = Int(status.st_size) - dataStart
            guard needed <= available else { throw NPYError.truncatedData(expectedBytes: needed, availableBytes: available) }
            (self.shape, self.dtype, self.isFortranOrder, self.count) = (fields.shape, fields.descr, fields.fortranOrder, count)
            (self.type, self.dataStart) = (type, dataStart)
        } catch let error as NPYError {
            close(descriptor)
            throw error
        } catch {
            close(descriptor)
            throw .io("cannot read \(path)")
        }
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
        scratch.deallocate()
    }

    /// Whether `read` can serve this file: C order (or one axis, where the orders agree).
    public var readsInChunks: Bool { !isFortranOrder || shape.count <= 1 }

    /// Reads the next `min(target.count, count - position)` elements into `target` and returns
    /// how many; 0 at the end.
    public func read(into target: UnsafeMutableBufferPointer<Float>) throws(NPYError) -> Int {
        let elements = try read(into: target, from: position)
        position += elements
        return elements
    }

    /// Reads `min(target.count, count - first)` elements starting at element `first` (C order)
    /// into `target` and returns how many; does not move `position`.
    public func read(into target: UnsafeMutableBufferPointer<Float>, from first: Int) throws(NPYError) -> Int {
        precondition(readsInChunks, "a Fortran-order file is not read in chunks")
        precondition(first >= 0, "a negative element index")
        let elements = min(target.count, count - first)
        guard elements > 0, let base = target.baseAddress else { return 0 }
        let offset = dataStart + first * type.size
        if type.isNativeFloat32 {
            try readBytes(into: UnsafeMutableRawPointer(base), count: 4 * elements, at: offset)
        } else {
            let byteCount = elements * type.size
            if scratch.count < byteCount {
                scratch.deallocate()
                scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 16)
            }
            guard let bytes = scratch.baseAddress else { return 0 }
            try readBytes(into: bytes, count: byteCount, at: offset)
            NPYBulkDecoder.decode(bytes, count: elements, dtype: type, into: base)
        }
        return elements
    }

    private func readBytes(into target: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(NPYError) {
        var done = 0
        while done < count {
            let got = pread(descriptor, target + done, count - done, off_t(offset + done))
            if got > 0 {
                done += got
            } else if got == 0 {
                throw .truncatedData(expectedBytes: count, availableBytes: done)
            } else if errno != EINTR {
                throw .io("cannot read \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
