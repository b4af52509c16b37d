import Foundation

/// Writes a float32 C-order `.npy` file one chunk at a time, through a temporary file beside
/// the target and a rename: a write that fails or is abandoned leaves no partial file. The
/// target is the file a link names, and a device or FIFO is written in place (`OutputTarget`).
public final class NPYFileWriter {
    /// The target path.
    public let path: String
    /// The shape written in the header.
    public let shape: [Int]
    /// Elements written so far.
    public private(set) var position = 0

    private let count: Int
    /// The file written: a temporary beside the target, or the target itself when it is not
    /// a regular file.
    private let temporary: String
    private let target: OutputTarget
    private var descriptor: Int32
    /// The temporary file's place in `PartialFiles`, removed there by a signal handler.
    private var partialSlot: Int?

    /// Creates the temporary file and writes the header of a float32 array of `shape`.
    public init(path: String, shape: [Int]) throws(NPYError) {
        self.path = path
        self.shape = shape
        count = shape.reduce(1, *)
        target = OutputTarget(path)
        temporary = target.inPlace ? target.path : target.path + ".partial-\(getpid())"
        // Remembered before it exists, so that no moment leaves it behind on a signal (never
        // a device written in place: a handler would remove it).
        partialSlot = target.inPlace ? nil : PartialFiles.remember(temporary)
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            PartialFiles.forget(partialSlot)
            throw .io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        let header = NPYWriter.header(shape: shape)
        do {
            try header.withUnsafeBytes { bytes in try writeAll(bytes) }
        } catch {
            abandon()
            throw error as? NPYError ?? .io("cannot write \(path)")
        }
    }

    deinit { abandon() }

    /// Appends `values` (little-endian float32 on disk, whatever this machine's byte order).
    public func write(_ values: UnsafeBufferPointer<Float>) throws(NPYError) {
        precondition(position + values.count <= count, "more values than the shape holds")
        do {
            try NPYWriter.payload(values) { bytes throws(NPYError) in try writeAll(bytes) }
        } catch {
            abandon()
            throw error
        }
        position += values.count
    }

    /// Closes the file and moves it into place; every element must have been written.
    public func finish() throws(NPYError) {
        precondition(position == count, "\(count - position) values were not written")
        guard descriptor >= 0 else { throw .io("cannot write \(path): the file was abandoned") }
        let closed = close(descriptor)
        descriptor = -1
        defer { PartialFiles.forget(partialSlot) }
        if closed != 0 || (!target.inPlace && rename(temporary, target.path) != 0) {
            let reason = String(cString: strerror(errno))
            if !target.inPlace { unlink(temporary) }
            throw .io("cannot write \(path): \(reason)")
        }
    }

    /// Closes and removes the temporary file, if still open.
    private func abandon() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        if !target.inPlace { unlink(temporary) }
        PartialFiles.forget(partialSlot)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(NPYError) {
        guard descriptor >= 0 else { throw .io("cannot write \(path): the file was abandoned") }
        var done = 0
        while done < bytes.count, let base = bytes.baseAddress {
            let written = Glibc.write(descriptor, base + done, bytes.count - done)
            if written > 0 {
                done += written
            } else if errno != EINTR {
                throw .io("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
