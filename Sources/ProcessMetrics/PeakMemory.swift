import Foundation

/// This process's own peak resident memory (`VmHWM` of `/proc/self/status`): the high-water
/// mark since the process started, so a bench row reports the most the run has needed so far.
public enum PeakMemory {
    /// The peak resident set size in megabytes (MiB), or 0 where `/proc` is not available.
    public static func megabytes() -> Double {
        Double(ChildProcess.highWaterKilobytes(getpid()) ?? 0) / 1024
    }
}
