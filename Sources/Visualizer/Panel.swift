/// A panel as a value: a title, what it shows, and the legend entries it needs.
/// `PanelPainter` draws any panel into a region of the frame.
public struct Panel: Sendable {
    /// What a panel shows.
    public enum Content: Sendable {
        /// A map drawn at the layout's scale; `window` is the part shown in the 1:1 zoom.
        case map(PixelMap, window: MapWindow?)
        /// Lines of text, clipped to the panel.
        case text([String])
        /// Expected drop against block size (the sweep).
        case sweep(SweepChart)
        /// Nothing (the computation failed; the error line says why).
        case empty
    }

    /// Where the layout puts it.
    public let id: PanelID
    /// Its title, in wordings from long to short.
    public var title: PanelTitle
    /// What it shows.
    public var content: Content
    /// The colours and glyphs it uses, for the legend line.
    public var legend: Set<LegendRole>
    /// Lines under the map (as many as the layout request's `captionLines` show), each in
    /// wordings from long to short: a line shows its longest wording that fits, or nothing,
    /// so a number is rounded (`PanelTitle.number`) and never cut.
    public var caption: [PanelTitle]
    /// A map unit to mark as the cursor (seed mode), column and row.
    public var cursor: (x: Int, y: Int)?
    /// How strongly it is drawn (the walk-through lights the panels a step talks about).
    public var emphasis = Emphasis.normal

    /// How strongly a panel is drawn.
    public enum Emphasis: Sendable, Equatable {
        /// As every panel is drawn.
        case normal
        /// The title reversed.
        case highlighted
        /// Every cell dim.
        case dimmed
    }

    /// A panel `id` titled `title` showing `content`, using the `legend` roles, with `caption` under it.
    public init(id: PanelID, title: PanelTitle, content: Content, legend: Set<LegendRole> = [], caption: [PanelTitle] = [],
                cursor: (x: Int, y: Int)? = nil) {
        self.cursor = cursor
        self.id = id
        self.title = title
        self.content = content
        self.legend = legend
        self.caption = caption
    }
}
