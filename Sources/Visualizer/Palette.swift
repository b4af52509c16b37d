/// The colours of one tier, chosen per role so that no two roles a user must tell apart
/// collapse into one colour when the terminal has only 16 or 8.
///
/// For 16 and 8 colours every role is an exact palette entry (so quantising changes
/// nothing), and the heat ramp avoids the dropped colour (red), so that a dropped unit never
/// reads as a zero activation (the ramp's bottom, black) or as a low one, and the kept colour
/// (white), so that the top of a map (the likeliest drop, in the drop-chance panel) never reads
/// as a kept unit of the mask beside it. Like the full ramp (viridis), it ends at yellow.
public struct Palette: Sendable {
    /// A seed in the shown slice.
    public let seed: RGB
    /// 3D: a seed in another slice whose block reaches the shown slice.
    public let nearbySeed: RGB
    /// Where seeds may fall.
    public let region: RGB
    /// Outside the seed region.
    public let outside: RGB
    /// A kept unit in a mask.
    public let kept: RGB
    /// A dropped unit, in masks and in the output.
    public let dropped: RGB
    /// Panel borders.
    public let border: RGB
    /// A NaN or infinite value in a map (no panel that shows maps uses this colour for anything else).
    public let nonFinite: RGB
    /// The heat ramp, zero first, high last.
    public let ramp: [RGB]
    /// Whether a mixed cell blends kept and dropped by share (else it uses shade glyphs).
    /// Truecolor only: 256 colours would round a blend to a cube colour whose share is not
    /// the cell's (a 1/8 blend over a low value to the plain value's colour).
    public let blends: Bool

    /// The palette of `tier` (ASCII gets the 256-colour one; it draws glyphs only).
    public init(tier: ColorTier) {
        let ansi = ColorQuantizer.ansiPalette
        switch tier {
        case .truecolor, .ansi256, .ascii:
            // Orange (xterm 214), not yellow: the ramp's top is yellow (xterm 220), and the
            // legend drew `seed` and `high` in one swatch.
            seed = RGB(255, 175, 0)
            // Lavender (xterm 177), as far from the seed's orange as 16 colours' bright magenta:
            // orange 208 beside 214 could not be told apart (round 25).
            nearbySeed = RGB(215, 135, 255)
            region = RGB(62, 62, 84)
            outside = RGB(0, 0, 0)
            kept = RGB(228, 228, 228)
            dropped = RGB(215, 38, 56)
            border = RGB(120, 120, 140)
            nonFinite = RGB(255, 0, 255)
            ramp = tier == .ansi256 ? Palette.cubeRamp : Colormap(steps: 16).palette
            blends = tier == .truecolor
        case .ansi16:
            // Yellow (brown in VGA's palette), not bright yellow: that is the ramp's top, and
            // the legend drew `seed` and `high` in one swatch.
            seed = ansi[3]
            nearbySeed = ansi[13]
            region = ansi[8]
            outside = ansi[0]
            kept = ansi[15]
            dropped = ansi[9]
            border = ansi[7]
            nonFinite = ansi[5]
            // black, blue, bright blue, cyan, bright cyan, green, bright green, bright yellow
            ramp = [0, 4, 12, 6, 14, 2, 10, 11].map { ansi[$0] }
            blends = false
        case .ansi8:
            seed = ansi[3]
            nearbySeed = ansi[5]
            region = ansi[4]
            outside = ansi[0]
            kept = ansi[7]
            dropped = ansi[1]
            border = ansi[7]
            // Magenta is the 3D other-slice seed mark too, but that is drawn in the seeds panel only.
            nonFinite = ansi[5]
            // black, blue, cyan, green, yellow: five levels, as the other three colours are
            // dropped (red), kept (white) and NaN (magenta).
            ramp = [0, 4, 6, 2, 3].map { ansi[$0] }
            blends = false
        }
    }

    /// The heat ramp for 256 colours: each of the map's sixteen steps at its nearest colour of
    /// the xterm cube, neighbours that land on the same colour merged (eleven levels). Rounding
    /// the sixteen steps at draw time instead merged levels unevenly and drew the second as the
    /// zero swatch, and the third as a grey.
    static let cubeRamp: [RGB] = Colormap(steps: 16).palette.map(ColorQuantizer.nearestCube).reduce(into: []) { ramp, colour in
        if ramp.last != colour { ramp.append(colour) }
    }

    /// The ramp colour of `t` in [0, 1] (clamped; NaN counts as 0): the bottom colour for 0
    /// alone, so that no small non-zero value looks like the legend's `zero`, and the other
    /// colours for equal bands of (0, 1]. (Lifting the zero band to the next colour instead
    /// gave that colour two bands: with 8 colours, blue took 40% of the range and the others
    /// 20% each.)
    @inline(__always)
    public func heat(_ t: Float) -> RGB {
        guard t > 0 else { return ramp[0] }
        let bands = ramp.count - 1
        return ramp[1 + min(bands - 1, Int(t * Float(bands)))]
    }

    /// A zero activation: the bottom of the heat ramp.
    public var zero: RGB { ramp[0] }
    /// The highest activation: the top of the heat ramp.
    public var high: RGB { ramp[ramp.count - 1] }
    /// The sweep's bars (`v`): a blue of their own in every tier.
    public var sweepBar: RGB { RGB(90, 150, 200) }
    /// The sweep's bar at the current block size: the seed colour, the chart's highlight.
    public var sweepCurrent: RGB { seed }
}
