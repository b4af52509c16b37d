/// Maps 24-bit colours to the xterm 256-colour and the 16/8-colour palettes.
public enum ColorQuantizer {
    /// The six levels of the xterm colour cube (indices 16...231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The nearest xterm-256 index: the better of the nearest cube colour and the nearest grey (232...255).
    public static func xterm256(_ c: RGB) -> Int {
        func nearestLevel(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<6 where abs(cubeLevels[i] - Int(v)) < abs(cubeLevels[best] - Int(v)) { best = i }
            return best
        }
        let (ri, gi, bi) = (nearestLevel(c.r), nearestLevel(c.g), nearestLevel(c.b))
        let cube = RGB(UInt8(cubeLevels[ri]), UInt8(cubeLevels[gi]), UInt8(cubeLevels[bi]))
        let average = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyIndex = min(23, max(0, (average - 8 + 5) / 10))
        let greyLevel = UInt8(8 + 10 * greyIndex)
        let grey = RGB(greyLevel, greyLevel, greyLevel)
        return distance(c, grey) < distance(c, cube) ? 232 + greyIndex : 16 + 36 * ri + 6 * gi + bi
    }

    /// The nearest colour of the xterm cube, greys left out.
    public static func nearestCube(_ c: RGB) -> RGB {
        func nearest(_ v: UInt8) -> UInt8 {
            UInt8(cubeLevels.min { abs($0 - Int(v)) < abs($1 - Int(v)) } ?? 0)
        }
        return RGB(nearest(c.r), nearest(c.g), nearest(c.b))
    }

    /// The RGB value of an xterm-256 index (16...255).
    public static func xterm256Color(_ index: Int) -> RGB {
        if index >= 232 {
            let level = UInt8(8 + 10 * (index - 232))
            return RGB(level, level, level)
        }
        let i = index - 16
        return RGB(UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[(i / 6) % 6]), UInt8(cubeLevels[i % 6]))
    }

    /// The standard VGA-like values of the 16 ANSI colours.
    static let ansiPalette: [RGB] = [
        RGB(0, 0, 0), RGB(170, 0, 0), RGB(0, 170, 0), RGB(170, 85, 0), RGB(0, 0, 170), RGB(170, 0, 170),
        RGB(0, 170, 170), RGB(170, 170, 170), RGB(85, 85, 85), RGB(255, 85, 85), RGB(85, 255, 85),
        RGB(255, 255, 85), RGB(85, 85, 255), RGB(255, 85, 255), RGB(85, 255, 255), RGB(255, 255, 255),
    ]

    /// The nearest of the first `count` ANSI colours (16 or 8).
    public static func ansi(_ c: RGB, count: Int) -> Int {
        var best = 0
        for i in 1..<min(count, 16) where distance(c, ansiPalette[i]) < distance(c, ansiPalette[best]) { best = i }
        return best
    }

    static func distance(_ a: RGB, _ b: RGB) -> Int {
        let dr = Int(a.r) - Int(b.r), dg = Int(a.g) - Int(b.g), db = Int(a.b) - Int(b.b)
        // Weighted towards green, as the eye is; good enough to pick among palette entries.
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    /// The palette index of `c` in `tier` (nil for truecolor and ASCII, which need none).
    public static func index(_ c: RGB, tier: ColorTier) -> Int? {
        switch tier {
        case .ansi256: return xterm256(c)
        case .ansi16: return ansi(c, count: 16)
        case .ansi8: return ansi(c, count: 8)
        case .truecolor, .ascii: return nil
        }
    }
}
