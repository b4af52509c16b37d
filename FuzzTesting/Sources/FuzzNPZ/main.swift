import Foundation
import FuzzSupport
import NumpyIO

/// Any bytes as an `.npz` file: a typed error, or members whose headers and arrays agree, each
/// inflated no further than its declared size (the RSS limit catches any that would).
///
/// The bytes go through a file, as a user's archive does: ZIPFoundation's in-memory backing
/// traps on some corrupt archives (a range check in `MemoryFile.readData`, found here), so the
/// project opens archives from files only.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let path = "/dev/shm/fuzz-npz-\(getpid()).npz"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count)) else { return 0 }
    defer { unlink(path) }
    guard let archive = try? NPZArchive(contentsOf: path) else { return 0 }
    fuzzCheck(Set(archive.members.map(\.name)).count == archive.members.count, "two members with one name")
    for member in archive.members.prefix(64) {
        let header = try? archive.header(named: member.name)
        guard let array = try? archive.array(named: member.name) else { continue }
        fuzzCheck(header?.shape == array.shape, "header shape \(String(describing: header?.shape)) but array \(array.shape)")
        fuzzCheck(array.shape.reduce(1, *) == array.values.count, "shape \(array.shape) but \(array.values.count) values")
        fuzzCheck(UInt64(array.values.count) <= member.uncompressedSize, "more values than declared bytes")
    }
    return 0
}
