import DropBlock
import Foundation
import GoldenSupport
import NumpyIO
import Testing

@Suite("dropblock apply, end to end through the built executable")
struct ApplyCommandTests {
    @Test("golden cases replay exactly through --noise", arguments: ["dropblock", "torchvision", "timm", "tf", "kerascv"])
    func goldenReplay(name: String) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        // Every fourth case keeps the run short; the library tests cover all of them.
        let cases = try Golden.cases(name).filter { $0.index % 4 == 0 }
        #expect(!cases.isEmpty)
        for golden in cases {
            try NPYArray(shape: golden.shape, values: golden.floats("input")).write(to: scratch.path("in.npy"))
            try NPYArray(shape: golden.ints("noise_shape"), values: golden.floats("noise")).write(to: scratch.path("noise.npy"))
            try? FileManager.default.removeItem(atPath: scratch.path("out.npy"))
            var arguments = [
                "apply", scratch.path("in.npy"), "--output", scratch.path("out.npy"), "--mask-output", scratch.path("mask.npy"),
                "--noise", scratch.path("noise.npy"), "--preset", name,
                "--block-size", String(golden.blockSize), "--drop-prob", String(golden.dropProb),
            ]
            if name == "timm" {
                let timm = golden.parameters.timm
                arguments += ["--gamma-scale", String(timm.gammaScale)]
                arguments.append(timm.coupleChannels ? "--couple-channels" : "--no-couple-channels")
                arguments.append(timm.scaleByKeep ? "--scale-by-keep" : "--no-scale-by-keep")
            }
            let outcome = try Executable.run(arguments)
            if golden.isError {
                #expect(outcome.status == 1, "\(golden.label): \(outcome.stderr)")
                // The error the spec says the reference raised, not just any error.
                let expected = try #require(golden.expectedError, "\(golden.label): no rule of the spec explains this error case")
                #expect(outcome.stderr == "error: \(expected.description)\n", "\(golden.label): \(outcome.stderr)")
                #expect(!FileManager.default.fileExists(atPath: scratch.path("out.npy")), "\(golden.label): wrote output on error")
                continue
            }
            #expect(outcome.status == 0, "\(golden.label): \(outcome.stderr)")
            let output = try NPYArray(contentsOf: scratch.path("out.npy"))
            let mask = try NPYArray(contentsOf: scratch.path("mask.npy"))
            #expect(output.shape == golden.shape)
            #expect(mask.shape == golden.ints("keep_mask_shape") && mask.values == golden.floats("keep_mask"), "\(golden.label)")
            if golden.outputHasNaN {
                #expect(output.values.allSatisfy { $0 == 0 })
                #expect(outcome.stderr.contains("all_dropped(reference=NaN,output=0)"))
            } else {
                #expect(firstMismatch(output.values, golden.floats("output")) == nil, "\(golden.label)")
            }
            #expect(outcome.stderr.hasPrefix("preset=\(name) "), "summary line: \(outcome.stderr)")
        }
    }

    /// The `key=value` fields of the summary line (`identity`, `calibrated` map to "").
    static func summary(_ stderr: String) -> [String: String] {
        var fields: [String: String] = [:]
        for token in stderr.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
            fields[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        return fields
    }

    /// Runs `apply` on `input` with `arguments`, returning the output, the mask and the summary.
    static func apply(_ input: NPYArray, _ arguments: [String], in scratch: Scratch, name: String = "run")
        throws -> (output: NPYArray, mask: NPYArray, summary: [String: String]) {
        let inputPath = scratch.path("\(name)-in.npy"), outputPath = scratch.path("\(name)-out.npy"), maskPath = scratch.path("\(name)-mask.npy")
        try input.write(to: inputPath)
        let outcome = try Executable.run(["apply", inputPath, "-o", outputPath, "--mask-output", maskPath] + arguments)
        #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        return (try NPYArray(contentsOf: outputPath), try NPYArray(contentsOf: maskPath), summary(outcome.stderr))
    }

    @Test("seeded runs are deterministic, drop something, and give input x mask x scale (3D)")
    func seededAndThreeD() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let volume = NPYArray(shape: [2, 3, 6, 8, 8], values: (0..<2304).map { Float($0 % 13) + 1 })
        let arguments = ["--block-size", "3", "--drop-prob", "0.3", "--seed", "11"]
        let a = try Self.apply(volume, arguments, in: scratch, name: "a")
        let b = try Self.apply(volume, arguments, in: scratch, name: "b")
        let other = try Self.apply(volume, ["--block-size", "3", "--drop-prob", "0.3", "--seed", "12"], in: scratch, name: "c")
        #expect(a.output == b.output && a.mask == b.mask)
        #expect(a.mask != other.mask, "the seed must matter")
        #expect(a.output.shape == [2, 3, 6, 8, 8] && a.mask.shape == [2, 1, 6, 8, 8])
        // An apply that copied its input would pass the checks above; these would not.
        #expect(a.mask.values.allSatisfy { $0 == 0 || $0 == 1 })
        let kept = a.mask.values.filter { $0 == 1 }.count
        #expect(kept > 0 && kept < a.mask.values.count, "nothing or everything dropped: \(kept)")
        #expect(a.output != volume)
        // dropblock: output = input x mask (shared over channels) x numel / sum(mask).
        let scale = Float(a.mask.values.count) / Float(kept)
        let mapSize = 6 * 8 * 8
        let expected = volume.values.indices.map { i in
            volume.values[i] * a.mask.values[(i / (3 * mapSize)) * mapSize + i % mapSize] * scale
        }
        #expect(firstMismatch(a.output.values, expected) == nil)
        #expect(a.summary["seeds"].flatMap(Int.init).map { $0 > 0 } == true, "\(a.summary)")
    }

    @Test("--eval is the identity; without it the same run drops")
    func evalMode() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let input = NPYArray(shape: [2, 3, 12, 12], values: (0..<864).map { Float($0 % 17) - 8 })
        let arguments = ["--block-size", "3", "--drop-prob", "0.4", "--seed", "5"]
        let evaluated = try Self.apply(input, arguments + ["--eval"], in: scratch, name: "eval")
        #expect(evaluated.output == input)
        #expect(evaluated.mask.values.allSatisfy { $0 == 1 })
        #expect(evaluated.summary["identity"] != nil && evaluated.summary["scale"] == "1", "\(evaluated.summary)")
        let trained = try Self.apply(input, arguments, in: scratch, name: "train")
        #expect(trained.output != input && trained.summary["identity"] == nil)
        // The line says which mode and which draw, as the status line does.
        #expect(evaluated.summary["mode"] == "eval" && trained.summary["mode"] == "train")
        #expect(trained.summary["draw"] == "0" && trained.summary["seed"] == "5" && trained.summary["first_sample"] == nil, "\(trained.summary)")
        let later = try Self.apply(input, arguments + ["--draw", "4", "--first-sample", "2"], in: scratch, name: "later")
        #expect(later.summary["draw"] == "4" && later.summary["first_sample"] == "2", "\(later.summary)")
        // timm's options away from their defaults are named: with_noise's scale=1 is a fill.
        let timm = try Self.apply(input, arguments + ["--preset", "timm", "--with-noise", "--gamma-scale", "2", "--no-couple-channels"],
                                  in: scratch, name: "timm")
        #expect(timm.summary["with_noise"] != nil && timm.summary["gamma_scale"] == "2" && timm.summary["no_couple_channels"] != nil
                && timm.summary["no_scale_by_keep"] == nil, "\(timm.summary)")
        // A replayed noise file is named as such, not as a draw of --seed.
        let noisePath = scratch.path("noise.npy")
        try NPYArray(shape: [2, 12, 12], values: [Float](repeating: 0.5, count: 288)).write(to: noisePath)
        let replayed = try Self.apply(input, ["--block-size", "3", "--drop-prob", "0.4", "--noise", noisePath], in: scratch, name: "replayed")
        #expect(replayed.summary["draw"] == "replayed" && replayed.summary["seed"] == nil && replayed.summary["fill_seed"] == nil,
                "\(replayed.summary)")
        // timm's Gaussian fill without --normal-noise is drawn from --seed: said.
        let timmNoisePath = scratch.path("timm-noise.npy")
        try NPYArray(shape: [2, 1, 12, 12], values: [Float](repeating: 0.5, count: 288)).write(to: timmNoisePath)
        let filled = try Self.apply(input, ["--block-size", "3", "--preset", "timm", "--with-noise", "--noise", timmNoisePath, "--seed", "9"],
                                    in: scratch, name: "filled")
        #expect(filled.summary["draw"] == "replayed" && filled.summary["fill_seed"] == "9", "\(filled.summary)")
        // In eval nothing is filled: no fill seed to name (new-user round 17).
        let evaluatedFill = try Self.apply(input, ["--block-size", "3", "--preset", "timm", "--with-noise", "--noise", timmNoisePath, "--eval"],
                                       in: scratch, name: "evaluated-fill")
        #expect(evaluatedFill.summary["draw"] == "replayed" && evaluatedFill.summary["fill_seed"] == nil, "\(evaluatedFill.summary)")
    }

    @Test("the summary line counts non-finite inputs (nonfinite=) and finite units the scale pushed past float32 (overflow=), streamed or read whole")
    func nonFiniteCounts() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        var values = [Float](repeating: 3e38, count: 2 * 3 * 28 * 28)
        for i in 0..<25 { values[i] = .nan }
        values[2000] = .infinity
        for i in 784..<1568 { values[i] = 1 }
        let input = NPYArray(shape: [2, 3, 28, 28], values: values)
        for path in [["--chunk-elements", "1000"], ["--chunk-elements", "0"]] {
            let run = try Self.apply(input, ["--drop-prob", "0.3"] + path, in: scratch, name: "huge")
            let overflowed = zip(values, run.output.values).filter { $0.isFinite && !$1.isFinite }.count
            #expect(overflowed > 0 && run.summary["overflow"] == "\(overflowed)", "\(path): \(run.summary)")
            #expect(run.summary["nonfinite"] == "26", "\(path): \(run.summary)")
        }
        // Finite data that stays in range: neither field.
        let calm = try Self.apply(NPYArray(shape: [2, 3, 8, 8], values: [Float](repeating: 1, count: 384)), ["--drop-prob", "0.3"],
                                  in: scratch, name: "calm")
        #expect(calm.summary["overflow"] == nil && calm.summary["nonfinite"] == nil, "\(calm.summary)")
    }

    @Test("--calibrated makes the expected dropped fraction equal p")
    func calibrated() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let input = NPYArray(shape: [4, 8, 16, 16], values: [Float](repeating: 1, count: 8192))
        let arguments = ["--block-size", "5", "--drop-prob", "0.3", "--seed", "3"]
        let plain = try Self.apply(input, arguments, in: scratch, name: "plain")
        let calibrated = try Self.apply(input, arguments + ["--calibrated"], in: scratch, name: "calibrated")
        // dropblock's own gamma under-drops on a 16x16 map; the calibrated one does not.
        let plainExpected = try #require(plain.summary["expected"].flatMap(Double.init))
        #expect(plainExpected < 0.27, "\(plain.summary)")
        #expect(plain.summary["calibrated"] == nil)
        #expect(calibrated.summary["expected"] == "0.3" && calibrated.summary["calibrated"] != nil, "\(calibrated.summary)")
        #expect(calibrated.summary["gamma"] != plain.summary["gamma"])
    }

    /// Round 24: the status line flagged a block as large as the map, apply's summary (the
    /// same keys, says the README) did not.
    @Test("a block as large as the map is flagged in the summary as on the status line; a smaller one is not")
    func blockAsLargeAsTheMap() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPYArray(shape: [2, 4, 12, 12], values: [Float](repeating: 1, count: 1152)).write(to: scratch.path("in.npy"))
        for (arguments, flag) in [(["--block-size", "12", "--preset", "tf"], "block>=map:each_seed_drops_its_whole_channel(SpatialDropout)"),
                                  (["--block-size", "20"], "block>=map:blocks_clipped_at_the_map_edges"),
                                  (["--block-size", "15", "--preset", "timm"], "block>=map:blocks_clipped_at_the_map_edges"),
                                  (["--block-size", "11", "--preset", "tf"], nil)] {
            let outcome = try Executable.run(["apply", scratch.path("in.npy"), "-o", scratch.path("out.npy")] + arguments)
            let line = outcome.stderr.split(separator: "\n").last.map(String.init) ?? ""
            let flags = line.split(separator: " ").filter { $0.hasPrefix("block>=map:") }.map(String.init)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            #expect(flags == (flag.map { [$0] } ?? []), "\(arguments): \(line)")
        }
    }

    /// As it exists today: the Gaussian fill is drawn from --seed.
    @Test("--with-noise (timm) keeps units unscaled and fills dropped ones with standard normal noise")
    func withNoise() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let count = 4 * 4 * 32 * 32
        let input = NPYArray(shape: [4, 4, 32, 32], values: (0..<count).map { Float($0 % 7) + 10 })
        let arguments = ["--preset", "timm", "--block-size", "3", "--drop-prob", "0.3", "--with-noise"]
        let a = try Self.apply(input, arguments + ["--seed", "4"], in: scratch, name: "a")
        let b = try Self.apply(input, arguments + ["--seed", "4"], in: scratch, name: "b")
        let other = try Self.apply(input, arguments + ["--seed", "5"], in: scratch, name: "c")
        #expect(a.output == b.output && a.output != other.output)
        #expect(a.summary["scale"] == "1", "\(a.summary)")
        #expect(a.mask.shape == [4, 1, 32, 32])
        let mapSize = 32 * 32
        var fill: [Double] = []
        for i in 0..<count {
            let sample = i / (4 * mapSize), channel = (i / mapSize) % 4
            if a.mask.values[sample * mapSize + i % mapSize] == 1 {
                if a.output.values[i] != input.values[i] { Issue.record("kept unit \(i) changed"); break }
            } else if channel == 0 {
                // One channel: the fill may be shared across channels, as timm's draw is.
                fill.append(Double(a.output.values[i]))
            }
        }
        #expect(fill.count > 500, "\(fill.count) dropped units")
        let mean = fill.reduce(0, +) / Double(fill.count)
        let variance = fill.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(fill.count - 1)
        #expect(abs(mean) < 4 / Double(fill.count).squareRoot(), "fill mean \(mean)")
        #expect(abs(variance - 1) < 4 * (2 / Double(fill.count)).squareRoot(), "fill variance \(variance)")
    }

    @Test("when the mask cannot be written, the output is taken back")
    func maskWriteFailureRemovesOutput() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPYArray(shape: [1, 1, 6, 6], values: [Float](repeating: 1, count: 36)).write(to: scratch.path("in.npy"))
        let output = scratch.path("out.npy")
        let outcome = try Executable.run(["apply", scratch.path("in.npy"), "-o", output,
                                          "--mask-output", scratch.path("no/such/dir/mask.npy")])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains("mask.npy"), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "the output was left behind")
    }

    @Test("an output or mask output that is the input (by any name) is refused, and the input is left as it was")
    func neverOverwritesInput() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let input = scratch.path("in.npy")
        try NPYArray(shape: [1, 2, 8, 8], values: (0..<128).map { Float($0) }).write(to: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.npy"), withDestinationPath: input)
        let cases: [[String]] = [
            ["apply", input, "-o", input],
            ["apply", input, "-o", scratch.path("link.npy")],
            ["apply", input, "-o", scratch.path("out.npy"), "--mask-output", scratch.path("./in.npy")],
        ]
        for arguments in cases {
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 1, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains("is the input"), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before, "\(arguments) changed the input")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.npy")))
    }

    @Test("errors: one line, exit 1 for bad data, exit 2 for usage, nothing written")
    func errors() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPYArray(shape: [1, 1, 4, 4], values: [Float](repeating: 1, count: 16)).write(to: scratch.path("ok.npy"))
        // Rank 2 to 5 are maps (HW, CHW, NCHW, NCDHW), NaN is data (ActivationInputTests); rank 1 is neither.
        try NPYArray(shape: [16], values: [Float](repeating: 1, count: 16)).write(to: scratch.path("rank1.npy"))
        try Data("\u{93}NUMPY garbage".utf8).write(to: URL(fileURLWithPath: scratch.path("corrupt.npy")))
        var truncated = try Data(contentsOf: URL(fileURLWithPath: scratch.path("ok.npy")))
        truncated.removeLast(7)
        try truncated.write(to: URL(fileURLWithPath: scratch.path("truncated.npy")))
        try NPYArray(shape: [1, 4, 5], values: [Float](repeating: 0.5, count: 20)).write(to: scratch.path("badnoise.npy"))

        let out = scratch.path("out.npy")
        let runtime: [([String], String)] = [
            (["apply", scratch.path("missing.npy"), "-o", out], "missing.npy"),
            (["apply", scratch.path("rank1.npy"), "-o", out], "rank 1"),
            (["apply", scratch.path("corrupt.npy"), "-o", out], ".npy"),
            (["apply", scratch.path("truncated.npy"), "-o", out], "truncated"),
            (["apply", scratch.path("ok.npy"), "-o", out, "--noise", scratch.path("badnoise.npy")], "(1, 4, 4)"),
            (["apply", scratch.path("ok.npy"), "-o", out, "--preset", "torchvision", "--block-size", "2"], "odd"),
            (["apply", scratch.path("ok.npy"), "-o", scratch.path("no/such/dir/out.npy")], "cannot write"),
        ]
        for (arguments, mention) in runtime {
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 1, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains(mention), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        // Each usage error must be the one its arguments make, not just any.
        let usage: [([String], String)] = [
            (["apply", scratch.path("ok.npy")], "--output"),
            (["apply", scratch.path("ok.npy"), "-o", out, "--drop-prob", "1.5"], "--drop-prob"),
            (["apply", scratch.path("ok.npy"), "-o", out, "--drop-prob", "nan"], "--drop-prob"),
            (["apply", scratch.path("ok.npy"), "-o", out, "--block-size", "0"], "--block-size"),
            (["apply", scratch.path("ok.npy"), "-o", out, "--preset", "keras"], "keras"),
            (["apply", scratch.path("ok.npy"), "-o", out, "--bogus"], "--bogus"),
        ]
        for (arguments, mention) in usage {
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(mention), "\(arguments): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test("--normal-noise replays timm's with_noise cases; a wrong shape names the keep mask's shape")
    func normalNoise() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        // Every third case keeps the run short; the library tests cover all of them.
        let cases = try Golden.cases("timm_with_noise").filter { $0.index % 3 == 0 }
        #expect(cases.count == 11)
        var verified = 0
        for golden in cases {
            try NPYArray(shape: golden.shape, values: golden.floats("input")).write(to: scratch.path("in.npy"))
            try NPYArray(shape: golden.ints("noise_shape"), values: golden.floats("noise")).write(to: scratch.path("u.npy"))
            try NPYArray(shape: golden.ints("normal_noise_shape"), values: golden.floats("normal_noise")).write(to: scratch.path("g.npy"))
            let timm = golden.parameters.timm
            let outcome = try Executable.run([
                "apply", scratch.path("in.npy"), "-o", scratch.path("out.npy"), "--mask-output", scratch.path("mask.npy"),
                "--preset", "timm", "--with-noise", "--noise", scratch.path("u.npy"), "--normal-noise", scratch.path("g.npy"),
                "--block-size", String(golden.blockSize), "--drop-prob", String(golden.dropProb),
                "--gamma-scale", String(timm.gammaScale), timm.coupleChannels ? "--couple-channels" : "--no-couple-channels",
            ])
            #expect(outcome.status == 0, "\(golden.label): \(outcome.stderr)")
            guard outcome.status == 0 else { continue }
            let mask = try NPYArray(contentsOf: scratch.path("mask.npy"))
            #expect(mask.values == golden.floats("keep_mask"), "\(golden.label)")
            let output = try NPYArray(contentsOf: scratch.path("out.npy"))
            #expect(firstMismatch(output.values, golden.floats("output")) == nil, "\(golden.label)")
            verified += 1
        }
        #expect(verified == cases.count)

        // The keep mask of (2, 3, 6, 6) with coupled channels is (2, 1, 6, 6).
        try NPYArray(shape: [2, 3, 6, 6], values: (0..<216).map { Float($0) }).write(to: scratch.path("x.npy"))
        try NPYArray(shape: [2, 1, 6, 6], values: [Float](repeating: 0, count: 72)).write(to: scratch.path("zeros.npy"))
        try NPYArray(shape: [2, 3, 6, 6], values: [Float](repeating: 0.5, count: 216)).write(to: scratch.path("wrong.npy"))
        let out = scratch.path("out2.npy")
        let wrongShape = try Executable.run([
            "apply", scratch.path("x.npy"), "-o", out, "--preset", "timm", "--with-noise",
            "--noise", scratch.path("zeros.npy"), "--normal-noise", scratch.path("wrong.npy"),
        ])
        #expect(wrongShape.status == 1, "\(wrongShape.stderr)")
        #expect(wrongShape.stderr.hasPrefix("error: ") && wrongShape.stderr.contains("(2, 1, 6, 6)"), "\(wrongShape.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        for arguments in [
            ["apply", scratch.path("x.npy"), "-o", out, "--preset", "timm", "--with-noise", "--normal-noise", scratch.path("zeros.npy")],
            ["apply", scratch.path("x.npy"), "-o", out, "--preset", "timm", "--noise", scratch.path("zeros.npy"),
             "--normal-noise", scratch.path("zeros.npy")],
        ] {
            let usage = try Executable.run(arguments)
            #expect(usage.status == 2 && usage.stderr.contains("--normal-noise"), "\(arguments): \(usage.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
