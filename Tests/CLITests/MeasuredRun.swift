import ProcessMetrics
import Foundation

/// The built `dropblock`, run once with its CPU time and peak memory measured.
struct MeasuredRun {
    let outcome: ChildProcess.Outcome
    let stdout: String
    let stderr: String

    /// Runs `dropblock arguments...` with stdin from /dev/null and output to files in `scratch`.
    static func run(_ arguments: [String], scratch: Scratch, timeout: Double = 30) throws -> MeasuredRun {
        let outPath = scratch.path("measured.stdout"), errPath = scratch.path("measured.stderr")
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "interactive=no"
        let outcome = try ChildProcess.run(Executable.url.path, arguments, stdout: outPath, stderr: errPath,
                                           environment: environment, timeout: timeout)
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return MeasuredRun(outcome: outcome, stdout: read(outPath), stderr: read(errPath))
    }
}
