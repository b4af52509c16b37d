import DropBlock
import Foundation
import GoldenSupport
import NumpyIO
import Testing

@Suite("dropblock apply, end to end through the built executable")
struct ApplyCommandTests {
    @Test("golden cases replay exactly through --noise", arguments: ["dropblock", "torchvision", "timm", "tf"])
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
                #expect(outcome.stderr.hasPrefix("error: "))
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
                #expect(outcome.stderr.contains("reference_nan->zeros"))
            } else {
                #expect(firstMismatch(output.values, golden.floats("output")) == nil, "\(golden.label)")
            }
            #expect(outcome.stderr.hasPrefix("preset=\(name) "), "summary line: \(outcome.stderr)")
        }
    }

    @Test("seeded runs are deterministic and 3D input works")
    func seededAndThreeD() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let volume = NPYArray(shape: [2, 3, 6, 8, 8], values: (0..<2304).map { Float($0 % 13) + 1 })
        try volume.write(to: scratch.path("vol.npy"))
        for run in ["a", "b"] {
            let outcome = try Executable.run(["apply", scratch.path("vol.npy"), "-o", scratch.path("\(run).npy"), "--block-size", "3", "--drop-prob", "0.3", "--seed", "11"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        #expect(try NPYArray(contentsOf: scratch.path("a.npy")) == NPYArray(contentsOf: scratch.path("b.npy")))
        #expect(try NPYArray(contentsOf: scratch.path("a.npy")).shape == [2, 3, 6, 8, 8])
    }

    @Test("errors: one line, exit 1 for bad data, exit 2 for usage, nothing written")
    func errors() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPYArray(shape: [1, 1, 4, 4], values: [Float](repeating: 1, count: 16)).write(to: scratch.path("ok.npy"))
        try NPYArray(shape: [4, 4], values: [Float](repeating: 1, count: 16)).write(to: scratch.path("rank2.npy"))
        var withNaN = [Float](repeating: 1, count: 16)
        withNaN[5] = .nan
        try NPYArray(shape: [1, 1, 4, 4], values: withNaN).write(to: scratch.path("nan.npy"))
        try Data("\u{93}NUMPY garbage".utf8).write(to: URL(fileURLWithPath: scratch.path("corrupt.npy")))
        var truncated = try Data(contentsOf: URL(fileURLWithPath: scratch.path("ok.npy")))
        truncated.removeLast(7)
        try truncated.write(to: URL(fileURLWithPath: scratch.path("truncated.npy")))
        try NPYArray(shape: [1, 4, 5], values: [Float](repeating: 0.5, count: 20)).write(to: scratch.path("badnoise.npy"))

        let out = scratch.path("out.npy")
        let runtime: [([String], String)] = [
            (["apply", scratch.path("missing.npy"), "-o", out], "missing.npy"),
            (["apply", scratch.path("rank2.npy"), "-o", out], "rank 2"),
            (["apply", scratch.path("nan.npy"), "-o", out], "NaN"),
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
        let usage: [[String]] = [
            ["apply", scratch.path("ok.npy")],
            ["apply", scratch.path("ok.npy"), "-o", out, "--drop-prob", "1.5"],
            ["apply", scratch.path("ok.npy"), "-o", out, "--drop-prob", "nan"],
            ["apply", scratch.path("ok.npy"), "-o", out, "--block-size", "0"],
            ["apply", scratch.path("ok.npy"), "-o", out, "--preset", "keras"],
            ["apply", scratch.path("ok.npy"), "-o", out, "--bogus"],
        ]
        for arguments in usage {
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
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
