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

    /// Whether a locale name (`LC_ALL`, `LC_CTYPE` or `LANG`) selects UTF-8.
    public static func localeIsUTF8(_ environment: [String: String]) -> Bool {
        let name = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LANG"] ?? ""
        let lower = name.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8")
    }
}
