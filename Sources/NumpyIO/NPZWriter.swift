import Foundation
import ZIPFoundation

/// Writes `.npz` archives as `numpy.savez_compressed` does: one deflated `NAME.npy` member per
/// array, plus any other named members (such as a JSON file of parameters), through ZIPFoundation.
public enum NPZWriter {
    /// Writes `arrays` (in order) and `files` to a new archive at `path`, replacing any old one;
    /// nothing is left behind on failure.
    public static func write(arrays: [(name: String, array: NPYArray)], files: [(name: String, data: Data)] = [],
                             to path: String) throws(NPYError) {
        let temporary = URL(fileURLWithPath: path + ".partial-\(getpid())")
        try? FileManager.default.removeItem(at: temporary)
        let slot = PartialFiles.remember(temporary.path)
        defer { PartialFiles.forget(slot) }
        do {
            let archive = try Archive(url: temporary, accessMode: .create)
            let members = arrays.map { ($0.name + ".npy", $0.array.encoded()) } + files.map { ($0.name, $0.data) }
            for (name, data) in members {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .io("cannot write \(path): \(FileErrorReason.of(error))")
        }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .io("cannot write \(path): \(reason)")
        }
    }
}
