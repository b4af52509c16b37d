import CNCurses
import Visualizer

/// Paints frames into an ncurses window, one run of same-styled cells at a time.
struct CursesPainter {
    /// The window painted into.
    let window: UnsafeMutablePointer<WINDOW>
    /// How colours are turned into the terminal's colour numbers.
    let tier: ColorTier
    private var pairs: [PairKey: Int32] = [:]

    /// A colour pair's foreground and background colour numbers.
    struct PairKey: Hashable { let fg: Int32, bg: Int32 }

    /// A painter of `window` in colour tier `tier`.
    init(window: UnsafeMutablePointer<WINDOW>, tier: ColorTier) {
        self.window = window
        self.tier = tier
    }

    /// Replaces the window's contents with `frame`, one `Frame.styleRuns(row:)` run at a time.
    mutating func paint(_ frame: Frame) {
        werase(window)
        for y in 0..<frame.height {
            for run in frame.styleRuns(row: y) {
                _ = cnc_set_style(window, attributes(run.attributes), pair(fg: run.fg, bg: run.bg))
                _ = mvwaddstr(window, Int32(y), Int32(run.x), run.text)
            }
        }
        _ = cnc_set_style(window, cnc_a_normal(), 0)
        wrefresh(window)
    }

    /// The ncurses attributes of `a`.
    func attributes(_ a: CellAttributes) -> attr_t {
        var value = cnc_a_normal()
        if a.contains(.bold) { value |= cnc_a_bold() }
        if a.contains(.reverse) { value |= cnc_a_reverse() }
        if a.contains(.dim) { value |= cnc_a_dim() }
        return value
    }

    /// The colour pair for `(fg, bg)`, allocated on first use and cached.
    mutating func pair(fg: RGB?, bg: RGB?) -> Int32 {
        guard tier.usesColor, fg != nil || bg != nil else { return 0 }
        let key = PairKey(fg: colorNumber(fg), bg: colorNumber(bg))
        if let cached = pairs[key] { return cached }
        let allocated = alloc_pair(key.fg, key.bg)
        let number = allocated < 0 ? 0 : allocated
        pairs[key] = number
        return number
    }

    /// The terminal's colour number: an xterm index, an ANSI index, or packed RGB for direct colour.
    func colorNumber(_ color: RGB?) -> Int32 {
        guard let color else { return -1 }
        switch tier {
        case .truecolor: return Int32(color.r) << 16 | Int32(color.g) << 8 | Int32(color.b)
        default: return Int32(ColorQuantizer.index(color, tier: tier) ?? -1)
        }
    }
}
