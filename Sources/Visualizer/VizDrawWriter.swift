/// Writes the shown draw somewhere (the CLI writes `dropblock-draw-K.npz`).
public protocol VizDrawWriter: Sendable {
    /// Writes `model`'s current draw; returns where it went (a path), which the session's
    /// message names.
    func write(_ model: VizModel) throws -> String
}
