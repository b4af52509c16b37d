/// A panel title in several wordings, longest first, so that a narrow panel drops words
/// instead of cutting a number: "keep mask 28x28 9.6% dropped", then "mask 9.6%", then "9.6%".
public struct PanelTitle: Sendable, Equatable {
    /// Every wording, longest first; each shows its numbers whole.
    public let wordings: [String]

    /// A title with `wordings`, longest first.
    public init(_ wordings: [String]) {
        self.wordings = wordings
    }

    /// The longest wording of at most `width` characters, or nil when none fits.
    public func fitted(to width: Int) -> String? {
        wordings.first { $0.count <= width }
    }
}
