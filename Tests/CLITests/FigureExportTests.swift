import Foundation
import Testing

@Suite("render --format svg|png, end to end")
struct FigureExportTests {
    @Test("svg and png figures are written to --output; the SVG is the same frame the text shows")
    func figures() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let common = ["render", "--width", "100", "--height", "30", "--keys", "]]", "--preset", "timm"]
        let svg = try Executable.run(common + ["--format", "svg", "-o", scratch.path("f.svg")])
        let png = try Executable.run(common + ["--format", "png", "-o", scratch.path("f.png"), "--scale", "1"])
        #expect(svg.status == 0 && png.status == 0, "\(svg.stderr)\(png.stderr)")
        let document = try String(contentsOfFile: scratch.path("f.svg"), encoding: .utf8)
        #expect(document.hasPrefix("<?xml") && document.contains("width=\"1200\" height=\"720\""), "scale 2 by default")
        let text = try Executable.run(common + ["--color", "never"])
        let status = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("preset=timm") })
        let realized = try #require(status.split(separator: " ").first { $0.hasPrefix("realized=") })
        #expect(document.contains(realized), "the figure's status says \(realized) as the text frame does")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.path("f.png")))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(bytes[16..<24]) == [0, 0, 2, 88, 0, 0, 1, 104], "600x360 in IHDR")
    }

    @Test("a png needs --output, and the figure's size is bounded", arguments: [
        (["--format", "png"], "--format png needs --output FILE"),
        (["--format", "svg", "-o", "/tmp/x.svg", "--scale", "9"], "--scale must be in 1...8"),
        (["--format", "png", "-o", "/tmp/x.png", "--width", "1000", "--height", "1000", "--scale", "8"], "the limit is"),
    ])
    func bounds(arguments: [String], phrase: String) throws {
        let outcome = try Executable.run(["render"] + arguments)
        #expect(outcome.status == 2 && outcome.stderr.contains(phrase), "\(outcome.stderr)")
    }
}
