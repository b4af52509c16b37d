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

/// What a screen did with a key.
public enum KeyRoute: Sendable, Equatable {
    /// The screen used it (its own state may have changed); `message` is the note to show.
    case handled(message: String?)
    /// Not a key of this screen: the model applies it.
    case pass
    /// Back to the main screen.
    case leave
}

/// The screen on show: exactly one at a time, each with its own state.
public enum ActiveScreen: Sendable {
    /// The four panels (with the dropout row, sweep and zoom the model's `main` holds).
    case main
    /// Every channel as a small panel (`g`).
    case grid(GridScreen)
    /// The presets side by side (`p`).
    case presets(PresetsScreen)
    /// Block size across a network's stages (`b`).
    case stages(StagesScreen)
    /// The guided walk-through (`t`).
    case walk(WalkScreen)

    /// Which screen this is, without its state.
    public var kind: ScreenKind {
        switch self {
        case .main: return .main
        case .grid: return .grid
        case .presets: return .presets
        case .stages: return .stages
        case .walk: return .walk
        }
    }
}

/// The screens, by name.
public enum ScreenKind: String, Sendable, CaseIterable {
    /// The four panels.
    case main
    /// Every channel (`g`).
    case grid
    /// The presets side by side (`p`).
    case presets
    /// Block size across stages (`b`).
    case stages
    /// The guided walk-through (`t`).
    case walk
}

/// What is shown over the screen and takes its keys first.
public enum Modal: Sendable, Equatable {
    /// Nothing: keys go to the screen.
    case none
    /// The help overlay, at `page`.
    case help(page: Int)
    /// Seed mode (`i`): seeds placed by hand.
    case seeds(SeedPlacement)
}
