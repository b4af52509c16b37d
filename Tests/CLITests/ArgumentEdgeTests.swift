import Foundation
import NumpyIO
import Testing
@testable import dropblock

@Suite("Options, stats rows and output paths: what the reliability review found")
struct ArgumentEdgeTests {
    @Test("an error row keeps every other column whole, and a run with only error rows fails")
    func errorRows() throws {
        let outcome = try Executable.run(["stats", "--size", "3x200", "--preset", "tf", "--block-size", "3"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("error: no requested preset can run"))
        let row = try #require(outcome.stdout.split(separator: "\n").dropFirst().first).split(separator: " ").map(String.init)
        #expect(Array(row.prefix(5)) == ["tf", "-", "3x200", "3", "0.1"], "\(row)")
    }

    @Test("a 3D size gives timm an error row beside the presets that can run")
    func threeDRows() throws {
        let outcome = try Executable.run(["stats", "--size", "8x16x16", "--preset", "timm,dropblock", "--block-size", "3", "--samples", "0"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("timm") && $0.contains("error: preset timm supports 2D input only") })
        #expect(lines.contains { $0.hasPrefix("dropblock") && $0.contains("8x16x16") && !$0.contains("error") })
    }

    @Test("every command takes block sizes up to the same bound; --channel past the file's channels is a usage error")
    func sharedBoundsAndUsage() throws {
        let stats = try Executable.run(["stats", "--size", "14x14", "--preset", "dropblock", "--block-size", "50000", "--samples", "0"])
        #expect(stats.status == 0, "\(stats.stderr)")
        for arguments in [["stats", "--block-size", "100001"], ["render", "--block-size", "100001"], ["bench", "--block-size", "100001"]] {
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 2 && outcome.stderr.contains("100000"), "\(arguments): \(outcome.stderr)")
        }
        let channel = try Executable.run(["render", "--channel", "16"])
        #expect(channel.status == 2 && channel.stderr.hasPrefix("error: --channel 16 is out of range"), "\(channel.stderr)")
        #expect(channel.stderr.split(separator: "\n").count == 1)
    }

    @Test("csv numbers are the shortest text that reads back as the same double")
    func csvNumbers() throws {
        let outcome = try Executable.run(["stats", "--size", "14x14", "--preset", "timm", "--block-size", "3", "--samples", "0", "--format", "csv"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let dropProb = try #require(header.firstIndex(of: "drop_prob")), gamma = try #require(header.firstIndex(of: "gamma"))
        #expect(cells[dropProb] == "0.1")
        let value = try #require(Double(cells[gamma]))
        #expect("\(value)" == cells[gamma])
        #expect(!outcome.stdout.contains("0000000000"), "\(outcome.stdout)")
    }

    @Test("stats refuses a size list that asks for unbounded work, and states the bound")
    func statsBound() throws {
        let outcome = try Executable.run(["stats", "--size", "4096x4096x4096"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("the limit is 1073741824"), "\(outcome.stderr)")
        let closedForm = try Executable.run(["stats", "--size", "4096x4096x64", "--samples", "0", "--preset", "dropblock", "--block-size", "7"])
        #expect(closedForm.status == 0, "\(closedForm.stderr)")
    }

    @Test("values that start with a dash are values: --keys --, --seed -1, --gamma-scale -1")
    func dashValues() throws {
        let minus = try Executable.run(["render", "--keys", "--", "--width", "120", "--height", "40", "--color", "never"])
        #expect(minus.status == 0, "\(minus.stderr)")
        #expect(minus.stdout.contains("block=5"), "two presses of '-' take block 7 to 5")
        let seed = try Executable.run(["stats", "--seed", "-1"])
        #expect(seed.status == 2 && seed.stderr.contains("'-1' is invalid for '--seed"), "\(seed.stderr)")
        let scale = try Executable.run(["apply", "x.npy", "-o", "y.npy", "--preset", "timm", "--gamma-scale", "-1"])
        #expect(scale.status == 2 && scale.stderr.contains("--gamma-scale must be a finite number >= 0, got -1"), "\(scale.stderr)")
    }

    /// Round 19: `--keys=''` reached the parser as `--keys=`, which took the next argument as
    /// its value: `--width` was pressed as keys and `80` read as the input file.
    @Test("an empty attached value stays empty: --keys= does not take the next argument, --width= is an empty width")
    func emptyAttachedValues() throws {
        let keys = try Executable.run(["render", "--keys=", "--width", "80", "--height", "24", "--color", "never"])
        #expect(keys.status == 0, "\(keys.stderr)")
        #expect(keys.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "the frame is 80 wide")
        let width = try Executable.run(["render", "--width=", "80"])
        #expect(width.status == 2 && width.stderr.contains("The value '' is invalid for '--width"), "\(width.stderr)")
        // After a bare `--` an argument is positional, even one ending in '='.
        #expect(Entry.splitEmptyValues(["--keys=", "--", "--x="]) == ["--keys", "", "--", "--x="])
        #expect(Entry.splitEmptyValues(["--keys=a=", "--=", "-k="]) == ["--keys=a=", "--=", "-k="])
    }

    /// Session 14's verification: `--keys --width 80` pressed `--width` and said only
    /// `cannot read input 80`.
    @Test("--keys followed by an option's name is refused with both spellings; --keys=--width presses the keys")
    func keysBeforeAnOption() throws {
        let forgot = try Executable.run(["render", "--keys", "--width", "80", "--color", "never"])
        #expect(forgot.status == 2 && forgot.stderr == "error: --keys took '--width' as its keys, which reads as an option: "
                + "give --keys its keys first (--keys 'tt' --width ...), or write --keys=--width to press those keys\n", "\(forgot.stderr)")
        // `w` among those keys writes the draw: into a scratch folder, not the package's.
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let attached = try Executable.run(["render", "--keys=--width", "--width", "80", "--height", "24", "--color", "never"], in: scratch.url.path)
        #expect(attached.status == 0 && FileManager.default.fileExists(atPath: scratch.path("dropblock-draw-0.npz")), "\(attached.stderr)")
        #expect(throws: UsageError.self) { try Entry.checkKeysValue(["render", "--keys", "--seed-mode"]) }
        #expect(throws: UsageError.self) { try Entry.checkKeysValue(["render", "--keys", "-o", "f.png"]) }
        // Minus keys, short names and arguments after a bare `--` are not options' names.
        #expect(throws: Never.self) { try Entry.checkKeysValue(["--keys", "--x", "--keys", "-h", "--keys=--width", "--", "--keys", "--width"]) }
    }

    /// Round 24: `stats --image-size 224` printed the default table without a word, and
    /// `apply -o out.npz` wrote a .npy under that name.
    @Test("--image-size without --network, and an apply output named for another format, are refused")
    func ignoredOrMisnamed() throws {
        let size = try Executable.run(["stats", "--image-size", "224"])
        #expect(size.status == 2 && size.stderr == "error: --image-size sizes the --network stages, and no --network is given\n", "\(size.stderr)")
        let network = try Executable.run(["stats", "--network", "resnet18", "--image-size", "64", "--samples", "0", "--format", "csv"])
        #expect(network.status == 0 && network.stdout.contains("8x8"), "\(network.stderr)")
        for (option, name) in [("-o", "out.npz"), ("--mask-output", "mask.safetensors"), ("-o", "OUT.PNG")] {
            var arguments = ["apply", "x.npy", "-o", "y.npy", "--mask-output", "m.npy"]
            arguments[arguments.firstIndex(of: option == "-o" ? "y.npy" : "m.npy") ?? 0] = name
            let outcome = try Executable.run(arguments)
            let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
            #expect(outcome.status == 2 && outcome.stderr.contains(": apply writes a float32 .npy file, not .\(ext); name it .npy"), "\(outcome.stderr)")
        }
    }

    /// Round 24: a repeated size, preset, block size or p printed the same rows again, and
    /// `--image-size 3` gave four identical 1x1 stage rows.
    @Test("stats gives each size, preset, block size and p once; network stages of one size share a row")
    func statsRowsOnce() throws {
        let repeated = try Executable.run(["stats", "--size", "7x7", "--size", "7X7", "--block-size", "3,3", "--drop-prob", "0.1,0.10",
                                           "--preset", "tf", "--preset", "tf", "--samples", "0", "--format", "csv"])
        #expect(repeated.status == 0 && repeated.stdout.split(separator: "\n").count == 2, "\(repeated.stdout)")
        let tiny = try Executable.run(["stats", "--network", "resnet18", "--image-size", "3", "--preset", "tf", "--block-size", "1",
                                       "--samples", "0", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(tiny.stdout.utf8)) as? [[String: Any]], "\(tiny.stdout)")
        #expect(rows.count == 1 && rows.first?["stage"] as? String == "conv2_x", "\(tiny.stdout)")
        #expect(rows.first?["same_size"] as? [String] == ["conv3_x", "conv4_x", "conv5_x"], "\(tiny.stdout)")
        // A --size the file or the network already has adds no row.
        let network = try Executable.run(["stats", "--network", "resnet18", "--size", "7x7", "--preset", "tf", "--block-size", "1",
                                          "--samples", "0", "--format", "csv"])
        #expect(network.stdout.split(separator: "\n").count == 5, "\(network.stdout)")
        #expect([3, 1, 3, 2, 1].distinctInOrder() == [3, 1, 2])
    }

    /// Round 21: `dropblock stat` reached the visualizer as a FILE named `stat`.
    @Test("a mistyped subcommand is named as one: did you mean 'dropblock stats'; a real missing file is not")
    func mistypedSubcommand() throws {
        let typo = try Executable.run(["stat", "--size", "7x7"])
        #expect(typo.status == 2 && typo.stderr == "error: no file named 'stat', and no subcommand of that name: did you mean 'dropblock stats'?\n",
                "\(typo.stderr)")
        let render = try Executable.run(["render", "rendr"])
        #expect(render.stderr.contains("did you mean 'dropblock render'?"), "\(render.stderr)")
        let file = try Executable.run(["render", "frobnicate.npy"])
        #expect(file.status == 1 && file.stderr.contains("cannot read input frobnicate.npy"), "\(file.stderr)")
        #expect(SubcommandSuggestion.meant(by: "frobnicate") == nil && SubcommandSuggestion.meant(by: "stats.npy") == nil)
        #expect(SubcommandSuggestion.meant(by: "ben") == "bench" && SubcommandSuggestion.meant(by: "aply") == "apply")
        #expect(SubcommandSuggestion.editDistance("kitten", "sitting") == 3 && SubcommandSuggestion.editDistance("", "viz") == 3)
        #expect(!SubcommandSuggestion.names.contains("copy-file"), "the bench's helper is not offered")
    }

    @Test("a value outside a list of choices: one error line that names the choices")
    func choices() throws {
        let outcome = try Executable.run(["apply", "x.npy", "-o", "y.npy", "--layout", "xyz"])
        #expect(outcome.status == 2 && outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("nchw") && outcome.stderr.contains("ndhwc"), "\(outcome.stderr)")
    }

    @Test("a flag the preset ignores is refused, naming the flag and the preset")
    func ignoredFlags() throws {
        for flag in ["--with-noise", "--no-couple-channels", "--scale-by-keep"] {
            let outcome = try Executable.run(["apply", "x.npy", "-o", "y.npy", "--preset", "torchvision", flag])
            #expect(outcome.status == 2, "\(flag): \(outcome.stderr)")
            #expect(outcome.stderr.contains("is a timm option; preset torchvision ignores it"), "\(flag): \(outcome.stderr)")
        }
    }

    @Test("output paths are checked before any work: a folder, a missing folder; nothing is written")
    func outputPaths() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let input = scratch.path("in.npy")
        try NPYArray(shape: [1, 2, 8, 8], values: [Float](repeating: 1, count: 128)).write(to: input)
        let folder = try Executable.run(["apply", input, "-o", scratch.url.path])
        #expect(folder.status == 1 && folder.stderr == "error: cannot write output \(scratch.url.path): is a directory\n", "\(folder.stderr)")
        let mask = try Executable.run(["apply", input, "-o", scratch.path("out.npy"), "--mask-output", scratch.path("no/mask.npy")])
        #expect(mask.status == 1 && mask.stderr.contains("folder \(scratch.path("no")) does not exist"), "\(mask.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out.npy")))
    }

    /// A write goes through a temporary file and a rename, and a rename replaces whatever the
    /// name is: `apply -o /dev/null` as root made the system's /dev/null a regular file, and
    /// `-o link.npy` replaced the link. Links are followed, and a FIFO (like a device, which a
    /// test cannot make without root) is written in place.
    @Test("outputs through a link write the file it names; a FIFO is written in place and stays a FIFO")
    func linksAndSpecialFiles() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let input = scratch.path("in.npy"), plain = scratch.path("plain.npy")
        try NPYArray(shape: [1, 2, 8, 8], values: (0..<128).map { Float($0) }).write(to: input)
        let reference = try Executable.run(["apply", input, "-o", plain, "--seed", "4"])
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: plain))
        for (flag, name) in [("-o", "out"), ("--mask-output", "mask")] {
            let real = scratch.path("\(name)-real.npy"), link = scratch.path("\(name)-link.npy")
            FileManager.default.createFile(atPath: real, contents: Data())
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
            let outputs = flag == "-o" ? ["-o", link] : ["-o", scratch.path("o.npy"), "--mask-output", link]
            let outcome = try Executable.run(["apply", input, "--seed", "4"] + outputs)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real, "\(flag): the link stays")
            #expect(try Data(contentsOf: URL(fileURLWithPath: real)).count > 128, "\(flag): the file it names is written")
            if flag == "-o" { #expect(try Data(contentsOf: URL(fileURLWithPath: real)) == expected) }
        }
        let figureReal = scratch.path("figure.svg"), figureLink = scratch.path("figure-link.svg")
        FileManager.default.createFile(atPath: figureReal, contents: Data())
        try FileManager.default.createSymbolicLink(atPath: figureLink, withDestinationPath: figureReal)
        let figure = try Executable.run(["render", "--format", "svg", "--output", figureLink])
        #expect(figure.status == 0, "\(figure.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: figureLink) == figureReal)
        #expect(try String(contentsOfFile: figureReal, encoding: .utf8).contains("<svg"))
        // A FIFO: a reader drains it while apply writes; it stays a FIFO, and gets the bytes.
        let fifo = scratch.path("pipe.npy")
        #expect(mkfifo(fifo, 0o644) == 0)
        let reader = Process()
        // Bounded: were the FIFO replaced, no writer would ever open it.
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        reader.arguments = ["20", "cat", fifo]
        let drained = Pipe()
        reader.standardOutput = drained
        try reader.run()
        let outcome = try Executable.run(["apply", input, "-o", fifo, "--seed", "4"])
        let bytes = drained.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(bytes == expected)
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO, "the FIFO stays a FIFO")
    }
}
