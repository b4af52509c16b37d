import Foundation
import NumpyIO
import Testing
import ZIPFoundation

/// `.npz` archives written by NumPy itself (`Fixtures/make_archives.py`), and hostile ones
/// built here through ZIPFoundation or by patching a real archive's bytes.
@Suite("NPZ archives")
struct NPZTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// What make_archives.py stores: arange(n) * 0.5 - 3, cast to the member's dtype.
    static func expected(_ shape: [Int], integer: Bool = false) -> [Float] {
        (0..<shape.reduce(1, *)).map { integer ? Float(Int16(Double($0) * 0.5 - 3)) : Float($0) * 0.5 - 3 }
    }

    @Test("savez and savez_compressed members read back exactly, in archive order", arguments: ["savez", "savez_compressed"])
    func numpyArchives(name: String) throws {
        let archive = try NPZArchive(contentsOf: Self.fixtures.appendingPathComponent("\(name).npz").path)
        #expect(archive.members.map(\.name) == ["layer1", "layer2.conv", "counts", "big_endian", "fortran", "labels"])
        #expect(archive.skipped.isEmpty)
        let layer1 = try archive.array(named: "layer1")
        #expect(layer1.shape == [2, 3, 4, 4] && layer1.values == Self.expected([2, 3, 4, 4]) && layer1.dtype == "<f4")
        #expect(try archive.array(named: "layer2.conv").values == Self.expected([2, 5, 2, 2]))
        #expect(try archive.array(named: "counts").values == Self.expected([3, 4], integer: true))
        #expect(try archive.array(named: "big_endian").values == Self.expected([2, 3]))
        // Fortran order on disk, C order in memory.
        #expect(try archive.array(named: "fortran").values == Self.expected([3, 5]))
        let header = try archive.header(named: "layer2.conv")
        #expect(header.shape == [2, 5, 2, 2] && header.dtype == "<f8" && header.isNumeric)
        let labels = try archive.header(named: "labels")
        #expect(!labels.isNumeric)
        #expect(throws: NPYError.self) { try archive.array(named: "labels") }
        #expect(throws: NPYError.archive("no member named 'missing'")) { try archive.array(named: "missing") }
    }

    @Test("a member declaring fewer bytes than its header's shape and dtype need fails at its header, so listings leave it out",
          arguments: [false, true])
    func truncatedMemberHeader(deflate: Bool) throws {
        let whole = NPYArray(shape: [2, 3, 8, 8], values: [Float](repeating: 1, count: 384)).encoded()
        let url = try Self.zip([("short.npy", whole.dropLast(700), deflate), ("whole.npy", whole, deflate)])
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = try NPZArchive(contentsOf: url.path)
        #expect(throws: NPYError.archive("member 'short': truncated .npy data: the header's shape and dtype need 1536 data bytes, the file has 836")) {
            try archive.header(named: "short")
        }
        let header = try archive.header(named: "whole")
        #expect(header.shape == [2, 3, 8, 8] && header.dataBytes == 1536 && header.dataStart == whole.count - 1536)
    }

    /// Writes a zip of `members` (path, bytes, deflated?) to a temporary file.
    static func zip(_ members: [(String, Data, Bool)]) throws -> URL {
        let archive = try Archive(accessMode: .create)
        for (path, bytes, deflate) in members {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count),
                                 compressionMethod: deflate ? .deflate : .none) { position, size in
                bytes.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString).npz")
        try #require(archive.data).write(to: url)
        return url
    }

    static func npy(_ values: [Float], shape: [Int]) -> Data { NPYArray(shape: shape, values: values).encoded() }

    @Test("members that are not arrays are listed with the reason, never fatal")
    func skippedMembers() throws {
        let good = Self.npy([1, 2, 3, 4], shape: [2, 2])
        let url = try Self.zip([
            ("a.npy", good, true), ("notes.txt", Data("hello".utf8), false), ("../escape.npy", good, false),
            ("a.npy", good, false), ("dir/b.npy", good, true),
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = try NPZArchive(contentsOf: url.path)
        #expect(archive.members.map(\.name) == ["a", "dir/b"])
        #expect(archive.skipped.map(\.path) == ["notes.txt", "../escape.npy", "a.npy"])
        #expect(archive.skipped.map(\.reason) == ["not a .npy member", "its path leaves the archive", "a second member with the name 'a'"])
        #expect(try archive.array(named: "dir/b").values == [1, 2, 3, 4])
    }

    @Test("a member that inflates past its declared size, or falls short of it, is an error, not an allocation")
    func lyingSizes() throws {
        let big = Self.npy([Float](repeating: 0, count: 1 << 18), shape: [1 << 18])  // 1 MB of zeros deflates to ~1 KB
        let url = try Self.zip([("bomb.npy", big, true), ("short.npy", Self.npy([1, 2], shape: [2]), false)])
        defer { try? FileManager.default.removeItem(at: url) }
        var bytes = try Data(contentsOf: url)
        // Patch both the local and the central header sizes of bomb.npy down to 4096 bytes, and
        // short.npy's up to 1 GB: the archive now lies in both directions.
        try Self.patchSize(of: "bomb.npy", to: 4096, in: &bytes)
        try Self.patchSize(of: "short.npy", to: 1 << 30, in: &bytes)
        try bytes.write(to: url)
        let archive = try NPZArchive(contentsOf: url.path)
        #expect(archive.members.map(\.uncompressedSize) == [4096, 1 << 30])
        #expect(throws: NPYError.archive("member 'bomb' inflates past its declared 4096 bytes (the archive is corrupt)")) { try archive.array(named: "bomb") }
        #expect(throws: NPYError.self) { try archive.array(named: "short") }
    }

    @Test("a member whose bytes do not match their CRC-32 is an error, read whole or extracted to a file, which is then removed")
    func badChecksums() throws {
        let values = (0..<4096).map { Float($0) }
        let url = try Self.zip([("stored.npy", Self.npy(values, shape: [4096]), false), ("deflated.npy", Self.npy(values, shape: [4096]), true),
                                ("intact.npy", Self.npy([1, 2], shape: [2]), false)])
        defer { try? FileManager.default.removeItem(at: url) }
        var bytes = try Data(contentsOf: url)
        // One bit of the stored member's data flipped (float 1000.0 becomes another value) ...
        let thousand = withUnsafeBytes(of: Float(1000).bitPattern.littleEndian) { Data($0) }
        let at = try #require(bytes.range(of: thousand)).lowerBound
        bytes[at] ^= 1
        // ... and the deflated member's recorded CRC changed, in its local and central headers.
        let name = Array("deflated.npy".utf8)
        var patched = 0
        for (signature, crcOffset, nameOffset) in [([UInt8]([0x50, 0x4B, 0x03, 0x04]), 14, 30), ([0x50, 0x4B, 0x01, 0x02], 16, 46)] {
            for i in 0..<(bytes.count - nameOffset - name.count)
            where Array(bytes[i..<(i + 4)]) == signature && Array(bytes[(i + nameOffset)..<(i + nameOffset + name.count)]) == name {
                bytes[i + crcOffset] ^= 0xFF
                patched += 1
            }
        }
        try #require(patched == 2)
        try bytes.write(to: url)
        let archive = try NPZArchive(contentsOf: url.path)
        for member in ["stored", "deflated"] {
            #expect(throws: NPYError.archive("member '\(member)' fails its CRC-32 check (the archive is corrupt)")) { try archive.array(named: member) }
            let target = FileManager.default.temporaryDirectory.appendingPathComponent("member-\(UUID().uuidString).npy").path
            #expect(throws: NPYError.archive("member '\(member)' fails its CRC-32 check (the archive is corrupt)")) {
                try archive.extract(named: member, to: target)
            }
            #expect(!FileManager.default.fileExists(atPath: target))
        }
        #expect(try archive.array(named: "intact").values == [1, 2])
        // A header needs no check: listing reads a prefix only.
        #expect(try archive.header(named: "stored").shape == [4096])
    }

    /// Rewrites the uncompressed size in every header (local and central) that names `path`.
    static func patchSize(of path: String, to size: UInt32, in bytes: inout Data) throws {
        let name = Array(path.utf8)
        let signatures: [([UInt8], Int, Int)] = [([0x50, 0x4B, 0x03, 0x04], 22, 30), ([0x50, 0x4B, 0x01, 0x02], 24, 46)]
        var patched = 0
        for (signature, sizeOffset, nameOffset) in signatures {
            var i = 0
            while i + nameOffset + name.count <= bytes.count {
                if Array(bytes[i..<(i + 4)]) == signature && Array(bytes[(i + nameOffset)..<(i + nameOffset + name.count)]) == name {
                    for k in 0..<4 { bytes[i + sizeOffset + k] = UInt8((size >> (8 * UInt32(k))) & 0xFF) }
                    patched += 1
                }
                i += 1
            }
        }
        try #require(patched == 2, "expected one local and one central header for \(path)")
    }

    @Test("an archive of 10 000 small arrays lists quickly and reads any member")
    func manyMembers() throws {
        let members = (0..<10_000).map { ("m\($0).npy", Self.npy([Float($0)], shape: [1]), false) }
        let url = try Self.zip(members)
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = try NPZArchive(contentsOf: url.path)
        #expect(archive.members.count == 10_000)
        #expect(try archive.array(named: "m9876").values == [9876])
    }

    @Test("a file that is not a zip is an error that says so")
    func notZip() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString).npz")
        try Data("PK\u{3}\u{4} but nothing else".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: NPYError.self) { try NPZArchive(contentsOf: url.path) }
    }
}
