/// The one-line legend: every colour or glyph the panels use, named.
public struct Legend: Sendable {
    /// A run of legend text in one colour (nil: the terminal's default).
    public struct Segment: Sendable, Equatable {
        /// The text (a swatch `█`, or words).
        public let text: String
        /// Its colour.
        public let fg: RGB?
    }

    /// The tier it describes: colour swatches, or ASCII glyphs.
    public let tier: ColorTier
    /// The colours it names.
    public let palette: Palette
    /// Whether to name the mark of seeds in other slices (3D only).
    public let is3D: Bool
    /// Whether to name the mark of NaN and infinite values (when the input has any).
    public let hasNonFinite: Bool

    /// The legend of `tier` with `palette`; `is3D` adds the mark of seeds in other slices,
    /// `hasNonFinite` the mark of NaN and Inf.
    public init(tier: ColorTier, palette: Palette, is3D: Bool, hasNonFinite: Bool = false) {
        self.tier = tier
        self.palette = palette
        self.is3D = is3D
        self.hasNonFinite = hasNonFinite
    }

    /// The longest wording that fits `width` columns (the shortest one if none does).
    public func segments(width: Int) -> [Segment] {
        let all = wordings()
        return all.first { $0.reduce(0) { $0 + $1.text.count } <= width } ?? all[all.count - 1]
    }

    /// The legend as plain text (for the help overlay and the README).
    public func text(width: Int) -> String {
        segments(width: width).map(\.text).joined()
    }

    func wordings() -> [[Segment]] {
        if !tier.usesColor {
            let nearby = is3D ? ["+ seed in other slice"] : []
            let long = ["o seed"] + nearby + [": seed region", ". kept", "# dropped", "1-9 tenths dropped",
                                              "x dropped (output)", "blank zero", "@ high"] + (hasNonFinite ? ["! NaN/Inf"] : [])
            let short = ["o seed"] + (is3D ? ["+ other slice"] : []) + [": region", ". kept", "# dropped", "1-9 tenths",
                                                                          "x dropped", "blank 0", "@ high"] + (hasNonFinite ? ["! NaN"] : [])
            return [long, short].map { [Segment(text: $0.joined(separator: "  "), fg: nil)] }
        }
        let mixed = palette.blends ? "mask blends kept-dropped by share" : "░▒▓ dropped share"
        func build(_ names: [(RGB, String)], note: String) -> [Segment] {
            var segments: [Segment] = []
            for (i, (color, name)) in names.enumerated() {
                segments.append(Segment(text: "█", fg: color))
                segments.append(Segment(text: " " + name + (i < names.count - 1 || !note.isEmpty ? "  " : ""), fg: nil))
            }
            if !note.isEmpty { segments.append(Segment(text: note, fg: nil)) }
            return segments
        }
        let nearbyLong: [(RGB, String)] = is3D ? [(palette.nearbySeed, "seed in other slice")] : []
        let nearbyShort: [(RGB, String)] = is3D ? [(palette.nearbySeed, "other slice")] : []
        let nonFiniteLong: [(RGB, String)] = hasNonFinite ? [(palette.nonFinite, "NaN/Inf")] : []
        let nonFiniteShort: [(RGB, String)] = hasNonFinite ? [(palette.nonFinite, "NaN")] : []
        let long = [(palette.seed, "seed")] + nearbyLong + [(palette.region, "seed region"), (palette.kept, "kept"),
                                                           (palette.dropped, "dropped"), (palette.zero, "zero"), (palette.high, "high")]
            + nonFiniteLong
        let short = [(palette.seed, "seed")] + nearbyShort + [(palette.region, "region"), (palette.kept, "kept"),
                                                             (palette.dropped, "dropped"), (palette.zero, "0"), (palette.high, "high")]
            + nonFiniteShort
        return [build(long, note: mixed), build(short, note: palette.blends ? "blend=share" : "░▒▓ share"), build(short, note: "")]
    }
}
