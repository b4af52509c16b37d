import CZlibShim
import Foundation
import ZIPFoundation

/// A NumPy `.npz` archive (`numpy.savez` or `numpy.savez_compressed`): named `.npy` members
/// in a zip, read through ZIPFoundation (stored and deflated members alike).
///
/// Opening lists the members without decompressing any; `array(named:)` inflates one member,
/// never more than its declared size, and decodes it with the `.npy` reader. Members that are
/// not arrays this tool can read are listed in `skipped` with the reason, never fatal.
public final class NPZArchive {
    /// The largest member inflated, so a lying or bombing archive cannot exhaust memory.
    public static let maximumMemberBytes: UInt64 = 1 << 33

    /// A `.npy` member: its array name (the zip path without `.npy`) and sizes.
    public struct Member: Sendable, Equatable {
        /// The key NumPy gives it (`np.load(f)[name]`).
        public let name: String
        /// The size the archive declares once inflated.
        public let uncompressedSize: UInt64
    }

    /// A member left out, and why.
    public struct Skipped: Sendable, Equatable {
        /// The member's path in the zip.
        public let path: String
        /// Why it cannot be used.
        public let reason: String
    }

    /// The readable members, in archive order.
    public let members: [Member]
    /// The members left out.
    public let skipped: [Skipped]
    private let archive: Archive
    private let entries: [String: Entry]

    /// Opens the archive at `path` and lists its members.
    public convenience init(contentsOf path: String) throws(NPYError) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .archive("not a readable zip archive (\(ArchiveErrorReason.words(error)))")
        }
        self.init(archive)
    }

    private init(_ archive: Archive) {
        self.archive = archive
        var members: [Member] = [], skipped: [Skipped] = [], entries: [String: Entry] = [:]
        for entry in archive {
            let zipPath = entry.path
            guard entry.type == .file else {
                skipped.append(Skipped(path: zipPath, reason: "not a file"))
                continue
            }
            guard zipPath.hasSuffix(".npy") else {
                skipped.append(Skipped(path: zipPath, reason: "not a .npy member"))
                continue
            }
            let name = String(zipPath.dropLast(4))
            guard !zipPath.hasPrefix("/"), !zipPath.split(separator: "/").contains("..") else {
                skipped.append(Skipped(path: zipPath, reason: "its path leaves the archive"))
                continue
            }
            guard entries[name] == nil else {
                skipped.append(Skipped(path: zipPath, reason: "a second member with the name '\(name)'"))
                continue
            }
            guard entry.uncompressedSize <= Self.maximumMemberBytes else {
                skipped.append(Skipped(path: zipPath, reason: "declares \(entry.uncompressedSize) bytes, over the \(Self.maximumMemberBytes)-byte limit"))
                continue
            }
            entries[name] = entry
            members.append(Member(name: name, uncompressedSize: entry.uncompressedSize))
        }
        self.members = members
        self.skipped = skipped
        self.entries = entries
    }

    /// The bytes of member `name`, inflated, at most its declared size, and checked against its
    /// CRC-32; with `prefix`, only about that many leading bytes (enough for a header, unchecked),
    /// so listing costs no decompression.
    public func data(named name: String, prefix: Int? = nil) throws(NPYError) -> Data {
        guard let entry = entries[name] else { throw .archive("no member named '\(name)'") }
        let limit = Int(entry.uncompressedSize)
        var data = Data()
        var checksum = MemberChecksum()
        do {
            _ = try archive.extract(entry, bufferSize: min(1 << 16, max(limit, 1)), skipCRC32: true) { chunk in
                guard data.count + chunk.count <= limit else { throw MemberTooLong() }
                data.append(chunk)
                if let prefix, data.count >= prefix { throw EnoughRead() }
                checksum.add(chunk)
            }
        } catch is EnoughRead {
            return data
        } catch is MemberTooLong {
            throw .archive("member '\(name)' inflates past its declared \(limit) bytes" + Self.corrupt)
        } catch {
            throw .archive("member '\(name)' cannot be read: \(ArchiveErrorReason.words(error))" + Self.corrupt)
        }
        guard data.count == limit || prefix != nil else {
            throw .archive("member '\(name)' holds \(data.count) bytes, not its declared \(limit)" + Self.corrupt)
        }
        guard prefix != nil || checksum.value == entry.checksum else { throw Self.badChecksum(name) }
        return data
    }

    /// The error for a member whose bytes do not match their CRC-32 (NumPy refuses it too).
    static func badChecksum(_ name: String) -> NPYError {
        .archive("member '\(name)' fails its CRC-32 check" + corrupt)
    }

    /// What every error about a member's bytes ends with: whichever check caught it (the
    /// inflated size, zlib, the CRC), the cause is the same, and the user should hear it.
    static let corrupt = " (the archive is corrupt)"

    /// Inflates member `name` into a new file at `path` (which must not exist), a chunk at a
    /// time, so that a member larger than memory can be read back from disk in chunks
    /// (`NPYFileReader`). Never writes past the member's declared size, checks its CRC, and
    /// removes the file on any error (and, through `PartialFiles`, on a signal while writing).
    public func extract(named name: String, to path: String) throws(NPYError) {
        guard let entry = entries[name] else { throw .archive("no member named '\(name)'") }
        let limit = Int(entry.uncompressedSize)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io("cannot write \(path): \(String(cString: strerror(errno)))") }
        let slot = PartialFiles.remember(path)
        defer { PartialFiles.forget(slot) }
        var written = 0
        var checksum = MemberChecksum()
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: true) { chunk in
                guard written + chunk.count <= limit else { throw MemberTooLong() }
                checksum.add(chunk)
                try chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
                    guard let base = raw.baseAddress else { return }
                    var offset = 0
                    while offset < raw.count {
                        let count = write(descriptor, base + offset, raw.count - offset)
                        guard count > 0 else { throw WriteFailed(code: errno) }
                        offset += count
                    }
                }
                written += chunk.count
            }
            guard written == limit else { throw ShortMember(count: written) }
            guard checksum.value == entry.checksum else { throw BadChecksum() }
            guard close(descriptor) == 0 else { throw WriteFailed(code: errno) }
        } catch {
            close(descriptor)
            unlink(path)
            switch error {
            case is MemberTooLong: throw .archive("member '\(name)' inflates past its declared \(limit) bytes" + Self.corrupt)
            case let short as ShortMember: throw .archive("member '\(name)' holds \(short.count) bytes, not its declared \(limit)" + Self.corrupt)
            case is BadChecksum: throw Self.badChecksum(name)
            case let failed as WriteFailed: throw .io("cannot write \(path): \(String(cString: strerror(failed.code)))")
            default: throw .archive("member '\(name)' cannot be read: \(ArchiveErrorReason.words(error))" + Self.corrupt)
            }
        }
    }

    /// The `.npy` header of member `name`, read from its first bytes only.
    /// - Throws: also when the member declares fewer bytes than its header's shape and dtype
    ///   need, so that a listing leaves out a member that could not be read whole.
    public func header(named name: String) throws(NPYError) -> NPYHeaderInfo {
        do throws(NPYError) {
            let info = try NPYHeaderInfo(prefix: [UInt8](data(named: name, prefix: 12 + 10_000 + 64)))
            let available = Int(entries[name]?.uncompressedSize ?? 0) - info.dataStart
            if let needed = info.dataBytes, needed > available {
                throw NPYError.truncatedData(expectedBytes: needed, availableBytes: max(0, available))
            }
            return info
        } catch {
            throw error.isArchiveError ? error : .archive("member '\(name)': \(error.description)")
        }
    }

    /// Decodes member `name` as a `.npy` array.
    public func array(named name: String) throws(NPYError) -> NPYArray {
        let bytes = try data(named: name)
        do {
            return try NPYArray(data: bytes)
        } catch {
            throw error.isArchiveError ? error : .archive("member '\(name)': \(error.description)")
        }
    }

    private struct MemberTooLong: Error {}
    private struct ShortMember: Error { let count: Int }
    private struct WriteFailed: Error { let code: Int32 }
    private struct EnoughRead: Error {}
    private struct BadChecksum: Error {}

    /// A member's CRC-32 as its bytes go by, by zlib (ZIPFoundation's own, computed in Swift,
    /// took 70% of the time to read a stored member, and its consumer API does not compare it).
    private struct MemberChecksum {
        private(set) var value: UInt32 = 0

        mutating func add(_ chunk: Data) {
            chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                guard let base = raw.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return }
                // zlib takes at most 4 GiB a call; a chunk is at most the extract's buffer size.
                value = UInt32(truncatingIfNeeded: crc32(uLong(value), base, uInt(raw.count)))
            }
        }
    }
}

extension NPYError {
    /// Whether the error already says which archive member failed.
    var isArchiveError: Bool {
        if case .archive = self { return true }
        return false
    }
}
