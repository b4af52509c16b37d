import Foundation

/// Reads a user's file whole, with errors that name the file and say what went wrong
/// (missing, a directory, unreadable, empty), never a Foundation error code.
struct InputFile {
    /// The path as the user gave it.
    let path: String
    /// The file's bytes.
    let data: Data
    /// What the first bytes say the file is.
    let format: FileFormat

    /// Reads `path`; `what` names the file's role in messages ("input", "noise").
    init(_ path: String, what: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw CLIError("cannot read \(what) \(path): \(String(cString: strerror(errno)))")
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw CLIError("cannot read \(what) \(path): is a directory")
        }
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            let reason = access(path, R_OK) == 0 ? "read failed" : String(cString: strerror(errno))
            throw CLIError("cannot read \(what) \(path): \(reason)")
        }
        guard !data.isEmpty else { throw CLIError("\(what) \(path) is empty (0 bytes)") }
        self.path = path
        format = FileFormat.detect([UInt8](data.prefix(FileFormat.sniffLength)))
    }

    /// The error for a file whose format the command cannot use; `expected` names what it can.
    func wrongFormat(what: String, expected: String) -> CLIError {
        switch format {
        case .unknown:
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
