import Foundation

/// Checks that an output path can be written before any work is done, so that a bad path
/// fails fast with a clear message and nothing is half written.
enum OutputPath {
    static func check(_ path: String, what: String) throws {
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw CLIError("cannot write \(what) \(path): is a directory")
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("cannot write \(what) \(path): folder \(parent) does not exist")
        }
        guard access(parent, W_OK) == 0 else {
            throw CLIError("cannot write \(what) \(path): folder \(parent) is not writable")
        }
    }
}
