import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program once through `posix_spawn` and `wait4`, so that the child's own wall time,
/// CPU time and peak resident memory are known (Foundation's `Process` reports none of the last two).
///
/// The peak is the child's `VmHWM`, sampled from `/proc` while it runs: `wait4`'s `ru_maxrss`
/// cannot be used, because Linux carries the parent's high-water mark across `exec`.
/// `bench --case io` measures `apply` with it, and the hostile-input tests bound every rejection.
public struct ChildProcess {
    /// How a run ended and what it cost.
    public struct Outcome: Sendable {
        /// The exit status; 128 + N when signal N ended the child; -1 when killed at the time limit.
        public let status: Int32
        /// The signal that ended the child, if one did.
        public let signal: Int32?
        /// Wall time from spawn to exit.
        public let wallSeconds: Double
        /// User plus system CPU time of the child.
        public let cpuSeconds: Double
        /// The child's peak resident set size.
        public let peakMegabytes: Double
    }

    /// Why a program could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        /// The `posix_spawn` error number.
        public let code: Int32
        /// The system's reason, for an `error:` message.
        public var description: String { "cannot start a child process: \(String(cString: strerror(code)))" }
    }

    /// Runs `executable arguments...` with stdin from /dev/null and stdout, stderr into the given files.
    public static func run(
        _ executable: String, _ arguments: [String], stdout: String, stderr: String,
        environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Double = 60
    ) throws -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw SpawnError(code: spawned) }
        var waitStatus: Int32 = 0
        var usage = rusage()
        var timedOut = false
        var peakKilobytes = 0
        while wait4(pid, &waitStatus, WNOHANG, &usage) == 0 {
            peakKilobytes = max(peakKilobytes, highWaterKilobytes(pid) ?? 0)
            if (clock.now - start) > .seconds(timeout) {
                kill(pid, SIGKILL)
                while wait4(pid, &waitStatus, 0, &usage) < 0 && errno == EINTR {}
                timedOut = true
                break
            }
            usleep(200)
        }
        let elapsed = (clock.now - start).components
        let signalled = waitStatus & 0x7f
        return Outcome(
            status: timedOut ? -1 : (signalled == 0 ? (waitStatus >> 8) & 0xff : 128 + signalled),
            signal: signalled == 0 ? nil : signalled,
            wallSeconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18,
            cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
            peakMegabytes: Double(peakKilobytes) / 1024)
    }

    /// The `VmHWM` line of `/proc/PID/status` (nil once the process has released its memory).
    static func highWaterKilobytes(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.dropFirst(6).filter(\.isNumber))
    }

    static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
}
