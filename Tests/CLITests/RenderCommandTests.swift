import Foundation
import NumpyIO
import Testing

/// `dropblock render`: every option has an effect, and every kind of input file is shown.
@Suite("dropblock render, end to end")
struct RenderCommandTests {
    static let base = ["render", "--color", "never", "--width", "120", "--height", "40"]

    /// Renders with the base options plus `arguments`; the frame as text.
    static func render(_ arguments: [String]) throws -> String {
        let outcome = try Executable.run(base + arguments)
        #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        return outcome.stdout
    }

    static func status(_ frame: String, _ key: String) -> String? { VisualizerTerminalTests.status(frame, key) }

    static func words(_ frame: String) -> [Substring] { frame.split(whereSeparator: { $0 == " " || $0 == "\n" }) }

    @Test("the parameter options show in the status line and change the draw")
    func parameterOptions() throws {
        let frame = try Self.render([])
        #expect(Self.status(frame, "preset") == "dropblock" && Self.status(frame, "block") == "7")
        #expect(Self.status(frame, "drop_prob") == "0.1" && Self.status(frame, "seed") == "0")

        #expect(Self.status(try Self.render(["--preset", "torchvision"]), "preset") == "torchvision")
        #expect(Self.status(try Self.render(["--block-size", "5"]), "block") == "5")
        #expect(Self.status(try Self.render(["--drop-prob", "0.3"]), "drop_prob") == "0.3")
        // Another seed draws another mask: the frames differ beyond the seed field.
        let seeded = try Self.render(["--seed", "9"])
        #expect(Self.status(seeded, "seed") == "9")
        #expect(seeded.replacingOccurrences(of: "seed=9", with: "seed=0") != frame)
        // Calibrated: the expected dropped fraction is p.
        let calibrated = try Self.render(["--calibrated"])
        #expect(Self.words(calibrated).contains("calibrated") && Self.status(calibrated, "expected") == "0.1")
        #expect(Self.status(frame, "expected") != "0.1" && !Self.words(frame).contains("calibrated"))
    }

    @Test("--schedule sets the scheduler the s key steps")
    func schedule() throws {
        #expect(Self.status(try Self.render([]), "step") == "0/10")
        #expect(Self.status(try Self.render(["--schedule", "0:0.2:4"]), "step") == "0/4")
        let stepped = try Self.render(["--schedule", "0.05:0.2:4", "--keys", "ss"])
        #expect(Self.status(stepped, "step") == "2/4" && Self.status(stepped, "drop_prob") == "0.1")
    }

    @Test("a schedule of 2^63 - 1 steps renders and steps (its values were allocated at once and crashed)")
    func hugeSchedule() throws {
        let frame = try Self.render(["--schedule", "0:0.5:9223372036854775807", "--keys", "ss"])
        #expect(Self.status(frame, "step") == "2/9223372036854775807", "\(frame)")
    }

    @Test("--output: .txt is plain text, .ans ANSI; an unknown extension is a usage error without --format")
    func outputExtensions() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        #expect(try Executable.run(["render", "-o", scratch.path("f.txt")]).status == 0)
        let plain = try String(contentsOfFile: scratch.path("f.txt"), encoding: .utf8)
        #expect(!plain.contains("\u{1B}[") && plain.hasPrefix("dropblock"), "\(plain.prefix(80))")
        #expect(try Executable.run(["render", "-o", scratch.path("f.ans")]).status == 0)
        #expect(try String(contentsOfFile: scratch.path("f.ans"), encoding: .utf8).contains(";38;2;"))
        let gif = try Executable.run(["render", "-o", scratch.path("f.gif")])
        #expect(gif.status == 2 && gif.stderr.hasPrefix("error: ") && gif.stderr.contains(".gif"), "\(gif.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("f.gif")))
        #expect(try Executable.run(["render", "-o", scratch.path("f.gif"), "--format", "text"]).status == 0)
    }

    @Test("a lone -inf is data, not the scale's bottom: the legend still says zero, as for the same file without it")
    func negativeInfinityIsNotLowest() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        var values = (0..<768).map { Float($0 % 5) }
        values[0] = -.infinity
        try NPYArray(shape: [1, 3, 16, 16], values: values).write(to: scratch.path("inf.npy"))
        values[1] = -1
        try NPYArray(shape: [1, 3, 16, 16], values: values).write(to: scratch.path("negative.npy"))
        // The long wording says `blank zero` / `blank lowest`, the short one `blank 0` / `blank low`.
        let withInfinity = try Self.render([scratch.path("inf.npy")])
        #expect((withInfinity.contains("blank zero") || withInfinity.contains("blank 0 ")) && !withInfinity.contains("blank low"), "\(withInfinity)")
        let negative = try Self.render([scratch.path("negative.npy")])
        #expect(negative.contains("blank lowest") || negative.contains("blank low "), "\(negative)")
    }

    @Test("--keys presses keys before rendering")
    func keys() throws {
        let frame = try Self.render(["--keys", "++]x"])
        #expect(Self.status(frame, "block") == "9" && Self.status(frame, "drop_prob") == "0.11")
        #expect(frame.contains("dropout output"))
        #expect(!(try Self.render([])).contains("dropout output"))
    }

    @Test("--channel, --map-size and --3d-demo choose what is shown")
    func inputOptions() throws {
        let channel = try Self.render(["--channel", "3"])
        #expect(Self.status(channel, "channel") == "3/16" && channel.contains("input c3 28x28"))
        let small = try Self.render(["--map-size", "14"])
        #expect(small.hasPrefix("dropblock  embedded photo features  (2, 16, 14, 14)  2D"))
        #expect(small.contains("input c0 14x14"))
        let volume = try Self.render(["--3d-demo"])
        #expect(volume.split(separator: "\n").first?.hasSuffix("3D") == true, "\(volume)")
        #expect(Self.status(volume, "slice") == "0/16")
        // --map-size sizes the embedded photograph only: beside a file or the volume it is refused, not ignored.
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try NPYArray(shape: [1, 2, 8, 8], values: [Float](repeating: 1, count: 128)).write(to: scratch.path("maps.npy"))
        for extra in [["--3d-demo"], [scratch.path("maps.npy")]] {
            let refused = try Executable.run(["render", "--map-size", "14"] + extra)
            #expect(refused.status != 0 && refused.stderr.contains("--map-size sizes the embedded photograph's maps: it takes no FILE or --3d-demo"),
                    "\(extra): \(refused.stderr)")
        }
    }

    @Test("--width and --height size the frame")
    func size() throws {
        let frame = try Self.render(["--width", "80", "--height", "24"])
        let lines = frame.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 25 && lines.last == "", "\(lines.count) lines")
        #expect(lines.allSatisfy { $0.count <= 80 })
        // The key hint keeps whole entries: fewer at 80 columns than at 120, and both end with "? all keys".
        let wide = try Self.render([]).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(wide.count == 41)
        let hint = try #require(wide.dropLast().last), short = try #require(lines.dropLast().last)
        #expect(hint.hasSuffix("? all keys") && short.hasSuffix("? all keys") && short.count < hint.count, "\(short)")
    }

    /// The SGR parameters of every escape sequence in `text`.
    static func sgrCodes(_ text: String) -> [Int] {
        var codes: [Int] = []
        for chunk in text.components(separatedBy: "\u{1B}[").dropFirst() {
            guard let end = chunk.firstIndex(of: "m") else { continue }
            codes += chunk[..<end].split(separator: ";").compactMap { Int($0) }
        }
        return codes
    }

    @Test("--color picks the escape codes of each tier")
    func color() throws {
        func render(_ color: String) throws -> String {
            let outcome = try Executable.run(["render", "--color", color])
            #expect(outcome.status == 0, "\(color): \(outcome.stderr)")
            return outcome.stdout
        }
        // auto: stdout is a pipe here, so plain text, as with never.
        for plain in ["never", "auto"] { #expect(!(try render(plain)).contains("\u{1B}"), "\(plain)") }
        let eight = Self.sgrCodes(try render("8"))
        #expect(!eight.isEmpty && eight.allSatisfy { [0, 1, 2, 7].contains($0) || (30...37).contains($0) || (40...47).contains($0) }, "\(Set(eight))")
        let sixteen = Self.sgrCodes(try render("16"))
        #expect(sixteen.contains { (90...97).contains($0) || (100...107).contains($0) }, "\(Set(sixteen))")
        let indexed = try render("256")
        #expect(indexed.contains(";38;5;") && !indexed.contains(";38;2;"))
        let direct = try render("truecolor")
        #expect(direct.contains(";38;2;") && !direct.contains(";38;5;"))
    }

    /// A 16x16 pattern of 0 and 1 (exact in every reader), with a different pattern per channel.
    static func pattern(channel: Int) -> [Float] {
        (0..<256).map { i in ((i / 16) / (4 + channel) + (i % 16) / 4) % 2 == 0 ? 1 : 0 }
    }

    static func netpbm(magic: String, channels: Int) -> Data {
        var data = Data("\(magic)\n16 16\n255\n".utf8)
        let planes = (0..<channels).map { pattern(channel: $0) }
        for i in 0..<256 { for c in 0..<channels { data.append(planes[c][i] == 1 ? 255 : 0) } }
        return data
    }

    /// The input panel's rows (left of the second panel) below its title.
    static func inputPanel(_ frame: String) -> [Substring] {
        frame.split(separator: "\n").dropFirst(2).prefix(16).map { $0.prefix(18) }
    }

    @Test("PGM, PPM and rank-2 and rank-3 .npy files are shown with their shapes and values")
    func inputFiles() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        try Self.netpbm(magic: "P5", channels: 1).write(to: URL(fileURLWithPath: scratch.path("grey.pgm")))
        try Self.netpbm(magic: "P6", channels: 3).write(to: URL(fileURLWithPath: scratch.path("colour.ppm")))
        try NPYArray(shape: [16, 16], values: Self.pattern(channel: 0)).write(to: scratch.path("plane.npy"))
        try NPYArray(shape: [3, 16, 16], values: (0..<3).flatMap { Self.pattern(channel: $0) }).write(to: scratch.path("stack.npy"))

        let grey = try Self.render([scratch.path("grey.pgm")])
        #expect(grey.hasPrefix("dropblock  grey.pgm  (1, 1, 16, 16)  2D"), "\(grey)")
        #expect(Self.status(grey, "channel") == "0/1")
        let plane = try Self.render([scratch.path("plane.npy")])
        #expect(plane.hasPrefix("dropblock  plane.npy  (16, 16) hw as (1, 1, 16, 16)  2D"), "\(plane)")
        // The same values through both readers draw the same input panel.
        #expect(Self.inputPanel(grey) == Self.inputPanel(plane))

        let colour = try Self.render([scratch.path("colour.ppm")])
        #expect(colour.hasPrefix("dropblock  colour.ppm  (1, 3, 16, 16)  2D"), "\(colour)")
        #expect(Self.status(colour, "channel") == "0/3")
        let stack = try Self.render([scratch.path("stack.npy")])
        #expect(stack.hasPrefix("dropblock  stack.npy  (3, 16, 16) chw as (1, 3, 16, 16)  2D"), "\(stack)")
        // Channel by channel, the PPM's planes are the rank-3 array's, and they differ.
        let colourSecond = try Self.render([scratch.path("colour.ppm"), "--keys", "n"])
        let stackSecond = try Self.render([scratch.path("stack.npy"), "--keys", "n"])
        #expect(Self.status(colourSecond, "channel") == "1/3")
        #expect(Self.inputPanel(colour) == Self.inputPanel(stack) && Self.inputPanel(colourSecond) == Self.inputPanel(stackSecond))
        #expect(Self.inputPanel(colour) != Self.inputPanel(colourSecond))
        #expect(Self.inputPanel(grey) == Self.inputPanel(colour), "channel 0 of both is the same pattern")
    }
}
