#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files that writers have open (`name.partial-PID`, renamed into place when
/// complete), so that a process stopped by a signal can remove them: an interrupted `apply`
/// of a large file left gigabytes behind.
///
/// `removeAll()` is async-signal-safe: the paths live in memory allocated once, and it only
/// reads them and calls `unlink`. A command that writes files installs a handler that calls
/// it (`dropblock`'s `Interrupts`).
public enum PartialFiles {
    /// Paths at once: a command writes an output and a mask.
    static let slots = 8
    static let pathBytes = Int(PATH_MAX) + 1

    /// `slots` paths of `pathBytes` bytes, then a used flag per slot. Made before any handler
    /// can run (`prepare()`), so that the handler never initialises anything.
    nonisolated(unsafe) private static let storage: UnsafeMutablePointer<CChar> = {
        let memory = UnsafeMutablePointer<CChar>.allocate(capacity: slots * pathBytes + slots)
        memory.initialize(repeating: 0, count: slots * pathBytes + slots)
        return memory
    }()

    /// Makes the table, so that a signal handler finds it made.
    public static func prepare() {
        _ = storage
    }

    /// Remembers `path`; returns its slot for `forget`, or nil when the table is full or the
    /// path too long (the file is then only removed by its writer, as before).
    static func remember(_ path: String) -> Int? {
        let table = storage
        let bytes = Array(path.utf8)
        guard bytes.count < pathBytes else { return nil }
        for slot in 0..<slots where table[slots * pathBytes + slot] == 0 {
            let target = table + slot * pathBytes
            for (i, byte) in bytes.enumerated() { target[i] = CChar(bitPattern: byte) }
            target[bytes.count] = 0
            // The path first, then the flag that lets a handler read it.
            table[slots * pathBytes + slot] = 1
            return slot
        }
        return nil
    }

    /// Forgets slot `slot` (the file was renamed into place or removed).
    static func forget(_ slot: Int?) {
        guard let slot else { return }
        storage[slots * pathBytes + slot] = 0
    }

    /// Removes every remembered file. Async-signal-safe.
    public static func removeAll() {
        let table = storage
        for slot in 0..<slots where table[slots * pathBytes + slot] != 0 {
            unlink(table + slot * pathBytes)
        }
    }
}
