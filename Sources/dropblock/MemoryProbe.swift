#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks that a large buffer can be had before Swift allocates it: a Swift array whose
/// allocation fails traps (a crash, not an `error:` line), while `malloc` returns nil, for
/// instance under `ulimit -v` or when the machine is out of memory.
enum MemoryProbe {
    /// Throws a `CLIError` naming `what` when `bytes` cannot be allocated now.
    static func require(_ bytes: Int, for what: String) throws {
        // Small buffers are not worth a probe, and an overflowed estimate is refused outright.
        guard bytes > 0 else { return }
        guard bytes < Int.max / 2, let probe = malloc(bytes) else {
            throw CLIError("not enough memory for \(what) (\(megabytes(bytes)) MB)")
        }
        // Touch nothing: only the address space is reserved, and it is given back at once.
        free(probe)
    }

    /// `bytes` in megabytes, one decimal.
    static func megabytes(_ bytes: Int) -> String {
        String(Double(bytes / 100_000) / 10)
    }
}
