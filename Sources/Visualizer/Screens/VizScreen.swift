/// One screen of the visualizer: it turns the model's state into panels and a layout
/// request, and routes the keys pressed while it is active.
///
/// Adding a view means one new type conforming to this protocol and one case in `ActiveScreen`.
public protocol VizScreen: Sendable {
    /// What the screen asks of the layout for `model` on a terminal of `size`.
    func request(_ model: VizModel, size: ScreenSize) -> LayoutRequest
    /// Lines of the screen's own under the header (as many as `request` reserved).
    func headerLines(_ model: VizModel, layout: VizLayout) -> [String]
    /// The panels, for the layout the request gave.
    func panels(_ model: VizModel, layout: VizLayout) -> [Panel]
    /// A key pressed while the screen is active: handled here, or passed to the model.
    mutating func route(_ action: VizAction, model: VizModel) -> KeyRoute
}

extension VizScreen {
    /// No lines of its own, by default.
    public func headerLines(_ model: VizModel, layout: VizLayout) -> [String] { [] }
}
