import Foundation

/// A `.safetensors` file read in place with `pread`: opening reads and validates the header
/// only, and a tensor's values are read whole or a range of elements at a time, so that a
/// file larger than memory can be listed and streamed. (`SafetensorsFile` parses bytes
/// already in memory.)
public final class SafetensorsFileReader {
    /// The tensors in file order.
    public let entries: [SafetensorsFile.Entry]
    /// The optional `__metadata__` strings.
    public let metadata: [String: String]

    private let descriptor: Int32
    private let path: String
    /// Raw bytes of one read, reused (only for dtypes other than float32).
    private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// Elements decoded per read when a dtype is converted: bounds the scratch buffer.
    static let elementsPerRead = 1 << 18

    /// Opens `path` and reads and validates its header (every check of `SafetensorsFile(data:)`).
    /// - Throws: `SafetensorsError.io` when it cannot be opened or read, and the header errors.
    public init(path: String) throws(SafetensorsError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
        do throws(SafetensorsError) {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
            let size = Int(status.st_size)
            let length = try SafetensorsFile.headerLength(prefix: Self.bytes(descriptor, path: path, count: min(8, size), at: 0), fileSize: size)
            (entries, metadata) = try SafetensorsFile.parseHeader(Data(Self.bytes(descriptor, path: path, count: length, at: 8)), fileSize: size)
        } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
        scratch.deallocate()
    }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> SafetensorsFile.Entry? { entries.first { $0.name == name } }

    /// The number of elements of `entry`.
    public static func count(of entry: SafetensorsFile.Entry) -> Int { entry.bytes.count / max(entry.dtype.size, 1) }

    /// Reads `min(target.count, count - first)` elements of `entry`, from element `first` in C
    /// order, into `target` as `Float`, and returns how many.
    public func read(_ entry: SafetensorsFile.Entry, into target: UnsafeMutableBufferPointer<Float>, from first: Int) throws(SafetensorsError) -> Int {
        precondition(first >= 0, "a negative element index")
        let size = entry.dtype.size
        let elements = min(target.count, Self.count(of: entry) - first)
        guard elements > 0, let base = target.baseAddress else { return 0 }
        let offset = entry.bytes.lowerBound + first * size
        if entry.dtype == .f32 && UInt32(littleEndian: 1) == 1 {
            try Self.read(descriptor, path: path, into: UnsafeMutableRawPointer(base), count: 4 * elements, at: offset)
            return elements
        }
        var done = 0
        while done < elements {
            let part = min(elements - done, Self.elementsPerRead)
            if scratch.count < part * size {
                scratch.deallocate()
                scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.elementsPerRead * 8, alignment: 16)
            }
            try Self.read(descriptor, path: path, into: scratch.baseAddress, count: part * size, at: offset + done * size)
            entry.dtype.decode(UnsafeRawBufferPointer(rebasing: scratch[0..<(part * size)]),
                               into: UnsafeMutableBufferPointer(start: base + done, count: part))
            done += part
        }
        return elements
    }

    /// All of `entry`'s values as `Float`, in C order.
    public func values(of entry: SafetensorsFile.Entry) throws(SafetensorsError) -> [Float] {
        let count = Self.count(of: entry)
        var failure: SafetensorsError?
        // Read straight into the array's storage: one copy of the tensor in memory, not two.
        let values = [Float](unsafeUninitializedCapacity: count) { target, initialized in
            do throws(SafetensorsError) {
                initialized = try read(entry, into: target, from: 0)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return values
    }

    /// `count` bytes at file offset `offset`, read whole.
    private static func bytes(_ descriptor: Int32, path: String, count: Int, at offset: Int) throws(SafetensorsError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { buffer.deallocate() }
        try read(descriptor, path: path, into: buffer.baseAddress, count: count, at: offset)
        return [UInt8](buffer)
    }

    /// `count` bytes at file offset `offset` into `target`, whole: a file cut short since its
    /// header was checked is an error, not a short read.
    private static func read(_ descriptor: Int32, path: String, into target: UnsafeMutableRawPointer?, count: Int, at offset: Int) throws(SafetensorsError) {
        guard let target else { return }
        var done = 0
        while done < count {
            let got = pread(descriptor, target + done, count - done, off_t(offset + done))
            if got > 0 {
                done += got
            } else if got == 0 {
                throw .io("cannot read \(path): the file ends \(count - done) bytes early")
            } else if errno != EINTR {
                throw .io("cannot read \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
