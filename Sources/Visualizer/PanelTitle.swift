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

    /// A number under its name, in wordings that round it instead of cutting it: the status
    /// line's four significant digits, then three and two, then the same under `short`, down
    /// to one digit (`expected=0.2319`, `expected=0.232`, ..., `exp=0.2`). A narrow panel so
    /// shows `0.23` for 0.2319, never the `0.231` or `0` that cutting the text gave.
    public static func number(_ name: String, short: String, _ value: Double) -> PanelTitle {
        // Fewer digits than the integer part has would switch to an exponent (`1e+01` for 12.5).
        let full = RunSummary.number(value, digits: StatusLine.digits)
        let texts = stride(from: StatusLine.digits, through: 1, by: -1).map { RunSummary.number(value, digits: $0) }
            .filter { $0.contains("e") == full.contains("e") }
        let long = texts.prefix(3).map { "\(name)=\($0)" }
        let brief = texts.map { "\(short)=\($0)" }
        return PanelTitle((long + brief).distinctInOrder())
    }
}
