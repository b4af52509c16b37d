import Foundation
import NumpyIO

/// Checks that an output path can be written before any work is done, so that a bad path
/// fails fast with a clear message and nothing is half written.
enum OutputPath {
    /// Checks `path` for `what`, and that it is none of `inputs`: the same file by another
    /// name (a link, `./`) counts too, so that writing it never destroys what is being read.
    static func check(_ path: String, what: String, notOverwriting inputs: [String]) throws {
        try check(path, what: what)
        for input in inputs where sameFile(path, input) {
            throw CLIError("cannot write \(what) \(path): it is the input \(input); write to another file")
        }
    }

    /// Where scratch files for writing `path` go: its folder (the output lands on that disk
    /// anyway), or the temporary folder for a device or FIFO written in place.
    static func folder(of path: String) -> String {
        let target = OutputTarget(path)
        return target.inPlace ? NSTemporaryDirectory() : URL(fileURLWithPath: target.path).deletingLastPathComponent().path
    }

    /// Whether `a` and `b` name one existing file (same device and inode).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        guard stat(a, &first) == 0, stat(b, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    static func check(_ path: String, what: String) throws {
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw CLIError("cannot write \(what) \(path): is a directory")
        }
        // Writers follow links, and write a device or FIFO in place (`OutputTarget`): then the
        // target itself must be writable, else the folder the temporary file goes in.
        let target = OutputTarget(path)
        if target.inPlace {
            guard access(target.path, W_OK) == 0 else { throw CLIError("cannot write \(what) \(path): not writable") }
            return
        }
        let parent = URL(fileURLWithPath: target.path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("cannot write \(what) \(path): folder \(parent) does not exist")
        }
        guard access(parent, W_OK) == 0 else {
            throw CLIError("cannot write \(what) \(path): folder \(parent) is not writable")
        }
    }
}
