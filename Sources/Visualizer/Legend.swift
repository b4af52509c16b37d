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

    /// The longest wording that fits `width` columns; if none does, as many whole entries of
    /// the shortest as fit, its share note kept (an entry is never cut in the middle).
    public func segments(width: Int) -> [Segment] {
        let all = wordings()
        if let fitting = all.first(where: { Self.length($0) <= width }) { return fitting }
        return Self.wholeEntries(of: all[all.count - 1], width: width)
    }

    static func length(_ segments: [Segment]) -> Int {
        segments.reduce(0) { $0 + $1.text.count }
    }

    /// The leading entries of `segments` that fit `width` with its note (the part after the
    /// last swatch) kept at the end. In ASCII the entries are the two-space-separated words
    /// of its one segment.
    static func wholeEntries(of segments: [Segment], width: Int) -> [Segment] {
        var entries: [[Segment]] = []
        if segments.count == 1, segments[0].fg == nil {
            let parts = segments[0].text.components(separatedBy: "  ")
            entries = parts.enumerated().map { [Segment(text: $1 + ($0 < parts.count - 1 ? "  " : ""), fg: nil)] }
        } else {
            for segment in segments {
                if segment.text == "█" || entries.isEmpty || entries[entries.count - 1].count == 2 { entries.append([segment]) } else {
                    entries[entries.count - 1].append(segment)
                }
            }
        }
        // A note is an entry with no swatch, after the last one that has one.
        let note = entries.last.map { $0.first?.text != "█" && segments.count > 1 ? $0 : [] } ?? []
        let names = note.isEmpty ? entries : Array(entries.dropLast())
        var kept: [Segment] = [], used = length(note)
        for entry in names {
            guard used + length(entry) <= width else { break }
            kept += entry
            used += length(entry)
        }
        return kept + note
    }

    /// The legend as plain text (for the help overlay and the README).
    public func text(width: Int) -> String {
        segments(width: width).map(\.text).joined()
    }

    func wordings() -> [[Segment]] {
        let nearby = is3D && roles.contains(.nearbySeed)
        // In colour the output marks dropped units in the dropped colour; in ASCII with its own
        // `x`, and cells of both kept and dropped units with the tenths a mask uses.
        let output = self.roles.contains(.droppedOutput)
        let roles = output ? self.roles.union(tier.usesColor ? [.dropped] : [.tenths]) : self.roles
        func pick(_ entries: [(LegendRole, String)]) -> [(LegendRole, String)] {
            entries.filter { roles.contains($0.0) && ($0.0 != .nearbySeed || nearby) }
        }
        if !tier.usesColor {
            let long = pick([(.seed, "o seed"), (.nearbySeed, "+ seed in other slice"), (.region, ": seed region"),
                             (.outside, "blank outside it"), (.kept, ". kept"),
                             (.dropped, "# dropped"), (.tenths, "1-9 tenths dropped"), (.droppedOutput, "x dropped (output)"),
                             (.zero, hasNegative ? "blank lowest" : "blank zero"), (.high, "@ high")])
            let short = pick([(.seed, "o seed"), (.nearbySeed, "+ other slice"), (.region, ": region"), (.kept, ". kept"),
                              (.dropped, "# dropped"), (.tenths, "1-9 tenths"), (.droppedOutput, "x dropped"), (.zero, hasNegative ? "blank low" : "blank 0"), (.high, "@ high")])
            let nonFinite: [[String]] = hasNonFinite ? [["! NaN/Inf"], ["! NaN"]] : [[], []]
            // The seeds panel's blank (no seed may fall there) is named only where it fits: the
            // long wording without it comes before the short one.
            let longWithout = long.filter { $0.0 != .outside }
            return [long.map(\.1) + nonFinite[0], longWithout.map(\.1) + nonFinite[0], short.map(\.1) + nonFinite[1]]
                .map { [Segment(text: $0.joined(separator: "  "), fg: nil)] }
        }
        // The blend note belongs to masks and outputs: it says how a cell mixes kept and dropped.
        let masks = roles.contains(.kept) || output
        let mixed = !masks ? "" : palette.blends ? "cells blend to dropped by share" : "░▒▓ dropped share"
        func build(_ names: [(RGB, String)], note: String) -> [Segment] {
            var segments: [Segment] = []
            for (i, (color, name)) in names.enumerated() {
                segments.append(Segment(text: "█", fg: color))
                segments.append(Segment(text: " " + name + (i < names.count - 1 || !note.isEmpty ? "  " : ""), fg: nil))
            }
            // The shades as the panels draw them: in the dropped colour.
            if note.hasPrefix("░▒▓") {
                segments.append(Segment(text: "░▒▓", fg: palette.dropped))
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
                            (.zero, palette.zero, hasNegative ? "lowest" : "zero"), (.high, palette.high, "high")])
        let short = colours([(.seed, palette.seed, "seed"), (.nearbySeed, palette.nearbySeed, "other slice"),
                             (.region, palette.region, "region"), (.outside, palette.outside, "outside"), (.kept, palette.kept, "kept"),
                             (.dropped, palette.dropped, "dropped"),
                             (.zero, palette.zero, hasNegative ? "low" : "0"), (.high, palette.high, "high")])
        let shortNote = !masks ? "" : palette.blends ? "blend=share" : "░▒▓ share"
        let longAll = long + (hasNonFinite ? [(palette.nonFinite, "NaN/Inf")] : [])
        let shortAll = short + (hasNonFinite ? [(palette.nonFinite, "NaN")] : [])
        // The shortest still names the mixing where cells mix: a blend or shades are on screen.
        let tinyNote = !masks ? "" : palette.blends ? "blend" : "░▒▓"
        return [build(longAll, note: mixed), build(shortAll, note: shortNote), build(shortAll, note: tinyNote)]
    }
}
