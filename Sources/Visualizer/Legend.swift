/// The one-line legend: every colour or glyph the panels use, named.
public struct Legend: Sendable {
    /// A run of legend text in one colour (nil: the terminal's default).
    public struct Segment: Sendable, Equatable {
        /// The text (a swatch `█`, or words).
        public let text: String
        /// Its colour.
        public let fg: RGB?
        /// Its background: a plate under a swatch too dark to see on a dark terminal (`▄`).
        public var bg: RGB? = nil
    }

    /// Swatches darker than this (every channel below it) stand on a plate of the border
    /// colour, `▄`: black (the seeds panel's outside, the 16- and 8-colour zero) drawn as `█`
    /// vanished into a dark terminal's background, leaving a name with no swatch.
    static let plateBelow: UInt8 = 40

    /// The swatch segment of `color`.
    func swatch(_ color: RGB) -> Segment {
        max(color.r, color.g, color.b) < Self.plateBelow ? Segment(text: "▄", fg: color, bg: palette.border) : Segment(text: "█", fg: color)
    }

    /// The tier it describes: colour swatches, or ASCII glyphs.
    public let tier: ColorTier
    /// The colours it names.
    public let palette: Palette
    /// Whether to name the mark of seeds in other slices (3D only).
    public let is3D: Bool
    /// The roles the panels on screen use; the legend names only these.
    public let roles: Set<LegendRole>
    /// Whether to name the mark of NaN and infinite values (when the input has any).
    public let hasNonFinite: Bool
    /// Whether the data has negative values: the scale's bottom is then its lowest value, not zero.
    public let hasNegative: Bool

    /// The legend of `tier` with `palette` naming `roles`; `is3D` adds the mark of seeds in
    /// other slices, `hasNonFinite` the mark of NaN and Inf.
    public init(tier: ColorTier, palette: Palette, is3D: Bool, roles: Set<LegendRole> = Set(LegendRole.allCases), hasNonFinite: Bool = false,
                hasNegative: Bool = false) {
        self.hasNegative = hasNegative
        self.tier = tier
        self.palette = palette
        self.is3D = is3D
        self.roles = roles
        self.hasNonFinite = hasNonFinite
    }

    /// The longest wording that fits `width` columns; if none does, the shortest with as many
    /// whole entries as fit, the most needed first (`priority`), its share note kept (an
    /// entry is never cut in the middle).
    public func segments(width: Int) -> [Segment] {
        let all = wordings()
        if let fitting = all.first(where: { Self.length($0) <= width }) { return fitting }
        var names = Set<LegendRole>(), nonFinite = false
        var best = wordings(names: names, nonFinite: false)[all.count - 1]
        for entry in Self.priority {
            var (tryNames, tryNonFinite) = (names, nonFinite)
            if let role = entry { tryNames.insert(role) } else { tryNonFinite = hasNonFinite }
            let trial = wordings(names: tryNames, nonFinite: tryNonFinite)[all.count - 1]
            guard Self.length(trial) <= width, Self.length(trial) > Self.length(best) else { continue }
            (names, nonFinite, best) = (tryNames, tryNonFinite, trial)
        }
        // Only the note left, and too long: as much of the note's glyphs as fit is no help.
        return Self.length(best) <= width ? best : []
    }

    /// The entries a narrow legend keeps first (nil: NaN/Inf): what the output and the mask
    /// draw, then the value scale, the seeds, and last where no seed may fall.
    static let priority: [LegendRole?] = [.dropped, .droppedOutput, .tenths, nil, .zero, .high, .kept, .seed, .region,
                                          .sweepBar, .sweepCurrent, .nearbySeed, .outside]

    static func length(_ segments: [Segment]) -> Int {
        segments.reduce(0) { $0 + $1.text.count }
    }

    /// The legend as plain text (for the help overlay and the README).
    public func text(width: Int) -> String {
        segments(width: width).map(\.text).joined()
    }

    /// Every wording, long to short, naming the entries in `names` of the roles (all when
    /// nil), and NaN/Inf when `nonFinite` (by default when the data has any). The share note
    /// depends on every role on screen, named or not.
    func wordings(names: Set<LegendRole>? = nil, nonFinite: Bool? = nil) -> [[Segment]] {
        let hasNonFinite = nonFinite ?? self.hasNonFinite
        let nearby = is3D && roles.contains(.nearbySeed)
        // In colour the output marks dropped units in the dropped colour; in ASCII with its own
        // `x`, and cells of both kept and dropped units with the tenths a mask uses.
        let output = self.roles.contains(.droppedOutput)
        let onScreen = output ? self.roles.union(tier.usesColor ? [.dropped] : [.tenths]) : self.roles
        let roles = names.map { onScreen.intersection($0) } ?? onScreen
        func pick(_ entries: [(LegendRole, String)]) -> [(LegendRole, String)] {
            entries.filter { roles.contains($0.0) && ($0.0 != .nearbySeed || nearby) }
        }
        if !tier.usesColor {
            // The heat glyphs are named as a ramp: `.` and `:` are also the mask's kept and the
            // seeds panel's region, and "@ high" alone left the maps' `.` and `:` reading as those.
            let ramp = String(FrameRenderer.asciiRamp.dropFirst())
            let long = pick([(.seed, "o seed"), (.nearbySeed, "+ seed in other slice"), (.region, ": seed region"),
                             (.outside, "blank outside it"), (.kept, ". kept"),
                             (.dropped, "# dropped"), (.tenths, "1-9 tenths dropped"), (.droppedOutput, "x dropped (output)"),
                             (.zero, hasNegative ? "blank lowest" : "blank zero"), (.high, "\(ramp) low to high"),
                             (.sweepBar, "I expected drop per block size"), (.sweepCurrent, "H this block size")])
            let short = pick([(.seed, "o seed"), (.nearbySeed, "+ other slice"), (.region, ": region"), (.kept, ". kept"),
                              (.dropped, "# dropped"), (.tenths, "1-9 tenths"), (.droppedOutput, "x dropped"), (.zero, hasNegative ? "blank low" : "blank 0"), (.high, ramp),
                              (.sweepBar, "I drop per block"), (.sweepCurrent, "H this block")])
            let nonFinite: [[String]] = hasNonFinite ? [["! NaN/Inf"], ["! NaN/Inf"]] : [[], []]
            // The seeds panel's blank (no seed may fall there) is named only where it fits: the
            // long wording without it comes before the short one.
            let longWithout = long.filter { $0.0 != .outside }
            return [long.map(\.1) + nonFinite[0], longWithout.map(\.1) + nonFinite[0], short.map(\.1) + nonFinite[1]]
                .map { [Segment(text: $0.joined(separator: "  "), fg: nil)] }
        }
        // The blend note belongs to masks and outputs: it says how a cell mixes kept and dropped.
        let masks = onScreen.contains(.kept) || output
        let mixed = !masks ? "" : palette.blends ? "cells blend to dropped by share" : "░▒▓ dropped share"
        func build(_ names: [(RGB, String)], note: String) -> [Segment] {
            var segments: [Segment] = []
            for (i, (color, name)) in names.enumerated() {
                segments.append(swatch(color))
                segments.append(Segment(text: " " + name + (i < names.count - 1 || !note.isEmpty ? "  " : ""), fg: nil))
            }
            // The shades as the mask draws them: in the dropped colour over the kept one (over
            // the terminal's background they matched no panel: round 23).
            if note.hasPrefix("░▒▓") {
                segments.append(Segment(text: "░▒▓", fg: palette.dropped, bg: palette.kept))
                if note.count > 3 { segments.append(Segment(text: String(note.dropFirst(3)), fg: nil)) }
            } else if !note.isEmpty {
                segments.append(Segment(text: note, fg: nil))
            }
            return segments
        }
        func colours(_ entries: [(LegendRole, RGB, String)]) -> [(RGB, String)] {
            pick(entries.map { ($0.0, $0.2) }).compactMap { picked in entries.first { $0.0 == picked.0 }.map { ($0.1, $0.2) } }
        }
        let long = colours([(.seed, palette.seed, "seed"), (.nearbySeed, palette.nearbySeed, "seed in other slice"),
                            (.region, palette.region, "seed region"), (.outside, palette.outside, "outside it"), (.kept, palette.kept, "kept"),
                            (.dropped, palette.dropped, "dropped"),
                            (.zero, palette.zero, hasNegative ? "lowest" : "zero"), (.high, palette.high, "high"),
                            (.sweepBar, palette.sweepBar, "expected drop per block size"), (.sweepCurrent, palette.sweepCurrent, "this block size")])
        let short = colours([(.seed, palette.seed, "seed"), (.nearbySeed, palette.nearbySeed, "other slice"),
                             (.region, palette.region, "region"), (.outside, palette.outside, "outside"), (.kept, palette.kept, "kept"),
                             (.dropped, palette.dropped, "dropped"),
                             (.zero, palette.zero, hasNegative ? "low" : "0"), (.high, palette.high, "high"),
                             (.sweepBar, palette.sweepBar, "drop per block"), (.sweepCurrent, palette.sweepCurrent, "this block")])
        let shortNote = !masks ? "" : palette.blends ? "blend=share" : "░▒▓ share"
        let longAll = long + (hasNonFinite ? [(palette.nonFinite, "NaN/Inf")] : [])
        let shortAll = short + (hasNonFinite ? [(palette.nonFinite, "NaN/Inf")] : [])
        // The shortest still names the mixing where cells mix: a blend or shades are on screen.
        let tinyNote = !masks ? "" : palette.blends ? "blend" : "░▒▓"
        return [build(longAll, note: mixed), build(shortAll, note: shortNote), build(shortAll, note: tinyNote)]
    }
}
