import Foundation
import NumpyIO
import ProcessMetrics
import SafetensorsIO
import ShapeFormat

/// `bench --case io`: what a user waits for end to end. A (32,256,56,56) float32 `.npy`
/// (103 MB) goes through a plain chunked copy (the I/O floor), through `dropblock apply`, and
/// through `dropblock render` (the visualizer's first frame), each in a child process so that
/// its wall time and peak resident memory are its own; then the same tensor as a
/// `.safetensors` file (read in place) and as an `.npz` member (deflated, as
/// `numpy.savez_compressed` writes it) through `apply` and `render`.
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
        let array = NPYArray(shape: Self.shape, values: (0..<count).map { Float($0 & 1023) * (1.0 / 1024) })
        try array.write(to: input)
        let safetensors = folder.appendingPathComponent("in.safetensors").path, npz = folder.appendingPathComponent("in.npz").path
        try Self.writeSafetensors(array, to: safetensors)
        try NPZWriter.write(arrays: [("x", array)], to: npz)
        let megabytes = Double((try? FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) ?? 0) / 1e6

        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).path
        let output = folder.appendingPathComponent("out.npy").path
        let log = folder.appendingPathComponent("log").path
        // The commands take turns, run by run, so that a busy moment of a shared machine does not
        // fall on one of them only.
        let commands: [(mode: String, input: String, arguments: [String])] = [
            ("copy", "npy", [CopyFileCommand.configuration.commandName ?? "copy-file", input, output]),
            ("apply", "npy", ["apply", input, "-o", output, "--seed", "1"]),
            ("render", "npy", ["render", input, "--color", "never"]),
            ("apply", "safetensors", ["apply", safetensors, "-o", output, "--seed", "1"]),
            ("render", "safetensors", ["render", safetensors, "--color", "never"]),
            ("apply", "npz", ["apply", npz, "-o", output, "--seed", "1"]),
            ("render", "npz", ["render", npz, "--color", "never"]),
        ]
        var times = [[Double]](repeating: [], count: commands.count), peaks = [Double](repeating: 0, count: commands.count)
        var cpuTimes = [[Double]](repeating: [], count: commands.count)
        for _ in 0..<repetitions {
            for (index, command) in commands.enumerated() {
                let outcome = try ChildProcess.run(executable, command.arguments, stdout: log, stderr: log)
                guard outcome.status == 0 else {
                    let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    throw CLIError("bench io: '\(command.mode)' of the \(command.input) file failed with status \(outcome.status): \(said)")
                }
                times[index].append(outcome.wallSeconds)
                cpuTimes[index].append(outcome.cpuSeconds)
                peaks[index] = max(peaks[index], outcome.peakMegabytes)
            }
        }
        let medians = times.map { $0.sorted()[$0.count / 2] }
        // CPU time (user + system) moves less than wall time when other work shares the machine.
        let cpuMedians = cpuTimes.map { $0.sorted()[$0.count / 2] }
        let sampleMegabytes = Double(4 * Self.shape.dropFirst().reduce(1, *)) / 1e6
        for (index, command) in commands.enumerated() {
            let ratio = medians[index] / medians[0]
            if json {
                print("{\"case\":\"io\",\"shape\":[32,256,56,56],\"mode\":\"\(command.mode)\",\"input\":\"\(command.input)\",\"file_mb\":\(format(megabytes)),"
                      + "\"median_ms\":\(format(medians[index] * 1000)),\"peak_rss_mb\":\(format(peaks[index])),\"x_copy\":\(format(ratio)),"
                      + "\"cpu_ms\":\(format(cpuMedians[index] * 1000))"
                      + (command.mode == "render" ? ",\"sample_mb\":\(format(sampleMegabytes))}" : "}"))
            } else {
                let file = "\(TableNumber.text(megabytes)) MB \(command.input == "npz" ? ".npz member" : "." + command.input)"
                let what = command.mode == "render" ? "first frame of a \(file) (sample \(TableNumber.text(sampleMegabytes)) MB)" : file
                print("io: \(command.mode.padding(toLength: 6, withPad: " ", startingAt: 0)) \(what): "
                      + "\(TableNumber.text(medians[index] * 1000)) ms (median of \(repetitions)), \(String(format: "%.2f", ratio))x copy, "
                      + "cpu \(TableNumber.text(cpuMedians[index] * 1000)) ms, "
                      + "peak_rss_mb \(TableNumber.text(peaks[index])) (\(String(format: "%.2f", peaks[index] / megabytes))x file)")
            }
        }
    }

    func format(_ value: Double) -> String { String(format: "%.4g", value) }

    /// Writes `array` as a `.safetensors` file of one F32 tensor named `x`.
    static func writeSafetensors(_ array: NPYArray, to path: String) throws {
        var bytes = SafetensorsFile.header(describing: [("x", .f32, array.shape)])
        // Native float32 is the file's little-endian on every platform this runs on.
        array.values.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeRawBufferPointer($0)) }
        do { try bytes.write(to: URL(fileURLWithPath: path)) } catch { throw CLIError("bench io: cannot write \(path): \(error.localizedDescription)") }
    }
}
