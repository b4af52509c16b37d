/// Names a panel on a screen, so that the layout can place it and tests can find it.
public struct PanelID: Hashable, Sendable, CustomStringConvertible {
    /// The name, unique on its screen.
    public let name: String

    /// A panel named `name`.
    public init(_ name: String) { self.name = name }

    /// The name.
    public var description: String { name }

    /// The main screen's panels.
    public static let input = PanelID("input"), seeds = PanelID("seeds"), keepMask = PanelID("keepMask"), output = PanelID("output")
    /// The dropout row (`x`) and the sweep (`v`).
    public static let dropoutMask = PanelID("dropoutMask"), dropoutOutput = PanelID("dropoutOutput"), sweep = PanelID("sweep")
    /// Each unit's drop chance (`d`).
    public static let chance = PanelID("chance")
}
