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
}
