/// The colours a figure uses for the terminal's defaults, and how a tier shows a colour.
public struct FigurePalette: Sendable, Equatable {
    /// What a cell without a background colour shows.
    public var background: RGB
    /// What a cell without a foreground colour shows.
    public var foreground: RGB

    /// A dark terminal's defaults.
    public static let dark = FigurePalette(background: RGB(0, 0, 0), foreground: RGB(229, 229, 229))

    /// Creates a palette.
    public init(background: RGB, foreground: RGB) {
        self.background = background
        self.foreground = foreground
    }
}
