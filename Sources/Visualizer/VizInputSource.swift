/// Where a session's arrays come from: the arrays of a user's file that can be shown. The
/// CLI implements it over its file readers, so the visualizer itself reads no files.
public protocol VizInputSource: Sendable {
    /// The names of the arrays, in file order (each can be loaded).
    var arrayNames: [String] { get }
    /// Loads array `index` as a visualizer input.
    func load(_ index: Int) throws -> VizInput
}
