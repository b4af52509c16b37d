/// How panels are framed.
public enum PanelStyle: Sendable, Equatable {
    /// A box round each panel, the title in its top border; neighbours share border lines.
    case boxed
    /// No box: a title row above each map and one blank column between panels (for
    /// terminals where the borders would cost a whole scale step).
    case compact
}
