/// A perceptual, viridis-like colour map, quantised to a fixed number of steps.
///
/// Anchors are viridis at tenths (matplotlib's published CC0 colour map); between them
/// the map interpolates linearly. Quantising to `steps` levels first keeps the number of
/// distinct colours (and so ncurses colour pairs) small and the 256-colour rendering
/// faithful: each step maps to its own nearest xterm colour.
public struct Colormap: Sendable {
    static let anchors: [RGB] = [
        RGB(68, 1, 84), RGB(72, 36, 117), RGB(65, 68, 135), RGB(53, 95, 141), RGB(42, 120, 142),
        RGB(33, 145, 140), RGB(34, 168, 132), RGB(68, 191, 112), RGB(122, 209, 81), RGB(189, 223, 38),
        RGB(253, 231, 37),
    ]

    /// The number of distinct levels.
    public let steps: Int
    /// The colour of each level, darkest first.
    public let palette: [RGB]

    /// Creates the map with `steps` levels (at least 2).
    public init(steps: Int = 16) {
        precondition(steps >= 2, "a colour map needs at least two steps")
        self.steps = steps
        palette = (0..<steps).map { Colormap.continuous(Double($0) / Double(steps - 1)) }
    }

    /// The continuous map at `t` in [0, 1].
    public static func continuous(_ t: Double) -> RGB {
        let clamped = min(max(t, 0), 1)
        let position = clamped * Double(anchors.count - 1)
        let index = min(Int(position), anchors.count - 2)
        return RGB.mix(anchors[index], anchors[index + 1], position - Double(index))
    }

    /// The level of a value in [0, 1] (clamped; NaN counts as 0).
    @inline(__always)
    public func level(_ value: Float) -> Int {
        guard value > 0 else { return 0 }
        return min(steps - 1, Int(value * Float(steps)))
    }

    /// The colour of a value in [0, 1].
    @inline(__always)
    public func color(_ value: Float) -> RGB { palette[level(value)] }
}
