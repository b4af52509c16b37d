/// Writes the shown draw somewhere (the CLI writes `dropblock-draw-K.npz`); returns what to tell the user.
public protocol VizDrawWriter: Sendable {
    /// Writes `model`'s current draw; the returned line goes to the status line.
    func write(_ model: VizModel) throws -> String
}
