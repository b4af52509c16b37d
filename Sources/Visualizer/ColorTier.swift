/// How much colour the output can show.
public enum ColorTier: String, CaseIterable, Sendable {
    /// 24-bit colour.
    case truecolor
    /// The xterm 256-colour palette.
    case ansi256 = "256"
    /// The 16 ANSI colours.
    case ansi16 = "16"
    /// The 8 basic ANSI colours.
    case ansi8 = "8"
    /// No colour: ASCII glyphs only (` .:-=+*&%@` for maps, `#`/`.` for masks).
    case ascii = "never"

    /// Whether cells carry colour (otherwise glyphs carry the picture).
    public var usesColor: Bool { self != .ascii }

    /// Picks a tier from the environment, as `--color auto` does.
    ///
    /// `NO_COLOR` (any value) or a non-UTF-8 locale gives ASCII; `COLORTERM=truecolor|24bit`
    /// gives truecolor when `terminalColors` (what the terminal reports, if known) allows it;
    /// `TERM` naming 256 colours gives 256; a plain colour terminal gives 16 or 8.
    public static func detect(environment: [String: String], utf8: Bool, terminalColors: Int? = nil) -> ColorTier {
        if environment["NO_COLOR"] != nil || !utf8 { return .ascii }
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" { return .ascii }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        if colorterm == "truecolor" || colorterm == "24bit" {
            if let colors = terminalColors {
                if colors >= 0x100_0000 { return .truecolor }
            } else {
                return .truecolor
            }
        }
        if let colors = terminalColors {
            if colors >= 256 { return .ansi256 }
            if colors >= 16 { return .ansi16 }
            if colors >= 8 { return .ansi8 }
            return .ascii
        }
        if term.contains("256color") || term.contains("direct") { return .ansi256 }
        return .ansi16
    }

    /// The richest tier a terminal that reports `terminalColors` colours can show (ncurses
    /// sends only the colours its terminfo entry has: 256-colour numbers on an 8-colour entry,
    /// or packed RGB on a 256-colour one, come out as the default colour).
    public static func shown(terminalColors: Int) -> ColorTier {
        if terminalColors >= 0x100_0000 { return .truecolor }
        if terminalColors >= 256 { return .ansi256 }
        if terminalColors >= 16 { return .ansi16 }
        return terminalColors >= 8 ? .ansi8 : .ascii
    }

    /// Richness, from ASCII (0) to truecolor (4).
    var rank: Int {
        switch self {
        case .ascii: return 0
        case .ansi8: return 1
        case .ansi16: return 2
        case .ansi256: return 3
        case .truecolor: return 4
        }
    }

    /// What `--color` gets in a terminal of `terminalColors` colours and a locale that is UTF-8
    /// or not: `requested`, or the richest tier below it that can be drawn, with a note saying
    /// why (a forced tier past the terminal's colours drew no colour at all, so dropped blocks
    /// vanished). `term` names the terminal in the note.
    public static func forced(_ requested: ColorTier, terminalColors: Int, utf8: Bool, term: String) -> (tier: ColorTier, note: String?) {
        let flag = "--color \(requested.rawValue)"
        // Box drawing and half blocks need UTF-8; without it every tier falls back to ASCII.
        if !utf8 && requested != .ascii {
            // Short enough for an 80-column message line (round 17: the reason was cut off).
            return (.ascii, "\(flag): the locale is not UTF-8, drawn in ASCII (try LANG=C.UTF-8)")
        }
        let possible = shown(terminalColors: terminalColors)
        guard possible.rank < requested.rank else { return (requested, nil) }
        let colours = terminalColors >= 8 ? "\(terminalColors) colours" : "no colours"
        let hint = requested == .truecolor ? " (try TERM=xterm-direct)" : ""
        return (possible, "\(flag): TERM=\(term) has \(colours), drawn in \(possible.name)\(hint)")
    }

    /// How notes name the tier.
    public var name: String {
        switch self {
        case .truecolor: return "truecolor"
        case .ansi256: return "256 colours"
        case .ansi16: return "16 colours"
        case .ansi8: return "8 colours"
        case .ascii: return "ASCII"
        }
    }

    /// Whether a locale name (`LC_ALL`, `LC_CTYPE` or `LANG`) selects UTF-8.
    public static func localeIsUTF8(_ environment: [String: String]) -> Bool {
        let name = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LANG"] ?? ""
        let lower = name.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8")
    }
}
