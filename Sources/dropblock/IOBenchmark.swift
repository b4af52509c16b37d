import Foundation
import NumpyIO
import ProcessMetrics

/// `bench --case io`: what a user waits for end to end. A (32,256,56,56) float32 `.npy`
/// (103 MB) goes through a plain chunked copy (the I/O floor) and through `dropblock apply`,
/// each in a child process so that its wall time and peak resident memory are its own.
struct IOBenchmark {
    static let shape = [32, 256, 56, 56]
    /// Runs per row; the median time and the largest peak are reported.
    let repetitions: Int
    let json: Bool

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dropblock-bench-io-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.npy").path
        let count = Self.shape.reduce(1, *)
        try NPYArray(shape: Self.shape, values: (0..<count).map { Float($0 & 1023) * (1.0 / 1024) }).write(to: input)
        let megabytes = Double((try? FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) ?? 0) / 1e6

        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).path
        let output = folder.appendingPathComponent("out.npy").path
        let log = folder.appendingPathComponent("log").path
        func measure(_ arguments: [String]) throws -> (seconds: Double, peak: Double) {
            var times: [Double] = [], peak = 0.0
            for _ in 0..<repetitions {
                let outcome = try ChildProcess.run(executable, arguments, stdout: log, stderr: log)
                guard outcome.status == 0 else {
                    let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    throw CLIError("bench io: '\(arguments.first ?? "")' failed with status \(outcome.status): \(said)")
                }
                times.append(outcome.wallSeconds)
                peak = max(peak, outcome.peakMegabytes)
            }
            return (times.sorted()[times.count / 2], peak)
        }
        let copy = try measure([CopyFileCommand.configuration.commandName ?? "copy-file", input, output])
        let apply = try measure(["apply", input, "-o", output, "--seed", "1"])
        for (mode, result) in [("copy", copy), ("apply", apply)] {
            let ratio = result.seconds / copy.seconds
            if json {
                print("{\"case\":\"io\",\"shape\":[32,256,56,56],\"mode\":\"\(mode)\",\"file_mb\":\(format(megabytes)),"
                      + "\"median_ms\":\(format(result.seconds * 1000)),\"peak_rss_mb\":\(format(result.peak)),\"x_copy\":\(format(ratio))}")
            } else {
                print("io: \(mode.padding(toLength: 5, withPad: " ", startingAt: 0)) \(format(megabytes)) MB file: "
                      + "\(format(result.seconds * 1000)) ms (median of \(repetitions)), \(String(format: "%.2f", ratio))x copy, "
                      + "peak_rss_mb \(format(result.peak)) (\(String(format: "%.2f", result.peak / megabytes))x file)")
            }
        }
    }

    func format(_ value: Double) -> String { String(format: "%.4g", value) }
}
