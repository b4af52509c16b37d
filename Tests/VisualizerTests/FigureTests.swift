import CZlibShim
import DropBlock
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PNGEncoding
import Testing
@testable import Visualizer

/// SVG and PNG figures of a frame: well-formed, and showing exactly the frame's pixels and text.
@Suite("Figures: SVG and PNG exports of a frame")
struct FigureTests {
    static func frame(tier: ColorTier) throws -> Frame {
        let model = try Fixtures.model(preset: .torchvision, blockSize: 3, dropProb: 0.3)
        return FrameRenderer(tier: tier).render(model, width: 100, height: 30)
    }

    /// The upper and lower pixel colours the test expects of a cell, worked out from the glyph alone.
    static func halves(_ cell: Cell, tier: ColorTier) -> (RGB, RGB) {
        let palette = FigurePalette.dark
        var fg = cell.fg.map { tier.shown($0) } ?? palette.foreground
        var bg = cell.bg.map { tier.shown($0) } ?? palette.background
        if cell.attributes.contains(.reverse) { swap(&fg, &bg) }
        switch cell.glyph {
        case "▀": return (fg, bg)
        case "▄": return (bg, fg)
        case "█": return (fg, fg)
        case "░": return (RGB.mix(bg, fg, 0.25), RGB.mix(bg, fg, 0.25))
        case "▒": return (RGB.mix(bg, fg, 0.5), RGB.mix(bg, fg, 0.5))
        case "▓": return (RGB.mix(bg, fg, 0.75), RGB.mix(bg, fg, 0.75))
        default: return (bg, bg)
        }
    }

    @Test("the SVG is well-formed XML whose rectangles paint every half-cell in the frame's colour", arguments: [ColorTier.truecolor, .ansi256, .ansi8])
    func svgPixels(tier: ColorTier) throws {
        let frame = try Self.frame(tier: tier)
        let svg = SVGFigure.document(frame, tier: tier)
        let collector = SVGCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        #expect(collector.size == (frame.width * 6, frame.height * 12))
        // Paint the rectangles (in order) onto a grid of half-cells and compare with the frame.
        var grid = [[RGB]](repeating: [RGB](repeating: FigurePalette.dark.background, count: frame.width), count: frame.height * 2)
        for rect in collector.rects where rect.height == 6 {
            for x in (rect.x / 6)..<((rect.x + rect.width) / 6) { grid[rect.y / 6][x] = rect.fill }
        }
        var checked = 0
        for y in 0..<frame.height {
            for x in 0..<frame.width where !"▁▂▃▅▆▇".contains(frame[x, y].glyph) {
                let (top, bottom) = Self.halves(frame[x, y], tier: tier)
                #expect(grid[2 * y][x] == top && grid[2 * y + 1][x] == bottom, "cell \(x),\(y) '\(frame[x, y].glyph)'")
                checked += 1
            }
        }
        #expect(checked > frame.width * frame.height / 2)
        // Every title and the status line are text.
        let text = collector.texts.joined(separator: "\n")
        for line in [frame.row(0), frame.row(frame.height - 3)] {
            let words = line.split(whereSeparator: { $0 == " " || "─│┌┐└┘+-|".contains($0) }).prefix(3)
            for word in words { #expect(text.contains(word), "'\(word)' missing from the SVG text") }
        }
    }

    @Test("the PNG decodes to the raster's pixels, and the raster shows the frame's cells")
    func pngPixels() throws {
        let frame = try Self.frame(tier: .truecolor)
        let raster = FigureRaster(frame, tier: .truecolor, geometry: FigureGeometry(scale: 2))
        #expect(raster.width == frame.width * 12 && raster.height == frame.height * 24)
        let png = try PNGEncoder.encode(width: raster.width, height: raster.height, rgb: raster.pixels)
        let decoded = try Self.decodePNG(png)
        #expect(decoded.width == raster.width && decoded.height == raster.height)
        #expect(decoded.rgb == raster.pixels)
        // The pixel at the centre of each half of a half-block cell is that half's colour.
        for y in 0..<frame.height {
            for x in 0..<frame.width where "▀▄█".contains(frame[x, y].glyph) {
                let (top, bottom) = Self.halves(frame[x, y], tier: .truecolor)
                #expect(raster.pixel(x * 12 + 6, y * 24 + 6) == top && raster.pixel(x * 12 + 6, y * 24 + 18) == bottom)
            }
        }
    }

    @Test("text cells carry their glyph in the 5x7 font, and the encoder refuses sizes that lie")
    func glyphsAndSizes() throws {
        var frame = Frame(width: 2, height: 1)
        frame.put("A.", x: 0, y: 0, fg: RGB(255, 0, 0))
        let raster = FigureRaster(frame, tier: .truecolor)
        // 'A' has ink in its top row's middle and none at its top-left corner; '.' only low down.
        #expect(raster.pixel(2, 3) == RGB(255, 0, 0) && raster.pixel(0, 3) == FigurePalette.dark.background)
        #expect((0..<6).allSatisfy { raster.pixel(6 + $0, 3) == FigurePalette.dark.background })
        #expect(throws: PNGEncoder.Failure.invalidSize(width: 2, height: 2, bytes: 11)) {
            try PNGEncoder.encode(width: 2, height: 2, rgb: [UInt8](repeating: 0, count: 11))
        }
    }

    /// A minimal PNG reader for 8-bit RGB, filter 0, one or more IDAT chunks; checks every CRC.
    static func decodePNG(_ png: [UInt8]) throws -> (width: Int, height: Int, rgb: [UInt8]) {
        try #require(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func be32(_ at: Int) -> Int {
            var value = 0
            for byte in png[at..<(at + 4)] { value = value << 8 | Int(byte) }
            return value
        }
        var at = 8, width = 0, height = 0, idat: [UInt8] = []
        while at < png.count {
            let length = be32(at), type = String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self)
            let body = Array(png[(at + 4)..<(at + 8 + length)])
            let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            try #require(UInt32(be32(at + 8 + length)) == UInt32(truncatingIfNeeded: crc), "bad CRC in \(type)")
            if type == "IHDR" {
                width = be32(at + 8)
                height = be32(at + 12)
                try #require(Array(png[(at + 16)..<(at + 21)]) == [8, 2, 0, 0, 0])
            } else if type == "IDAT" {
                idat += body.dropFirst(4)
            }
            at += 12 + length
        }
        var raw = [UInt8](repeating: 0, count: (width * 3 + 1) * height)
        var rawLength = uLong(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { target in
            idat.withUnsafeBufferPointer { uncompress(target.baseAddress, &rawLength, $0.baseAddress, uLong($0.count)) }
        }
        try #require(status == Z_OK && Int(rawLength) == raw.count)
        var rgb: [UInt8] = []
        for y in 0..<height {
            try #require(raw[y * (width * 3 + 1)] == 0, "filter type 0")
            let start: Int = y * (width * 3 + 1) + 1
            rgb += raw[start..<(start + width * 3)]
        }
        return (width, height, rgb)
    }
}

/// Collects the SVG's size, rectangles and text.
final class SVGCollector: NSObject, XMLParserDelegate {
    struct Rect { let x, y, width, height: Int; let fill: RGB }
    var size = (0, 0)
    var rects: [Rect] = []
    var texts: [String] = []
    private var inText = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let number = { (key: String) in Int(attributes[key] ?? "") ?? -1 }
        switch name {
        case "svg": size = (number("width"), number("height"))
        case "rect" where attributes["width"] != "100%":
            let hex = Array((attributes["fill"] ?? "#000000").dropFirst())
            let byte = { (i: Int) in UInt8(String(hex[i..<(i + 2)]), radix: 16) ?? 0 }
            rects.append(Rect(x: number("x"), y: number("y"), width: number("width"), height: number("height"), fill: RGB(byte(0), byte(2), byte(4))))
        case "text":
            inText = true
            texts.append("")
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { texts[texts.count - 1] += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { inText = false }
    }
}

@Suite("Figure crop and legend wording")
struct FigureCropTests {
    @Test("a figure drops the key hint, cuts runs of blank rows to one, and trims blank columns")
    func crop() {
        var frame = Frame(width: 10, height: 8)
        frame.put("title", x: 0, y: 0)
        frame.put("panel", x: 0, y: 1)
        frame.put("legend", x: 0, y: 5)
        frame.put("q quit ? all keys", x: 0, y: 7)
        let cropped = frame.figureCrop()
        #expect(cropped.plainText == "title\npanel\n\nlegend")
        #expect(cropped.width == 6)
    }

    @Test("with negative values the scale's bottom is named the lowest value, not zero")
    func signedLegend() throws {
        for tier in ColorTier.allCases {
            let signed = Legend(tier: tier, palette: Palette(tier: tier), is3D: false, hasNegative: true).text(width: 200)
            let relu = Legend(tier: tier, palette: Palette(tier: tier), is3D: false).text(width: 200)
            #expect(signed.contains("lowest") && !signed.contains("zero"), "\(tier): \(signed)")
            #expect(relu.contains("zero") && !relu.contains("lowest"), "\(tier): \(relu)")
        }
        let input = try VizInput(name: "signed", tensor: Tensor(shape: [1, 1, 4, 4], storage: (0..<16).map { Float($0) - 8 }))
        #expect(input.hasNegative)
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.1, blockSize: 1))
        let text = FrameRenderer(tier: .ascii).render(model, width: 120, height: 30).plainText
        #expect(text.contains("blank lowest") && !text.contains("blank zero"))
    }
}

@Suite("The figures' 5x7 font")
struct FigureFontTests {
    /// Letters with descenders are drawn two font pixels low: their bodies must be in the glyph's
    /// top rows to sit on the x-height (`p` drawn low and dropped read as a subscript; round 18).
    @Test("g, p, q and y have their bodies in the top rows and their tails in the bottom ones")
    func descenders() throws {
        for character: Character in ["g", "p", "q", "y"] {
            let rows = (0..<FigureFont.height).map { y in (0..<FigureFont.width).contains { FigureFont.ink(character, x: $0, y: y) == true } }
            #expect(rows[0] && rows[6], "\(character): \(rows)")
        }
        // Letters without descenders keep the x-height: their glyph's top two rows are empty.
        for character: Character in ["a", "c", "e", "o"] {
            #expect(!(0..<2).contains { y in (0..<FigureFont.width).contains { FigureFont.ink(character, x: $0, y: y) == true } }, "\(character)")
        }
    }
}
