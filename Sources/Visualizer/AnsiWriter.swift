/// Turns a frame into text for a terminal: SGR colour escapes per tier, or plain glyphs.
public enum AnsiWriter {
    /// The frame as lines of text; `.ascii` gives plain text with no escapes at all.
    public static func text(_ frame: Frame, tier: ColorTier) -> String {
        guard tier.usesColor else { return frame.plainText + "\n" }
        var out = ""
        out.reserveCapacity(frame.width * frame.height * 12)
        for y in 0..<frame.height {
            // One escape per run of same-styled cells, each starting from a reset.
            for run in frame.styleRuns(row: y) {
                out += sgr(fg: run.fg, bg: run.bg, attributes: run.attributes, tier: tier)
                out += run.text
            }
            out += "\u{1B}[0m\n"
        }
        return out
    }

    /// One Select Graphic Rendition sequence, starting from a reset.
    static func sgr(fg: RGB?, bg: RGB?, attributes: CellAttributes, tier: ColorTier) -> String {
        var codes = ["0"]
        if attributes.contains(.bold) { codes.append("1") }
        if attributes.contains(.dim) { codes.append("2") }
        if attributes.contains(.reverse) { codes.append("7") }
        if let fg { codes.append(color(fg, background: false, tier: tier)) }
        if let bg { codes.append(color(bg, background: true, tier: tier)) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    /// The SGR parameters of colour `c` in `tier` (foreground or background).
    static func color(_ c: RGB, background: Bool, tier: ColorTier) -> String {
        switch tier {
        case .truecolor:
            return "\(background ? 48 : 38);2;\(c.r);\(c.g);\(c.b)"
        case .ansi256:
            return "\(background ? 48 : 38);5;\(ColorQuantizer.xterm256(c))"
        case .ansi16, .ansi8:
            let index = ColorQuantizer.ansi(c, count: tier == .ansi16 ? 16 : 8)
            let base = index < 8 ? (background ? 40 : 30) : (background ? 100 : 90)
            return String(base + index % 8)
        case .ascii:
            return ""
        }
    }
}
