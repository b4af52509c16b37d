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
        #expect(document.hasPrefix("<?xml"))
        // The figure drops the key hint and the terminal's unused rows: narrower than 100 columns x 12, shorter than 30 rows x 24.
        let size = try #require(document.range(of: "width=\"(\\d+)\" height=\"(\\d+)\"", options: .regularExpression)).lowerBound
        let numbers = document[size...].prefix(40).split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let (svgWidth, svgHeight) = (numbers[0], numbers[1])
        #expect(svgWidth <= 1200 && svgHeight < 720 && svgHeight % 24 == 0, "\(svgWidth)x\(svgHeight)")
        #expect(!document.contains("all keys"), "no key hint in a figure")
        let text = try Executable.run(common + ["--color", "never"])
        let status = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("preset=timm") })
        let realized = try #require(status.split(separator: " ").first { $0.hasPrefix("realized=") })
        #expect(document.contains(realized), "the figure's status says \(realized) as the text frame does")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.path("f.png")))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let ihdr = Array(bytes[16..<24]).map(Int.init)
        let (pngWidth, pngHeight) = (ihdr[0] << 24 | ihdr[1] << 16 | ihdr[2] << 8 | ihdr[3], ihdr[4] << 24 | ihdr[5] << 16 | ihdr[6] << 8 | ihdr[7])
        #expect(2 * pngWidth == svgWidth && 2 * pngHeight == svgHeight, "scale 1 is half of scale 2: \(pngWidth)x\(pngHeight)")
        // Without --format, the extension chooses.
        let inferred = try Executable.run(common + ["-o", scratch.path("g.svg")])
        let inferredText = try String(contentsOfFile: scratch.path("g.svg"), encoding: .utf8)
        #expect(inferred.status == 0 && inferredText.hasPrefix("<?xml"))
    }

    @Test("a png needs --output, the figure's size is bounded, --format agrees with --output's extension, and --scale is for figures", arguments: [
        (["--format", "png"], "--format png needs --output FILE"),
        (["--format", "svg", "-o", "/tmp/x.svg", "--scale", "9"], "--scale must be in 1...8"),
        (["--format", "png", "-o", "/tmp/x.png", "--width", "1000", "--height", "1000", "--scale", "8"], "the limit is"),
        // Round 23: SVG written into a.png, and a scale ignored for text, without a word.
        (["--format", "svg", "-o", "/tmp/x.png"], "--format svg disagrees with --output /tmp/x.png, whose extension names png"),
        (["--format", "text", "-o", "/tmp/x.svg"], "--format text disagrees with --output /tmp/x.svg, whose extension names svg"),
        (["--format", "png", "-o", "/tmp/x.ans"], "--format png disagrees with --output /tmp/x.ans, whose extension names text"),
        (["--scale", "3"], "--scale sizes svg and png figures; text output has none"),
        (["--scale", "1", "-o", "/tmp/x.txt"], "--scale sizes svg and png figures"),
    ])
    func bounds(arguments: [String], phrase: String) throws {
        let outcome = try Executable.run(["render"] + arguments)
        #expect(outcome.status == 2 && outcome.stderr.contains(phrase), "\(outcome.stderr)")
    }
}
