import DropBlock
import Foundation
@testable import NumpyIO
import SafetensorsIO
import Testing

/// `apply` and `render` read a `.safetensors` tensor in place, a chunk or a sample at a time,
/// as they read a `.npy`: the same output in every dtype and chunk size, and a file larger
/// than the memory the process may use goes through (mapped whole, it could not).
@Suite("safetensors input, streamed")
struct StreamedSafetensorsTests {
    /// A `.safetensors` file's bytes: `tensors` in order, each `(name, dtype, shape, payload)`.
    static func file(_ tensors: [(name: String, dtype: SafetensorsDType, shape: [Int], payload: [UInt8])]) -> Data {
        SafetensorsFile.header(describing: tensors.map { ($0.name, $0.dtype, $0.shape) }) + tensors.flatMap(\.payload)
    }

    /// `values` as little-endian bytes of `dtype` (each value exact in every dtype used here).
    static func bytes(_ values: [Float], dtype: SafetensorsDType) -> [UInt8] {
        func little<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        return values.flatMap { value -> [UInt8] in
            switch dtype {
            case .f32: return little(value.bitPattern)
            case .f64: return little(Double(value).bitPattern)
            case .f16: return little(Float16(value).bitPattern)
            case .bf16: return little(UInt16(value.bitPattern >> 16))
            case .i16: return little(Int16(value))
            default: return little(Int32(value))
            }
        }
    }

    @Test("every dtype and chunk size gives the float32 .npy's output, shared and per-channel masks")
    func dtypesAndChunks() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let shape = [2, 3, 8, 8]
        let values = (0..<384).map { Float($0 % 17) - 8 }
        try NPYArray(shape: shape, values: values).write(to: scratch.path("f4.npy"))
        let dtypes: [SafetensorsDType] = [.f32, .f64, .f16, .bf16, .i16, .i32]
        // Another tensor before the ones used, so that none starts at the data's first byte.
        let tensors = [("first", SafetensorsDType.u8, [3], [UInt8]([1, 2, 3]))] + dtypes.map { ($0.rawValue.lowercased(), $0, shape, Self.bytes(values, dtype: $0)) }
        try Self.file(tensors).write(to: URL(fileURLWithPath: scratch.path("acts.safetensors")))
        for preset in ["dropblock", "torchvision"] {
            let common = ["--block-size", "3", "--drop-prob", "0.3", "--seed", "2", "--preset", preset]
            let reference = try Executable.run(["apply", scratch.path("f4.npy"), "-o", scratch.path("ref.npy")] + common)
            #expect(reference.status == 0, "\(reference.stderr)")
            let expected = try Data(contentsOf: URL(fileURLWithPath: scratch.path("ref.npy")))
            // 0 reads whole; 7 splits rows, 50 channels, 200 samples.
            for dtype in dtypes {
                for chunk in [0, 7, 50, 200] {
                    let out = scratch.path("\(dtype)-\(chunk).npy")
                    let outcome = try Executable.run(["apply", scratch.path("acts.safetensors"), "--array", dtype.rawValue.lowercased(), "-o", out,
                                                      "--chunk-elements", String(chunk)] + common)
                    #expect(outcome.status == 0, "\(dtype) \(chunk): \(outcome.stderr)")
                    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == expected, "\(preset) \(dtype) in chunks of \(chunk)")
                }
            }
        }
    }

    @Test("a 1 GiB sparse .safetensors goes through apply and render with a 256 MiB address-space limit")
    func largerThanMemory() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let shape = [16, 64, 512, 512], count = shape.reduce(1, *)
        // The header, and a hole for the tensor's 1 GiB of float32 zeros, but for a few values.
        let input = scratch.path("big.safetensors")
        let samples = [0, 262_143, 16_777_216 + 70_000, count / 2 + 12_345, count - 1]
        try StreamedApplyTests.sparseFile(input, header: SafetensorsFile.header(describing: [("x", .f32, shape)]), count: count, samples: samples)

        let output = scratch.path("out.npy")
        let applied = try StreamedApplyTests.limited(["apply", input, "-o", output, "--seed", "3"], kilobytes: 262_144)
        #expect(applied.status == 0, "\(applied.stderr)")
        let render = try StreamedApplyTests.limited(["render", input, "--color", "never"], kilobytes: 262_144)
        #expect(render.status == 0, "\(render.stderr)")

        let expected = try StreamedApplyTests.expectSampledOutput(output, shape: shape, samples: samples)
        #expect(expected.keepMask.storage.contains(0), "something dropped")
    }

    @Test("render opens a 64 MiB .npz member and a 1 GiB tensor among nine a sample at a time, under a 256 MiB limit; nothing is left in TMPDIR")
    func renderLargeMembers() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        // 64 MiB of float32 (ArrayFile.streamedMemberBytes): whole, it needs more than the limit.
        let shape = [16, 256, 64, 64], count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for i in stride(from: 0, to: count, by: 7) { values[i] = Float(i % 1000) / 100 }
        try NPZWriter.write(arrays: [("acts", NPYArray(shape: shape, values: values))], to: scratch.path("acts.npz"))
        // Nine tensors, the first a 1 GiB hole: more than the stages view loads together.
        let big = [16, 64, 512, 512]
        let many = scratch.path("many.safetensors")
        let tensors = [("big", SafetensorsDType.f32, big)] + (0..<8).map { ("s\($0)", SafetensorsDType.f32, [1, 1, 4, 4]) }
        try StreamedApplyTests.sparseFile(many, header: SafetensorsFile.header(describing: tensors), count: big.reduce(1, *) + 8 * 16)

        let temporary = scratch.path("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        for file in [scratch.path("acts.npz"), many] {
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "ulimit -v 262144 && exec \"$0\" \"$@\"", Executable.url.path, "render", file, "--color", "never",
                               "-o", scratch.path("frame.txt")]
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = temporary
            shell.environment = environment
            let errors = Pipe()
            shell.standardError = errors
            try shell.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0, "\(file): \(text)")
            let frame = try String(contentsOfFile: scratch.path("frame.txt"), encoding: .utf8)
            #expect(frame.contains(file == many ? "(16, 64, 512, 512)" : "(16, 256, 64, 64)"), "\(frame.prefix(300))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    }
}
