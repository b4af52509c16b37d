import Foundation
import NumpyIO
import SafetensorsIO
import Testing
import Visualizer
@testable import dropblock

/// Real activations in: `.npz` and `.safetensors` files, channels-last layouts, non-finite values.
@Suite("Activation files and layouts, end to end")
struct ActivationInputTests {
    static let npz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("NumpyIOTests/Fixtures/savez_compressed.npz").path
    static let safetensors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SafetensorsIOTests/Fixtures/tensors.safetensors").path

    /// Moves axis `from` of a C-order array to position `to` (an independent transposition for the test).
    static func moveAxis(_ values: [Float], shape: [Int], from: Int, to: Int) -> ([Float], [Int]) {
        var order = Array(shape.indices)
        order.insert(order.remove(at: from), at: to)
        let newShape = order.map { shape[$0] }
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        var result = [Float](repeating: 0, count: values.count)
        for flat in 0..<values.count {
            var rest = flat, source = 0
            for axis in stride(from: newShape.count - 1, through: 0, by: -1) {
                source += (rest % newShape[axis]) * strides[order[axis]]
                rest /= newShape[axis]
            }
            result[flat] = values[source]
        }
        return (result, newShape)
    }

    @Test("NHWC, HWC and NDHWC give the transpose of the channels-first result, bit for bit, mask included",
          arguments: [("nhwc", [2, 3, 9, 11], 1, 3, "torchvision"), ("hwc", [3, 9, 11], 0, 2, "timm"), ("ndhwc", [2, 3, 4, 6, 7], 1, 4, "dropblock")])
    func layouts(layout: String, shape: [Int], channelAxis: Int, lastAxis: Int, preset: String) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let values = (0..<shape.reduce(1, *)).map { Float(($0 * 7919) % 1000) / 100 - 5 }
        try NPYArray(shape: shape, values: values).write(to: scratch.path("first.npy"))
        let (last, lastShape) = Self.moveAxis(values, shape: shape, from: channelAxis, to: lastAxis)
        try NPYArray(shape: lastShape, values: last).write(to: scratch.path("last.npy"))
        let common = ["--preset", preset, "--block-size", "3", "--drop-prob", "0.3", "--seed", "5"]
        let first = try Executable.run(["apply", scratch.path("first.npy"), "-o", scratch.path("o1.npy"), "--mask-output", scratch.path("m1.npy")] + common)
        let second = try Executable.run(["apply", scratch.path("last.npy"), "-o", scratch.path("o2.npy"), "--mask-output", scratch.path("m2.npy"),
                                         "--layout", layout] + common)
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)\(second.stderr)")
        let o1 = try NPYArray(contentsOf: scratch.path("o1.npy")), o2 = try NPYArray(contentsOf: scratch.path("o2.npy"))
        #expect(o2.shape == lastShape)
        // The summary line names the shape as the file has it.
        #expect(second.stderr.contains("shape=(\(lastShape.map(String.init).joined(separator: ",")))"), "\(second.stderr)")
        let expected = Self.moveAxis(o1.values, shape: o1.shape, from: channelAxis, to: lastAxis)
        #expect(o2.values == expected.0, "output is the transpose")
        #expect(o1.values != values, "something was dropped")
        let m1 = try NPYArray(contentsOf: scratch.path("m1.npy")), m2 = try NPYArray(contentsOf: scratch.path("m2.npy"))
        #expect(m2.values == Self.moveAxis(m1.values, shape: m1.shape, from: channelAxis, to: lastAxis).0)
    }

    /// The visualizer's header once showed only the channels-first shape it uses, so a file of
    /// shape (3, 20, 24, 6) read with --layout nhwc was titled (3, 6, 20, 24).
    @Test("the visualizer's header gives a channels-last or lower-rank array's own shape, then the one its panels use",
          arguments: [([3, 20, 24, 6], ["--layout", "nhwc"], "(3, 20, 24, 6) nhwc as (3, 6, 20, 24)"),
                      ([20, 24], [], "(20, 24) hw as (1, 1, 20, 24)"), ([2, 3, 20, 24], [], "(2, 3, 20, 24)  2D")])
    func headerShape(shape: [Int], options: [String], header: String) throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPYArray(shape: shape, values: (0..<shape.reduce(1, *)).map { Float($0 % 17) }).write(to: scratch.path("a.npy"))
        let render = try Executable.run(["render", scratch.path("a.npy"), "--color", "never", "--width", "120"] + options)
        #expect(render.status == 0, "\(render.stderr)")
        let first = render.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("dropblock  a.npy  \(header)"), "\(first)")
        #expect(first.contains(" as ") == header.contains(" as "), "\(first)")
    }

    @Test("a multi-array file needs --array, which lists the names; non-numeric members are named with the reason")
    func chooseArray() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let missing = try Executable.run(["apply", Self.npz, "-o", scratch.path("out.npy")])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: \(Self.npz) holds 5 arrays; choose one with --array NAME: layer1, layer2.conv, counts, big_endian, fortran\n")
        let labels = try Executable.run(["apply", Self.npz, "--array", "labels", "-o", scratch.path("out.npy")])
        #expect(labels.status == 1 && labels.stderr.contains("array 'labels' cannot be used: dtype '<U1' is not numeric"), "\(labels.stderr)")
        let chosen = try Executable.run(["apply", Self.npz, "--array", "layer2.conv", "-o", scratch.path("out.npy"), "--block-size", "1"])
        #expect(chosen.status == 0, "\(chosen.stderr)")
        #expect(try NPYArray(contentsOf: scratch.path("out.npy")).shape == [2, 5, 2, 2])
        let tensor = try Executable.run(["apply", Self.safetensors, "--array", "f32", "-o", scratch.path("st.npy"), "--block-size", "1"])
        #expect(tensor.status == 0, "\(tensor.stderr)")
        #expect(try NPYArray(contentsOf: scratch.path("st.npy")).shape == [2, 3, 4])
    }

    @Test("a classifier's (N, features) beside maps: the visualizer opens the first map and says why it left it out; apply --array runs it with a note")
    func featuresBesideMaps() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let file = scratch.path("net.npz")
        let layer = NPYArray(shape: [2, 4, 16, 16], values: (0..<2048).map { Float($0 % 13) })
        try NPZWriter.write(arrays: [("fc", NPYArray(shape: [2, 1000], values: (0..<2000).map { Float($0 % 7) })), ("layer1", layer)], to: file)
        let frame = try Executable.run(["render", file, "--color", "never", "--width", "120", "--height", "40"])
        #expect(frame.status == 0, "\(frame.stderr)")
        #expect(frame.stdout.hasPrefix("dropblock  net.npz:layer1  (2, 4, 16, 16)"), "\(frame.stdout.prefix(200))")
        let asked = try Executable.run(["render", file, "--array", "fc", "--color", "never"])
        #expect(asked.status == 1 && asked.stderr.contains("array 'fc' cannot be shown: shape (2, 1000) beside arrays with batch and channel axes reads as (N, features)"),
                "\(asked.stderr)")
        // --layout hw takes it as a map, as in stats.
        let map = try Executable.run(["render", file, "--array", "fc", "--layout", "hw", "--color", "never"])
        #expect(map.status == 0 && map.stdout.hasPrefix("dropblock  net.npz:fc  (2, 1000)"), "\(map.stderr)")
        let applied = try Executable.run(["apply", file, "--array", "fc", "-o", scratch.path("fc.npy")])
        #expect(applied.status == 0 && applied.stderr.hasPrefix("note: 'fc' (2, 1000) is read as one 2x1000 map (layout hw), as --array asked;"), "\(applied.stderr)")
    }

    @Test("the b view names the file's arrays that cannot be stages beside the shown one (other samples), instead of dropping them")
    func otherSamplesNamed() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let file = scratch.path("mixed.npz")
        func layer(_ n: Int, _ side: Int) -> NPYArray {
            NPYArray(shape: [n, 4, side, side], values: (0..<(n * 4 * side * side)).map { Float($0 % 9) })
        }
        try NPZWriter.write(arrays: [("a16", layer(2, 16)), ("b8", layer(2, 8)), ("other", layer(4, 8))], to: file)
        let frame = try Executable.run(["render", file, "--keys", "b", "--color", "never", "--width", "200", "--height", "30", "--block-size", "3"])
        #expect(frame.status == 0, "\(frame.stderr)")
        #expect(frame.stdout.contains("not stages, as they do not hold 2 samples of 2D maps: 'other'"), "\(frame.stdout.prefix(400))")
        #expect(frame.stdout.contains("+ a16 16x16") && frame.stdout.contains("+ b8 8x8"), "\(frame.stdout.prefix(400))")
    }

    @Test("stats --from gives one row per array, equal to stats --size for the same sizes, the name in 'stage'; rank-2 arrays beside stages are skipped unless --layout hw")
    func statsFrom() throws {
        let arguments = ["--preset", "dropblock,timm", "--block-size", "1,3", "--samples", "50", "--format", "csv"]
        let fromFile = try Executable.run(["stats", "--from", Self.npz] + arguments)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stderr.contains("note: skipped labels: dtype '<U1' is not numeric"))
        // Beside (N, C, H, W) stages, (3, 4) reads as (N, features), not a map.
        #expect(fromFile.stderr.contains("note: skipped counts: shape (3, 4) beside arrays with batch and channel axes reads as (N, features)"),
                "\(fromFile.stderr)")
        let rows = fromFile.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.map { String($0[1]) }.distinctInOrder() == ["layer1", "layer2.conv"])
        // --layout hw takes them as maps: counts (3, 4), big_endian (2, 3), fortran (3, 5); the stages are then skipped.
        let hw = try Executable.run(["stats", "--from", Self.npz, "--layout", "hw"] + arguments)
        let hwRows = hw.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(hwRows.map { String($0[1]) }.distinctInOrder() == ["counts", "big_endian", "fortran"], "\(hw.stderr)")
        let sizes = try Executable.run(["stats", "--size", "4x4", "--size", "4"] + arguments)
        #expect(sizes.status == 2, "'4' is not a size")
        let bySize = try Executable.run(["stats", "--size", "4x4", "--size", "2x2"] + arguments)
        let sizeRows = bySize.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == sizeRows.count && rows.count == 2 * 2 * 2)
        let byHWSize = try Executable.run(["stats", "--size", "3x4", "--size", "2x3", "--size", "3x5"] + arguments)
        let hwSizeRows = byHWSize.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(hwRows.count == hwSizeRows.count && hwRows.count == 3 * 2 * 2)
        for (a, b) in zip(hwRows, hwSizeRows) {
            #expect(Array(a.prefix(1) + a.dropFirst(2)) == Array(b.prefix(1) + b.dropFirst(2)), "\(a) vs \(b)")
        }
        for (a, b) in zip(rows, sizeRows) {
            #expect(Array(a.prefix(1) + a.dropFirst(2)) == Array(b.prefix(1) + b.dropFirst(2)), "\(a) vs \(b)")
        }
    }

    /// Round 20: a 12-layer export gave each map size's rows three to six times over,
    /// identical, with no column to tell the layers apart.
    @Test("stats --from gives one row per map size: the first array names it, +N and same_size the others; csv quotes names")
    func statsFromOneRowPerSize() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let tensors: [(name: String, dtype: SafetensorsDType, shape: [Int], payload: [UInt8])] = [
            ("a,1", .f32, [1, 2, 6, 6], [UInt8](repeating: 0, count: 4 * 72)),
            ("c", .f32, [1, 2, 4, 4], [UInt8](repeating: 0, count: 4 * 32)),
            ("b", .f32, [1, 3, 6, 6], [UInt8](repeating: 0, count: 4 * 108)),
        ]
        try StreamedSafetensorsTests.file(tensors).write(to: URL(fileURLWithPath: scratch.path("layers.safetensors")))
        let arguments = ["stats", "--from", scratch.path("layers.safetensors"), "--preset", "dropblock", "--block-size", "3", "--samples", "20"]
        let csv = try Executable.run(arguments + ["--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        // Each row without its last two fields (few_seeds and block_note, checked in the stats tests).
        let withoutLastTwo = { (line: Substring) in String(line.split(separator: ",", omittingEmptySubsequences: false).dropLast(2).joined(separator: ",")) }
        let lines = csv.stdout.split(separator: "\n").map(withoutLastTwo)
        #expect(lines.first?.hasSuffix(",error,same_size") == true, "\(lines)")
        #expect(lines.count == 3, "one row per size: \(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("dropblock,\"a,1\",6x6,3,") == true && lines.dropFirst().first?.hasSuffix(",b") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("dropblock,c,4x4,3,") == true && lines.last?.hasSuffix(",") == true, "\(lines)")
        // The numbers are those of the sizes themselves.
        let sizes = try Executable.run(["stats", "--size", "6x6", "--size", "4x4", "--preset", "dropblock", "--block-size", "3", "--samples", "20", "--format", "csv"])
        let fields = { (line: String) in line.replacingOccurrences(of: "\"a,1\"", with: "").split(separator: ",", omittingEmptySubsequences: false).dropFirst(2).dropLast() }
        let sizeLines = sizes.stdout.split(separator: "\n").dropFirst().map(withoutLastTwo)
        #expect(zip(lines.dropFirst(), sizeLines).allSatisfy { fields($0) == fields($1) }, "\(lines) vs \(sizes.stdout)")
        let table = try Executable.run(arguments)
        #expect(table.stdout.contains("dropblock  a,1 +1  6x6"), "\(table.stdout)")
        #expect(table.stdout.contains("+N: N more arrays or stages of the same map size, with the same numbers"), "\(table.stdout)")
        let json = try Executable.run(arguments + ["--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["same_size"] as? [String] ?? ["?"] } == [["b"], []], "\(json.stdout)")
    }

    @Test("the b view shows a file's layers (same samples, any channel count) as its stages")
    func layersAsStages() throws {
        let outcome = try Executable.run(["render", Self.npz, "--array", "layer1", "--keys", "b", "--color", "never",
                                          "--width", "120", "--height", "30", "--block-size", "3"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("layer1 4x4") && outcome.stdout.contains("layer2.conv 2x2"), "\(outcome.stdout)")
        #expect(!outcome.stdout.contains("one array"))
    }

    @Test("another array that cannot be read costs the stages, not the array asked for; the b view says why")
    func unreadableStage() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let good = NPYArray(shape: [2, 3, 8, 8], values: (0..<384).map { Float($0 % 7) })
        // A member whose header promises (2, 3, 8, 8) floats and whose data stops half-way.
        let truncated = NPYArray(shape: [2, 3, 8, 8], values: [Float](repeating: 1, count: 384)).encoded().dropLast(700)
        try NPZWriter.write(arrays: [("good", good)], files: [("bad.npy", Data(truncated))], to: scratch.path("mixed.npz"))
        let outcome = try Executable.run(["render", scratch.path("mixed.npz"), "--array", "good", "--keys", "b", "--color", "never",
                                          "--width", "200", "--height", "30", "--block-size", "3"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("no stages:") && outcome.stdout.contains("bad"), "\(outcome.stdout)")
        // The array asked for is shown, on the main screen too.
        let main = try Executable.run(["render", scratch.path("mixed.npz"), "--array", "good", "--color", "never", "--width", "120", "--height", "30"])
        #expect(main.status == 0 && main.stdout.contains("dropblock  mixed.npz  (2, 3, 8, 8)"), "\(main.stderr)")
        // A member whose header cannot be read is not an array at all: the b view and apply name it.
        try NPZWriter.write(arrays: [("good", good)], files: [("bad.npy", Data([0x93] + Array("NUMPY".utf8) + [1, 0] + Array("garbage".utf8)))],
                            to: scratch.path("header.npz"))
        let header = try Executable.run(["render", scratch.path("header.npz"), "--keys", "b", "--color", "never", "--width", "200", "--height", "30"])
        #expect(header.status == 0 && header.stdout.contains("no stages: the file's other members cannot be shown: 'bad'"), "\(header.stdout)")
        let quiet = try Executable.run(["apply", scratch.path("header.npz"), "-o", scratch.path("out.npy")])
        #expect(quiet.status == 0 && quiet.stderr.hasPrefix("note: using 'good', the only usable array; skipped: bad ("), "\(quiet.stderr)")
        // Too many arrays for stages: the b view says so, instead of "one array".
        try NPZWriter.write(arrays: (0..<9).map { ("a\($0)", good) }, to: scratch.path("many.npz"))
        let many = try Executable.run(["render", scratch.path("many.npz"), "--array", "a3", "--keys", "b", "--color", "never",
                                       "--width", "200", "--height", "30"])
        #expect(many.status == 0 && many.stdout.contains("no stages: the file has 9 arrays, none of another map size, and stages load at most 8"),
                "\(many.stdout)")
        // More layers than stages load, of three map sizes (and a classifier output): one array per size, the shown one for its own.
        let layers = [(4, 16), (4, 16), (4, 16), (8, 8), (8, 8), (8, 8), (16, 4), (16, 4), (16, 4)].enumerated().map { i, size in
            ("l\(i)", NPYArray(shape: [2, size.0, size.1, size.1], values: (0..<(2 * size.0 * size.1 * size.1)).map { Float($0 % 11) }))
        }
        try NPZWriter.write(arrays: layers + [("fc", NPYArray(shape: [2, 10], values: [Float](repeating: 1, count: 20)))], to: scratch.path("net.npz"))
        let net = try Executable.run(["render", scratch.path("net.npz"), "--array", "l4", "--keys", "b", "--color", "never",
                                      "--width", "200", "--height", "30", "--block-size", "3"])
        #expect(net.status == 0 && net.stdout.contains("one array per map size: l0, l4, l6 (3 of the file's 9)"), "\(net.stdout)")
        let panels = net.stdout.split(separator: "\n").first { $0.hasPrefix("+ ") }.map(String.init) ?? ""
        #expect(panels.contains("+ l0 16x16") && panels.contains("+ l4 8x8") && panels.contains("+ l6 4x4") && !panels.contains("l1"), "\(panels)")
        // A member whose data stops short of its header's shape is left out before anything is
        // shown, first in the file or not: the visualizer and apply take the good one and name it.
        try NPZWriter.write(arrays: [], files: [("bad.npy", Data(truncated)), ("good.npy", good.encoded())], to: scratch.path("first.npz"))
        let first = try Executable.run(["render", scratch.path("first.npz"), "--color", "never", "--width", "120", "--height", "30"])
        #expect(first.status == 0 && first.stdout.contains("dropblock  first.npz  (2, 3, 8, 8)") && first.stdout.contains("skipped: bad (")
                && first.stdout.contains("truncated .npy data"), "\(first.stderr)\(first.stdout)")
        let firstApply = try Executable.run(["apply", scratch.path("first.npz"), "-o", scratch.path("out.npy")])
        #expect(firstApply.status == 0 && firstApply.stderr.hasPrefix("note: using 'good', the only usable array; skipped: bad ("), "\(firstApply.stderr)")
        // The unreadable array itself is still one clear error.
        let bad = try Executable.run(["render", scratch.path("mixed.npz"), "--array", "bad", "--color", "never"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("error:") && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
    }

    @Test("NaN and Inf are data: they stay non-finite, and every finite unit is x * keep * scale")
    func nonFinite() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        var values: [Float] = (0..<384).map { (unit: Int) -> Float in Float(unit % 17) - 8 }
        values[5] = .nan
        values[70] = .infinity
        values[200] = -.infinity
        try NPYArray(shape: [2, 3, 8, 8], values: values).write(to: scratch.path("in.npy"))
        for preset in ["dropblock", "torchvision", "timm", "tf", "kerascv"] {
            let outcome = try Executable.run(["apply", scratch.path("in.npy"), "-o", scratch.path("out.npy"), "--mask-output", scratch.path("mask.npy"),
                                              "--preset", preset, "--block-size", "3", "--drop-prob", "0.5", "--seed", "3"])
            #expect(outcome.status == 0, "\(preset): \(outcome.stderr)")
            let out = try NPYArray(contentsOf: scratch.path("out.npy")).values
            let mask = try NPYArray(contentsOf: scratch.path("mask.npy"))
            let scaleField = try #require(outcome.stderr.split(separator: " ").first { $0.hasPrefix("scale=") })
            let scale = try #require(Float(scaleField.dropFirst(6)))
            for i in values.indices {
                let channel = mask.shape[1] == 1 ? 0 : (i / 64) % 3
                let keep = mask.values[(i / 192 * mask.shape[1] + channel) * 64 + i % 64]
                if values[i].isFinite {
                    #expect(out[i].isFinite, "\(preset): finite unit \(i) became \(out[i])")
                    // The summary's scale is the exact float32 the pass used: bit for bit.
                    #expect(out[i].bitPattern == (values[i] * keep * scale).bitPattern, "\(preset): unit \(i)")
                } else {
                    let reference = values[i] * keep * scale
                    #expect(reference.isNaN ? out[i].isNaN : out[i] == reference, "\(preset): unit \(i) is \(out[i]), reference \(reference)")
                }
            }
        }
    }

    @Test("a rank-3 array that looks like HxWxC gets a one-line hint naming --layout")
    func hwcHint() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPYArray(shape: [32, 32, 3], values: [Float](repeating: 1, count: 3072)).write(to: scratch.path("image.npy"))
        let outcome = try Executable.run(["apply", scratch.path("image.npy"), "-o", scratch.path("out.npy")])
        #expect(outcome.status == 0)
        // The file as the user named it, extension and all.
        #expect(outcome.stderr.hasPrefix("hint: \(scratch.path("image.npy")) has shape (32, 32, 3), which looks like an HxWxC image; pass --layout hwc\n"),
                "\(outcome.stderr)")
        // An archive's member as path:member.
        try NPZWriter.write(arrays: [("photo", NPYArray(shape: [32, 32, 3], values: [Float](repeating: 1, count: 3072)))], to: scratch.path("images.npz"))
        let member = try Executable.run(["apply", scratch.path("images.npz"), "-o", scratch.path("out.npy")])
        #expect(member.stderr.hasPrefix("hint: \(scratch.path("images.npz")):photo has shape (32, 32, 3)"), "\(member.stderr)")
        let told = try Executable.run(["apply", scratch.path("image.npy"), "-o", scratch.path("out.npy"), "--layout", "hwc"])
        #expect(!told.stderr.contains("hint:"))
    }

    /// Session 14's verification: `render zero.npz` said `input zero.npz`, `apply` the same file
    /// `input zero.npz:z`.
    @Test("render and apply name a bad member alike: path:member")
    func memberNamedAlike() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPZWriter.write(arrays: [("z", NPYArray(shape: [0, 4, 8, 8], values: []))], to: scratch.path("zero.npz"))
        let expected = "error: input \(scratch.path("zero.npz")):z has shape (0, 4, 8, 8): a zero-sized dimension, so no values\n"
        let render = try Executable.run(["render", scratch.path("zero.npz")])
        let apply = try Executable.run(["apply", scratch.path("zero.npz"), "-o", scratch.path("out.npy")])
        #expect(render.status == 1 && render.stderr == expected, "\(render.stderr)")
        #expect(apply.status == 1 && apply.stderr == expected, "\(apply.stderr)")
    }

    /// Session 14's verification: `stats --from acts.npz --layout nhwc` read (2, 64, 56, 56) as
    /// 64x56 maps of 56 channels without a word.
    @Test("a layout that gives non-square maps where the other channel end gives square ones gets a hint, given or by default")
    func channelEndHint() throws {
        let wrongLast = TensorLayout.hint(shape: [2, 64, 56, 56], name: "a.npz:x", given: .nhwc)
        #expect(wrongLast == "hint: a.npz:x (2, 64, 56, 56) read as nhwc gives 64x56 maps of 56 channels; "
                + "as nchw, 56x56 maps of 64: pass --layout nchw if that is meant")
        #expect(TensorLayout.hint(shape: [2, 56, 56, 64], name: "b", given: nil)?.hasSuffix("pass --layout nhwc if that is meant") == true)
        #expect(TensorLayout.hint(shape: [64, 7, 7], name: "c", given: .hwc)?.hasSuffix("pass --layout chw if that is meant") == true)
        // Not in 3D, where anisotropic volumes are the norm (round 25: a (1, 16, 32, 32, 32) ndhwc volume got one).
        #expect(TensorLayout.hint(shape: [1, 8, 8, 8, 32], name: "d", given: nil) == nil)
        #expect(TensorLayout.hint(shape: [1, 16, 32, 32, 32], name: "d", given: .ndhwc) == nil)
        // Square either way, non-square either way, no channel axis, or a map of one unit: no hint.
        for (shape, given) in [([2, 56, 56, 56], TensorLayout.nhwc), ([2, 64, 56, 56], .nchw), ([2, 16, 50, 68], .nchw),
                               ([2, 50, 68, 16], .nhwc), ([50, 68], .hw), ([4, 1, 1, 9], .nchw), ([1, 2, 2, 8], .nchw), ([1, 6, 6, 6, 8], .ncdhw)] {
            #expect(TensorLayout.hint(shape: shape, name: "e", given: given) == nil, "\(shape) as \(given)")
        }
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPYArray(shape: [2, 64, 8, 8], values: [Float](repeating: 1, count: 8192)).write(to: scratch.path("acts.npy"))
        let stats = try Executable.run(["stats", "--from", scratch.path("acts.npy"), "--layout", "nhwc", "--samples", "1", "--format", "csv"])
        #expect(stats.status == 0 && stats.stderr == "hint: \(scratch.path("acts.npy")) (2, 64, 8, 8) read as nhwc gives 64x8 maps of 8 channels; "
                + "as nchw, 8x8 maps of 64: pass --layout nchw if that is meant\n", "\(stats.stderr)")
        let viz = try Executable.run(["render", scratch.path("acts.npy"), "--layout", "nhwc", "--color", "never"])
        #expect(viz.status == 0 && viz.stderr.hasPrefix("hint: "), "\(viz.stderr)")
        let plain = try Executable.run(["stats", "--from", scratch.path("acts.npy"), "--samples", "1", "--format", "csv"])
        #expect(plain.status == 0 && !plain.stderr.contains("hint:"), "\(plain.stderr)")
    }
}
