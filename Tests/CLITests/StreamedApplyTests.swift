import DropBlock
import Foundation
@testable import NumpyIO
import Testing

/// `apply` streams a C-order `.npy` through a mask built first: tiny chunks must give the
/// whole-input path's files byte for byte, and a file larger than the process may map must
/// go through.
@Suite("dropblock apply, streamed")
struct StreamedApplyTests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test("streamed in tiny chunks equals the whole-input path, every preset, 2D and 3D, NaN and Inf included",
          arguments: Preset.allCases)
    func streamedEqualsWhole(preset: Preset) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        for shape in [[3, 4, 9, 9], [2, 3, 5, 6, 6]] where preset.supportedSpatialRanks.contains(shape.count - 2) {
            let count = shape.reduce(1, *)
            var values = (0..<count).map { Float(($0 * 37) % 101) / 17 - 2.5 }
            for i in stride(from: 5, to: count, by: 29) { values[i] = [Float.nan, .infinity, -.infinity][i % 3] }
            let input = scratch.path("in.npy")
            try NPYArray(shape: shape, values: values).write(to: input)
            // 0: read whole; 7 splits rows, 50 channels, 200 samples.
            let files = try Self.chunkedRuns(input, preset: preset, scratch: scratch)
            #expect(files.allSatisfy { $0 == files[0] }, "\(preset) \(shape)")
            #expect(try NPYArray(contentsOf: scratch.path("out-0.npy")).values.contains { $0 == 0 }, "something dropped")
        }
    }

    /// `apply` of `input` (with `extra` arguments) read whole (chunk 0) and in chunks of 7, 50
    /// and 200 elements: each run's output and mask file bytes, in that order.
    static func chunkedRuns(_ input: String, extra: [String] = [], preset: Preset, scratch: Scratch) throws -> [Data] {
        try [0, 7, 50, 200].map { chunk in
            let out = scratch.path("out-\(chunk).npy"), mask = scratch.path("mask-\(chunk).npy")
            let outcome = try Executable.run(["apply", input] + extra + [
                "-o", out, "--mask-output", mask, "--preset", preset.rawValue, "--block-size", "3",
                "--drop-prob", "0.3", "--seed", "4", "--chunk-elements", String(chunk),
            ])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try bytes(out) + bytes(mask)
        }
    }

    @Test("channels last (nhwc, hwc, ndhwc) streams in tiny chunks as the whole-input path transposes, every preset, NaN and Inf included",
          arguments: Preset.allCases)
    func channelsLastStreamedEqualsWhole(preset: Preset) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        for (layout, shape) in [("nhwc", [3, 9, 9, 4]), ("hwc", [9, 9, 5]), ("ndhwc", [2, 5, 6, 6, 3])]
        where preset.supportedSpatialRanks.contains(layout.count - 2 + (layout.hasPrefix("n") ? 0 : 1)) {
            let count = shape.reduce(1, *)
            var values = (0..<count).map { Float(($0 * 37) % 101) / 17 - 2.5 }
            for i in stride(from: 5, to: count, by: 29) { values[i] = [Float.nan, .infinity, -.infinity][i % 3] }
            let input = scratch.path("in-\(layout).npy")
            try NPYArray(shape: shape, values: values).write(to: input)
            // 0: read whole and transposed; 7 splits a unit's channels, 50 rows, 200 samples.
            let files = try Self.chunkedRuns(input, extra: ["--layout", layout], preset: preset, scratch: scratch)
            #expect(files.allSatisfy { $0 == files[0] }, "\(preset) \(layout)")
            #expect(try NPYArray(contentsOf: scratch.path("out-0.npy")).values.contains { $0 == 0 }, "something dropped")
        }
    }

    @Test("other dtypes, byte orders and Fortran order give the float32 file's output")
    func dtypesAndOrders() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let shape = [2, 3, 8, 8]
        let values = (0..<384).map { Float($0 % 17) - 8 }
        try NPYArray(shape: shape, values: values).write(to: scratch.path("f4.npy"))
        let script = """
            import numpy as np, sys
            x = np.load(sys.argv[1])
            for name in ['>f4', '<f8', '>f8', '<i2', '>i4', '<i8', '|i1', '<f2']:
                np.save(sys.argv[2] + '/' + name.replace('<', 'le').replace('>', 'be').replace('|', '') + '.npy', x.astype(name))
            np.save(sys.argv[2] + '/fortran.npy', np.asfortranarray(x))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, scratch.path("f4.npy"), scratch.url.path]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0, "python3 with numpy is needed to write the other dtypes")
        let common = ["--block-size", "3", "--drop-prob", "0.3", "--seed", "2", "--chunk-elements", "10"]
        #expect(try Executable.run(["apply", scratch.path("f4.npy"), "-o", scratch.path("ref.npy")] + common).status == 0)
        let reference = try Self.bytes(scratch.path("ref.npy"))
        for name in ["bef4", "lef8", "bef8", "lei2", "bei4", "lei8", "i1", "lef2", "fortran"] {
            let outcome = try Executable.run(["apply", scratch.path("\(name).npy"), "-o", scratch.path("\(name)-out.npy")] + common)
            #expect(outcome.status == 0, "\(name): \(outcome.stderr)")
            #expect(try Self.bytes(scratch.path("\(name)-out.npy")) == reference, "\(name)")
        }
    }

    @Test("a large .npz member streams through a scratch file beside the output: the .npy's output bit for bit, in a fraction of its memory, nothing left behind")
    func largeArchiveMember() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        // 64 MiB of float32: the smallest member that streams (ArrayFile.streamedMemberBytes); it deflates to little.
        let shape = [16, 256, 64, 64], count = 16 * 256 * 64 * 64
        var values = [Float](repeating: 0, count: count)
        for i in stride(from: 0, to: count, by: 7) { values[i] = Float(i % 1000) / 100 }
        let array = NPYArray(shape: shape, values: values)
        try array.write(to: scratch.path("acts.npy"))
        try NPZWriter.write(arrays: [("acts", array)], to: scratch.path("acts.npz"))
        for preset in ["dropblock", "torchvision"] {
            let arguments = ["--seed", "5", "--preset", preset, "--block-size", "5"]
            let plain = try MeasuredRun.run(["apply", scratch.path("acts.npy"), "-o", scratch.path("plain.npy")] + arguments, scratch: scratch)
            let member = try MeasuredRun.run(["apply", scratch.path("acts.npz"), "-o", scratch.path("member.npy")] + arguments, scratch: scratch)
            #expect(plain.outcome.status == 0 && member.outcome.status == 0, "\(plain.stderr)\(member.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("plain.npy"))) == Data(contentsOf: URL(fileURLWithPath: scratch.path("member.npy"))),
                    "\(preset): the member's output differs from the .npy's")
            // Inflated whole it peaked at 2.4x the member (146 MB for 60 MiB); streamed, a chunk and the mask.
            #expect(member.outcome.peakMegabytes < 48, "\(preset): peak \(member.outcome.peakMegabytes) MB for a 64 MiB member")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasPrefix(".dropblock-member") }
        #expect(left.isEmpty, "scratch files left: \(left)")
    }

    /// A 1 GiB `.npy` (sparse: a header and holes, plus a few values written at known places)
    /// applied with 256 MiB of address space: the streamed path finishes with the right values,
    /// and the whole-input path, which needs the tensor in memory, cannot.
    @Test("a 1 GiB sparse file goes through with a 256 MiB address-space limit")
    func largerThanMemory() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let shape = [16, 64, 512, 512]
        let count = shape.reduce(1, *)
        let input = scratch.path("big.npy")
        let header = NPYWriter.header(shape: shape)
        let samples = [0, 1, 262_143, 262_144, 16_777_216 + 70_000, count / 2 + 12_345, count - 513, count - 1]
        try Self.sparseFile(input, header: Data(header), count: count, samples: samples)

        let output = scratch.path("out.npy"), mask = scratch.path("mask.npy")
        func limited(_ extra: [String], output: String = output) throws -> (status: Int32, stderr: String) {
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "ulimit -v 262144 && exec \"$0\" \"$@\"", Executable.url.path,
                               "apply", input, "-o", output, "--seed", "3"] + extra
            let errors = Pipe()
            shell.standardError = errors
            try shell.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            shell.waitUntilExit()
            return (shell.terminationStatus, text)
        }
        // The whole-input path needs the 1 GiB tensor in memory: refused under the limit, with
        // one error line (a failed Swift allocation would trap instead).
        let whole = try limited(["--mask-output", mask, "--chunk-elements", "0"])
        #expect(whole.status == 1, "\(whole.stderr)")
        #expect(whole.stderr.hasPrefix("error: not enough memory for reading") && whole.stderr.split(separator: "\n").count == 1,
                "\(whole.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        // A per-channel mask is a bit per unit, 32 MiB here (as bytes it was 256 MiB, which
        // did not fit): it goes through too.
        let perChannelOutput = scratch.path("out-kerascv.npy")
        let perChannel = try limited(["--preset", "kerascv"], output: perChannelOutput)
        #expect(perChannel.status == 0, "\(perChannel.stderr)")
        // Per-channel bits over the limit: 8 GiB declared (sparse), 256 MiB of mask bits, refused
        // before the mask is built (the probe once passed and the allocation then trapped).
        let huge = scratch.path("huge.npy")
        try Self.sparseNPY(huge, shape: [512, 256, 128, 128])
        let hugeShell = Process()
        hugeShell.executableURL = URL(fileURLWithPath: "/bin/sh")
        hugeShell.arguments = ["-c", "ulimit -v 262144 && exec \"$0\" \"$@\"", Executable.url.path,
                               "apply", huge, "-o", output, "--preset", "torchvision", "--seed", "3"]
        let hugeErrors = Pipe()
        hugeShell.standardError = hugeErrors
        try hugeShell.run()
        let hugeText = String(decoding: hugeErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        hugeShell.waitUntilExit()
        #expect(hugeShell.terminationStatus == 1, "\(hugeText)")
        #expect(hugeText.hasPrefix("error: not enough memory for the keep mask (512, 256, 128, 128)")
                && hugeText.split(separator: "\n").count == 1, "\(hugeText)")
        #expect(!FileManager.default.fileExists(atPath: output))
        // A chunk larger than the limit (800 MB): refused in one line, not a failed allocation's trap.
        let hugeChunk = try limited(["--chunk-elements", "200000000"])
        #expect(hugeChunk.status == 1, "\(hugeChunk.stderr)")
        #expect(hugeChunk.stderr.hasPrefix("error: not enough memory for a chunk of 200000000 elements")
                && hugeChunk.stderr.split(separator: "\n").count == 1, "\(hugeChunk.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let streamed = try limited(["--mask-output", mask])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        // render decodes the sample it shows, not the file (a check of its memory once read the
        // whole tensor to learn its shape).
        let render = try Self.limited(["render", input, "--color", "never"], kilobytes: 262_144)
        #expect(render.status == 0, "\(render.stderr)")

        let expected = try Self.expectSampledOutput(output, shape: shape, samples: samples)
        let keep = expected.keepMask.storage
        let written = try #require(FileHandle(forReadingAtPath: output))
        defer { try? written.close() }
        var status = stat()
        #expect(stat(output, &status) == 0 && Int(status.st_size) == header.count + 4 * count)
        // A hole between the written values: zero in, zero out.
        try written.seek(toOffset: UInt64(header.count + 4 * 1000))
        #expect(try written.read(upToCount: 4) == Data(count: 4))
        #expect(try NPYArray(contentsOf: mask).values == keep)
        #expect(keep.contains(0) && keep.contains(1))

        let kerascv = try DropBlock2D(parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7, preset: .kerascv)).plan(for: shape)
        let perChannelMask = try DropBlockMask(plan: kerascv, draw: SeedDraw(seed: 3))
        let perChannelFile = try #require(FileHandle(forReadingAtPath: perChannelOutput))
        defer { try? perChannelFile.close() }
        for (i, position) in samples.enumerated() {
            let got = try Self.float(perChannelFile, at: header.count + 4 * position)
            var unitKeep: Float = 0
            withUnsafeMutablePointer(to: &unitKeep) { perChannelMask.keepMask(at: position, into: UnsafeMutableBufferPointer(start: $0, count: 1)) }
            #expect(got.bitPattern == ((Float(i) + 1.5) * (unitKeep == 1 ? perChannelMask.summary.scale : 0)).bitPattern,
                    "kerascv unit \(position)")
        }
        #expect(perChannelMask.summary.droppedFraction > 0.05 && perChannelMask.summary.droppedFraction < 0.15)
    }

    /// The float32 at byte `offset` of an open file, read alone.
    static func float(_ handle: FileHandle, at offset: Int) throws -> Float {
        try handle.seek(toOffset: UInt64(offset))
        let data = try #require(try handle.read(upToCount: 4))
        return data.withUnsafeBytes { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
    }

    /// Checks the output of `apply --seed 3` with the default parameters (a shared mask) at
    /// `output`, a float32 `.npy` of `shape` (N, C, H, W), at the units `samples`, where the
    /// input held `i + 1.5` at `samples[i]` (and zeros elsewhere); returns the expected mask.
    static func expectSampledOutput(_ output: String, shape: [Int], samples: [Int]) throws -> DropBlockMask {
        let plan = try DropBlock2D(parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7)).plan(for: shape)
        let expected = try DropBlockMask(plan: plan, draw: SeedDraw(seed: 3))
        let keep = expected.keepMask.storage
        let written = try #require(FileHandle(forReadingAtPath: output))
        defer { try? written.close() }
        let header = NPYWriter.header(shape: shape).count, mapSize = shape[2] * shape[3]
        for (i, position) in samples.enumerated() {
            let got = try float(written, at: header + 4 * position)
            let unit = (position / (shape[1] * mapSize)) * mapSize + position % mapSize
            #expect(got.bitPattern == ((Float(i) + 1.5) * (keep[unit] == 1 ? expected.summary.scale : 0)).bitPattern, "unit \(position)")
        }
        return expected
    }

    /// Runs the CLI with `arguments` under a `kilobytes` address-space limit: (status, stderr).
    static func limited(_ arguments: [String], kilobytes: Int) throws -> (status: Int32, stderr: String) {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "ulimit -v \(kilobytes) && exec \"$0\" \"$@\"", Executable.url.path] + arguments
        let errors = Pipe()
        shell.standardError = errors
        shell.standardOutput = FileHandle.nullDevice
        try shell.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        return (shell.terminationStatus, text)
    }

    /// One 4000x4000 map (64 MB): building its mask took about 20 bytes a unit, most of it a
    /// seed list with room for every position, and under a 400 MB limit that trapped in
    /// `apply` and `render` instead of printing an error line. A drawn mask's list now has
    /// room for its largest seed count only (about 8 bytes a unit in all), so `apply` goes
    /// through at 400 MB, and fails cleanly at 200.
    @Test("a single large map over the memory limit is one error line in apply and render, not a trap")
    func largeSingleMapOverLimit() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let input = scratch.path("map.npy"), output = scratch.path("out.npy")
        try Self.sparseNPY(input, shape: [1, 1, 4000, 4000])
        #expect(try Self.limited(["apply", input, "-o", output], kilobytes: 400_000).status == 0)
        try FileManager.default.removeItem(atPath: output)
        let apply = try Self.limited(["apply", input, "-o", output], kilobytes: 200_000)
        #expect(apply.status == 1, "\(apply.stderr)")
        #expect(apply.stderr.hasPrefix("error: not enough memory for the keep mask (1, 1, 4000, 4000)")
                && apply.stderr.split(separator: "\n").count == 1, "\(apply.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let render = try Self.limited(["render", input, "--color", "never"], kilobytes: 400_000)
        #expect(render.status == 1, "\(render.stderr)")
        #expect(render.stderr.hasPrefix("error: not enough memory for showing a sample (1, 1, 4000, 4000)")
                && render.stderr.split(separator: "\n").count == 1, "\(render.stderr)")
        // With room, both go through.
        #expect(try Self.limited(["apply", input, "-o", output], kilobytes: 2_000_000).status == 0)
    }

    /// The same map shown, under a limit its first frame fits in: `p`, `x` and `i` each needed
    /// more and trapped (the visualizer crashed); now each closes with a message on the status
    /// line, and the frame is drawn.
    @Test("views of a large map that do not fit under the memory limit close with a message, not a trap",
          arguments: [("p", "the presets view"), ("x", "the dropout row"), ("xp", "the presets view")])
    func largeMapViewsOverLimit(keys: String, name: String) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let input = scratch.path("map.npy")
        try Self.sparseNPY(input, shape: [1, 1, 4000, 4000])
        let frame = scratch.path("frame.txt")
        let render = try Self.limited(["render", input, "--keys", keys, "--color", "never", "-o", frame], kilobytes: 900_000)
        #expect(render.status == 0 && render.stderr.isEmpty, "\(render.status): \(render.stderr)")
        let text = try String(contentsOfFile: frame, encoding: .utf8)
        #expect(text.contains("not enough memory for \(name) ("), "\(text.suffix(400))")
        #expect(text.contains("draw=0"), "the main screen is drawn")
    }

    /// A float32 `.npy` of `shape` whose values are a hole (zeros, no disk blocks).
    static func sparseNPY(_ path: String, shape: [Int]) throws {
        try sparseFile(path, header: Data(NPYWriter.header(shape: shape)), count: shape.reduce(1, *))
    }

    /// A file of `header` then `count` float32 values that are a hole (zeros, no disk blocks),
    /// but for `i + 1.5` at element `samples[i]` (what `expectSampledOutput` checks).
    static func sparseFile(_ path: String, header: Data, count: Int, samples: [Int] = []) throws {
        try header.write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_WRONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        #expect(ftruncate(descriptor, off_t(header.count + 4 * count)) == 0)
        for (i, position) in samples.enumerated() {
            var value = Float(i) + 1.5
            #expect(pwrite(descriptor, &value, 4, off_t(header.count + 4 * position)) == 4)
        }
    }

    /// Ctrl-C or SIGTERM during a long `apply`: the process ends by the signal, and the file it
    /// was writing (`out.npy.partial-PID`) is gone, as is any output (it once stayed behind,
    /// gigabytes of it).
    @Test("an interrupted apply leaves no partial file", arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let input = scratch.path("big.npy")
        try Self.sparseNPY(input, shape: [16, 64, 512, 512])

        let process = Process()
        process.executableURL = Executable.url
        process.arguments = ["apply", input, "-o", scratch.path("out.npy"), "--seed", "1"]
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // Wait until the output is being written, then stop the process.
        func partials() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.contains(".partial-") }
        }
        let deadline = Date().addingTimeInterval(30)
        var writing = false
        while Date() < deadline && process.isRunning {
            if try !partials().isEmpty { writing = true; break }
            usleep(5_000)
        }
        try #require(writing, "the output's temporary file never appeared")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal,
                "status \(process.terminationStatus), reason \(process.terminationReason.rawValue)")
        let left = try partials()
        #expect(left.isEmpty, "left behind: \(left)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.npy")))
    }
}


/// The visualizer reads a C-order `.npy` one sample at a time: its frames equal those of the
/// same array read whole (from an `.npz`), in every layout, as j/k move between samples.
@Suite("dropblock render, samples decoded on demand")
struct SamplewiseRenderTests {
    @Test("a .npy shows what the same array read whole shows", arguments: [
        ("nchw", [3, 2, 10, 12]), ("nhwc", [3, 10, 12, 2]), ("chw", [2, 10, 12]), ("hwc", [20, 18, 3]), ("ncdhw", [2, 2, 4, 8, 8]),
    ])
    func sameFrames(layout: String, shape: [Int]) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let count = shape.reduce(1, *)
        var values = (0..<count).map { Float(($0 * 37) % 101) / 17 - 2.5 }
        values[count / 3] = .nan
        let array = NPYArray(shape: shape, values: values)
        try array.write(to: scratch.path("x.npy"))
        let whole = scratch.path("x.npz")
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        zip.arguments = ["python3", "-c", "import numpy as np, sys; np.savez(sys.argv[2], x=np.load(sys.argv[1]))", scratch.path("x.npy"), whole]
        try zip.run()
        zip.waitUntilExit()
        try #require(zip.terminationStatus == 0, "python3 with numpy writes the .npz")
        let arguments = ["--color", "never", "--width", "150", "--height", "45", "--layout", layout, "--block-size", "3",
                         "--drop-prob", "0.3", "--keys", "jjkn"]
        let lazy = try Executable.run(["render", scratch.path("x.npy")] + arguments)
        let read = try Executable.run(["render", whole] + arguments)
        #expect(lazy.status == 0 && read.status == 0, "\(lazy.stderr) \(read.stderr)")
        // The title names the file; everything below it must agree.
        #expect(lazy.stdout.split(separator: "\n").dropFirst() == read.stdout.split(separator: "\n").dropFirst())
        #expect(lazy.stdout.contains("nonfinite=1"))
    }
}
