#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ShapeFormat

/// Checks that a large buffer can be had before Swift allocates it: a Swift array whose
/// allocation fails traps (a crash, not an `error:` line), while a mapping of that size is
/// refused with an error, for instance under `ulimit -v` or when the machine is out of memory.
///
/// The probe maps memory rather than calling `malloc`: the optimiser may drop a `malloc`
/// whose block is only freed and assume it succeeded (it did, in release builds, so a
/// per-channel mask over the limit still trapped).
enum MemoryProbe {
    /// Throws a `CLIError` naming `what` when `bytes` cannot be allocated now.
    static func require(_ bytes: Int, for what: String) throws {
        // Small buffers are not worth a probe, and an overflowed estimate is refused outright.
        guard bytes > 0 else { return }
        guard bytes < Int.max / 2, canMap(bytes) else {
            throw CLIError("not enough memory for \(what) (\(ByteText.megabytes(bytes)))")
        }
    }

    /// Whether `bytes` of private anonymous memory can be mapped now (as `malloc` maps large
    /// blocks); the mapping is given back at once, untouched.
    static func canMap(_ bytes: Int) -> Bool {
        // One more page for the array's header, and a margin for the allocator's own.
        let length = bytes + 1 << 16
        guard let region = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              region != MAP_FAILED else { return false }
        munmap(region, length)
        return true
    }
}
