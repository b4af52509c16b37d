import Foundation
import ShapeFormat

/// A user's file, checked and recognised, with errors that name the file and say what went
/// wrong (missing, a directory, unreadable, empty), never a Foundation error code. Opening
/// reads only the first bytes; `data()` maps the whole file when a reader needs it, so a
/// streamed `.npy` is never mapped whole.
struct InputFile {
    /// The path as the user gave it.
    let path: String
    /// What the first bytes say the file is.
    let format: FileFormat
    /// The file's role in messages ("input", "noise").
    let what: String
    /// The first bytes (up to `FileFormat.sniffLength`) and the file's size, for messages.
    private let head: [UInt8], size: Int

    /// Opens `path` and reads its first bytes; `what` names the file's role in messages.
    init(_ path: String, what: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw CLIError("cannot read \(what) \(path): \(String(cString: strerror(errno)))")
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw CLIError("cannot read \(what) \(path): is a directory")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CLIError("cannot read \(what) \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var head = [UInt8](repeating: 0, count: FileFormat.sniffLength)
        let got = head.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard got >= 0 else { throw CLIError("cannot read \(what) \(path): read failed") }
        guard got > 0 else { throw CLIError("\(what) \(path) is empty (0 bytes)") }
        self.path = path
        self.what = what
        self.head = Array(head.prefix(got))
        size = Int(status.st_size)
        format = FileFormat.detect(self.head)
    }

    /// The file's bytes, mapped.
    func data() throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            guard access(path, R_OK) == 0 else { throw CLIError("cannot read \(what) \(path): \(String(cString: strerror(errno)))") }
            // Readable, yet not read: most often there is no room to map it (`ulimit -v`).
            var status = stat()
            if stat(path, &status) == 0, status.st_size > 0, !MemoryProbe.canMap(Int(status.st_size)) {
                throw CLIError("not enough memory for reading \(what) \(path) (\(ByteText.megabytes(Int(status.st_size))))")
            }
            throw CLIError("cannot read \(what) \(path): read failed")
        }
    }

    /// The error for a file whose format the command cannot use; `expected` names what it can.
    func wrongFormat(what: String, expected: String) -> CLIError {
        switch format {
        case .unknown:
            // safetensors has no magic: a named one that fails the check gets the reason in its own terms.
            if path.lowercased().hasSuffix(".safetensors"), let why = FileFormat.safetensorsProblem(head: head, size: size) {
                return CLIError("\(what) \(path) is not a readable safetensors file: \(why)")
            }
            return CLIError("\(what) \(path) is not \(expected) (it does not start with a known magic number)")
        case .netpbm where !format.isReadableImage:
            return CLIError("\(what) \(path) is \(format.name), which is not supported (only P2, P3, P5 and P6 images); use \(expected)")
        case .zip, .safetensors:
            return CLIError("\(what) \(path) is \(format.name), which is not supported yet; save the array with numpy.save as \(expected)")
        default:
            return CLIError("\(what) \(path) is \(format.name), not \(expected)")
        }
    }
}
