import DropBlock
import Foundation
import NumpyIO
import Testing
import ZIPFoundation

/// `w` in the visualizer writes the shown draw and the `dropblock apply` command that
/// reproduces it; `apply --draw K --first-sample S` makes the visualizer's draw K of sample S.
@Suite("Draws on screen, reproduced from the command line, both ways")
struct DrawReplayTests {
    /// The `params.json` member of a written draw.
    static func parameters(_ path: String) throws -> [String: Any] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        let entry = try #require(archive["params.json"])
        var json = Data()
        _ = try archive.extract(entry) { json.append($0) }
        return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    @Test("w, then the command it wrote: the same mask, for every preset, 2D and 3D",
          arguments: [(["--preset", "dropblock"], 28), (["--preset", "torchvision"], 28), (["--preset", "timm"], 28),
                      (["--preset", "tf"], 28), (["--preset", "kerascv"], 28), (["--preset", "dropblock", "--3d-demo"], 0), (["--preset", "torchvision", "--3d-demo"], 0)])
    func writeThenApply(preset: [String], mapSize: Int) throws {
        // The embedded sample has two samples (j shows the second); the 3D demo one.
        let sample = mapSize > 0 ? 1 : 0
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let size = mapSize > 0 ? ["--map-size", String(mapSize)] : []
        let shown = try Executable.run(["render", "--block-size", "3", "--drop-prob", "0.3", "--seed", "9", "--keys", sample == 1 ? "  jnw" : "  .nw",
                                        "--color", "never"] + preset + size, in: scratch.url.path)
        #expect(shown.status == 0, "\(shown.stderr)")
        let file = scratch.path("dropblock-draw-2.npz")
        #expect(shown.stdout.contains("wrote \(file) (draw 2, sample \(sample))"), "\(shown.stdout)")
        let parameters = try Self.parameters(file)
        #expect(parameters["draw"] as? Int == 2 && parameters["sample"] as? Int == sample && parameters["seed"] as? Int == 9)
        // The version whose draws made the mask: the one `--version` prints.
        let version = try Executable.run(["--version"])
        #expect(version.status == 0 && parameters["dropblock_version"] as? String == version.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let command = try #require(parameters["command"] as? String).split(separator: " ").map(String.init)
        #expect(Array(command.prefix(3)) == ["dropblock", "apply", "dropblock-draw-2.npz"])
        let replay = try Executable.run(Array(command.dropFirst()), in: scratch.path(""))
        #expect(replay.status == 0, "\(command): \(replay.stderr)")
        let archive = try NPZArchive(contentsOf: file)
        let written = try archive.array(named: "keep_mask")
        let replayed = try NPYArray(contentsOf: scratch.path("draw-2-mask.npy"))
        #expect(replayed.shape == written.shape && replayed.values == written.values, "\(preset)")
        #expect(written.values.contains(0) && written.values.contains(1), "\(preset): a mask with both values")
        let output = try NPYArray(contentsOf: scratch.path("draw-2-output.npy"))
        #expect(output.values == (try archive.array(named: "output")).values, "\(preset): the same output")
    }

    @Test("w never overwrites: the same draw of another sample goes to dropblock-draw-K-2.npz, with its own command")
    func writeTwice() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        // Draw 0 of sample 0, then of sample 1 (j): the second file must not replace the first.
        let shown = try Executable.run(["render", "--preset", "torchvision", "--block-size", "3", "--drop-prob", "0.3", "--keys", "wjw",
                                        "--color", "never"], in: scratch.url.path)
        #expect(shown.status == 0, "\(shown.stderr)")
        let first = scratch.path("dropblock-draw-0.npz"), second = scratch.path("dropblock-draw-0-2.npz")
        #expect(shown.stdout.contains("wrote \(second) (draw 0, sample 1)"), "\(shown.stdout)")
        #expect(try Self.parameters(first)["sample"] as? Int == 0)
        let parameters = try Self.parameters(second)
        #expect(parameters["sample"] as? Int == 1)
        let command = try #require(parameters["command"] as? String).split(separator: " ").map(String.init)
        #expect(command.contains("draw-0-2-mask.npy") && command.contains("dropblock-draw-0-2.npz"), "\(command)")
        let replay = try Executable.run(Array(command.dropFirst()), in: scratch.path(""))
        #expect(replay.status == 0, "\(replay.stderr)")
        let written = try NPZArchive(contentsOf: second).array(named: "keep_mask")
        #expect(try NPYArray(contentsOf: scratch.path("draw-0-2-mask.npy")).values == written.values)
    }

    @Test("apply --draw K on a batch makes, for every sample, the mask the visualizer shows for it at draw K")
    func applyThenScreen() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let shape = [3, 4, 12, 12]
        try NPYArray(shape: shape, values: (0..<shape.reduce(1, *)).map { Float(($0 * 37) % 101) / 50 }).write(to: scratch.path("batch.npy"))
        for preset in ["dropblock", "torchvision"] {
            let common = ["--preset", preset, "--block-size", "3", "--drop-prob", "0.4", "--seed", "21"]
            let applied = try Executable.run(["apply", scratch.path("batch.npy"), "-o", scratch.path("out.npy"),
                                              "--mask-output", scratch.path("mask.npy"), "--draw", "3"] + common)
            #expect(applied.status == 0, "\(applied.stderr)")
            let mask = try NPYArray(contentsOf: scratch.path("mask.npy"))
            let perSample = mask.values.count / 3
            for sample in 0..<3 {
                let keys = "   " + String(repeating: "j", count: sample) + "w"
                let shown = try Executable.run(["render", scratch.path("batch.npy"), "--keys", keys] + common, in: scratch.url.path)
                #expect(shown.status == 0, "\(shown.stderr)")
                let written = scratch.path("dropblock-draw-3.npz")
                let screen = try NPZArchive(contentsOf: written).array(named: "keep_mask")
                #expect(screen.values == Array(mask.values[(sample * perSample)..<((sample + 1) * perSample)]), "\(preset) sample \(sample)")
                // `w` never overwrites: make room for the next sample's file under the same name.
                try FileManager.default.removeItem(atPath: written)
            }
        }
    }

    /// `--seed` with `--noise` was ignored without a word, while `--draw` was refused (new-user round 16).
    @Test("--draw, --first-sample and --seed are bounded, and do not mix with --noise but for timm's fill seed")
    func bounds() throws {
        for (arguments, phrase) in [(["--draw", "17592186044416"], "--draw must be at most"), (["--first-sample", "-1"], "--first-sample must be in"),
                                    (["--noise", "n.npy", "--draw", "1"], "--draw chooses a seeded draw; --noise replays a recorded one"),
                                    (["--noise", "n.npy", "--seed", "9"], "--seed chooses a seeded draw; --noise replays"),
                                    // An explicit default is refused too: it was accepted for --draw and --first-sample alone.
                                    (["--noise", "n.npy", "--seed", "0"], "--seed chooses"),
                                    (["--noise", "n.npy", "--draw", "0"], "--draw chooses"),
                                    (["--noise", "n.npy", "--first-sample", "0"], "--first-sample chooses"),
                                    // Every one given is named at once.
                                    (["--noise", "n.npy", "--seed", "1", "--draw", "1", "--first-sample", "1"],
                                     "--seed, --draw and --first-sample choose a seeded draw"),
                                    (["--preset", "timm", "--with-noise", "--noise", "n.npy", "--normal-noise", "g.npy", "--seed", "9"],
                                     "--seed chooses a seeded draw; --noise replays a recorded one instead (--seed still seeds timm's"),
                                    // Another preset is told to add --preset timm, not --with-noise alone.
                                    (["--noise", "n.npy", "--normal-noise", "g.npy"], "it needs --preset timm, --with-noise and --noise")] {
            let outcome = try Executable.run(["apply", "x.npy", "-o", "y.npy"] + arguments)
            #expect(outcome.status == 2 && outcome.stderr.contains(phrase), "\(outcome.stderr)")
        }
    }
}
