/// A 24-bit colour.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    /// Red, green and blue, 0-255.
    public var r: UInt8, g: UInt8, b: UInt8

    /// The colour of red `r`, green `g` and blue `b`.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Linear interpolation between two colours, `t` in [0, 1].
    public static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        func lerp(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded())
        }
        return RGB(lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b))
    }

    /// `(r,g,b)`, for messages and test failures.
    public var description: String { "(\(r),\(g),\(b))" }
}
