import Testing
@testable import Visualizer

@Suite("Colour map, quantiser and tiers")
struct ColorTests {
    @Test func colormapEndpointsAndMiddle() {
        let map = Colormap(steps: 16)
        #expect(map.palette.first == RGB(68, 1, 84))
        #expect(map.palette.last == RGB(253, 231, 37))
        #expect(Colormap.continuous(0.5) == RGB(33, 145, 140))
        #expect(map.level(-1) == 0 && map.level(.nan) == 0 && map.level(1) == 15 && map.level(2) == 15)
        #expect(map.level(0.5) == 8)
        // Monotone in brightness overall: the last is brighter than the first.
        #expect(Int(map.palette.last!.g) > Int(map.palette.first!.g))
    }

    @Test("xterm-256 quantiser on known values")
    func xterm256() {
        #expect(ColorQuantizer.xterm256(RGB(0, 0, 0)) == 16)
        #expect(ColorQuantizer.xterm256(RGB(255, 255, 255)) == 231)
        #expect(ColorQuantizer.xterm256(RGB(255, 0, 0)) == 196)
        #expect(ColorQuantizer.xterm256(RGB(95, 135, 175)) == 67)
        #expect(ColorQuantizer.xterm256(RGB(128, 128, 128)) == 244)
        #expect(ColorQuantizer.xterm256Color(67) == RGB(95, 135, 175))
        #expect(ColorQuantizer.xterm256Color(244) == RGB(128, 128, 128))
        // The 16 colour-map steps stay distinct enough to read: at least 10 different indices.
        let indices = Set(Colormap(steps: 16).palette.map(ColorQuantizer.xterm256))
        #expect(indices.count >= 10)
    }

    @Test("16 and 8 colour quantiser")
    func ansi() {
        #expect(ColorQuantizer.ansi(RGB(255, 90, 90), count: 16) == 9)
        #expect(ColorQuantizer.ansi(RGB(160, 0, 0), count: 16) == 1)
        #expect(ColorQuantizer.ansi(RGB(250, 250, 250), count: 8) == 7)
        #expect(ColorQuantizer.ansi(RGB(0, 0, 0), count: 8) == 0)
    }

    @Test("tier detection from the environment")
    func detection() {
        #expect(ColorTier.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"], utf8: true) == .truecolor)
        #expect(ColorTier.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"], utf8: true, terminalColors: 256) == .ansi256)
        #expect(ColorTier.detect(environment: ["TERM": "xterm-direct", "COLORTERM": "truecolor"], utf8: true, terminalColors: 0x100_0000) == .truecolor)
        #expect(ColorTier.detect(environment: ["TERM": "xterm-256color"], utf8: true) == .ansi256)
        #expect(ColorTier.detect(environment: ["TERM": "xterm"], utf8: true, terminalColors: 8) == .ansi8)
        #expect(ColorTier.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": ""], utf8: true) == .ascii)
        #expect(ColorTier.detect(environment: ["TERM": "xterm-256color"], utf8: false) == .ascii)
        #expect(ColorTier.detect(environment: ["TERM": "dumb"], utf8: true) == .ascii)
        #expect(ColorTier.localeIsUTF8(["LANG": "en_US.UTF-8"]))
        #expect(!ColorTier.localeIsUTF8(["LANG": "C"]))
        #expect(!ColorTier.localeIsUTF8(["LC_ALL": "POSIX", "LANG": "en_US.UTF-8"]))
    }

    @Test("a forced --color past the terminal's colours draws the richest tier it has, and says so; a non-UTF-8 locale draws ASCII")
    func forcedTier() {
        // What each terminal can draw.
        for (colors, tier) in [(0x100_0000, ColorTier.truecolor), (256, .ansi256), (88, .ansi16), (16, .ansi16), (8, .ansi8), (2, .ascii), (0, .ascii)] {
            #expect(ColorTier.shown(terminalColors: colors) == tier, "\(colors)")
        }
        let truecolor = ColorTier.forced(.truecolor, terminalColors: 256, utf8: true, term: "xterm-256color")
        #expect(truecolor.tier == .ansi256)
        #expect(truecolor.note == "--color truecolor: TERM=xterm-256color has 256 colours, drawn in 256 colours (try TERM=xterm-direct)")
        let bright = ColorTier.forced(.ansi16, terminalColors: 8, utf8: true, term: "xterm")
        #expect(bright.tier == .ansi8 && bright.note == "--color 16: TERM=xterm has 8 colours, drawn in 8 colours")
        #expect(ColorTier.forced(.ansi8, terminalColors: 0, utf8: true, term: "vt100") == (.ascii, "--color 8: TERM=vt100 has no colours, drawn in ASCII"))
        // Asked for what the terminal has, or less: as asked, without a note.
        for requested in ColorTier.allCases {
            let asked = ColorTier.forced(requested, terminalColors: 0x100_0000, utf8: true, term: "xterm-direct")
            #expect(asked.tier == requested && asked.note == nil)
        }
        #expect(ColorTier.forced(.ansi8, terminalColors: 256, utf8: true, term: "xterm-256color").note == nil)
        let locale = ColorTier.forced(.ansi256, terminalColors: 256, utf8: false, term: "xterm-256color")
        #expect(locale.tier == .ascii && locale.note?.hasPrefix("--color 256: the locale is not UTF-8") == true)
        // The locale's note fits an 80-column message line whole, for every tier asked, so that
        // its reason is never cut (round 17). (A TERM's note is as long as the TERM's name.)
        for requested in ColorTier.allCases {
            let note = ColorTier.forced(requested, terminalColors: 256, utf8: false, term: "xterm-256color").note ?? ""
            #expect(note.count <= 80, "\(note)")
        }
        #expect(ColorTier.forced(.ascii, terminalColors: 256, utf8: false, term: "xterm-256color").note == nil)
    }

    @Test("ANSI writer: escapes per tier, none for plain text")
    func ansiWriter() throws {
        let frame = FrameRenderer(tier: .truecolor).render(try Fixtures.model(), width: 80, height: 24)
        #expect(AnsiWriter.text(frame, tier: .truecolor).contains("\u{1B}[0;38;2;"))
        #expect(AnsiWriter.text(frame, tier: .ansi256).contains(";38;5;"))
        #expect(AnsiWriter.text(frame, tier: .ansi16).contains("\u{1B}["))
        let plain = AnsiWriter.text(FrameRenderer(tier: .ascii).render(try Fixtures.model(), width: 80, height: 24), tier: .ascii)
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.split(separator: "\n", omittingEmptySubsequences: false).count == 25)
    }

    @Test("downsampled mask pixels are their exact kept share; a lone dropped unit still shows")
    func maskPooling() {
        var values = [Float](repeating: 1, count: 64)
        values[9] = 0
        let map = PixelMap(width: 8, height: 8, values: values, kind: .keepMask)
        let scale = MapScale(upscale: 1, downscale: 4, width: 2, height: 2)
        #expect(map.pixel(0, 0, scale: scale) == 15.0 / 16)
        #expect(map.pixel(1, 0, scale: scale) == 1)
        #expect(map.keptCount(0, 0, scale: scale) == (kept: 15, total: 16))
        #expect(FrameRenderer.shareGlyph(dropped: 1, total: 32) == "1")
    }
}

/// Round 25: in 3D the shown slice's seeds (xterm 214) and the other slices' (208) were two
/// oranges no one could tell apart; 16 colours kept them yellow and bright magenta.
@Suite("Seed colours in 3D")
struct NearbySeedColourTests {
    @Test("the other slices' seed colour is far from the seed's in every tier with colour, and an exact xterm-256 colour",
          arguments: [ColorTier.truecolor, .ansi256, .ansi16, .ansi8])
    func farApart(tier: ColorTier) {
        let palette = Palette(tier: tier)
        // Weighted squared distance: 208 beside 214 was 4 * 40^2 = 6400.
        #expect(ColorQuantizer.distance(palette.seed, palette.nearbySeed) > 100 * 100, "\(tier): \(palette.seed) vs \(palette.nearbySeed)")
        if tier == .ansi256 {
            #expect(ColorQuantizer.xterm256Color(ColorQuantizer.xterm256(palette.nearbySeed)) == palette.nearbySeed)
        }
    }
}
