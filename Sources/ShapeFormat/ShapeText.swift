/// How a shape is written for people, in one place so that titles, errors and headers agree.
///
/// Spellings of one rule (axes in array order, so a map reads HxW, as NumPy and
/// `stats --size` have it): the whole array as NumPy's tuple, `(8, 16, 28, 28)` (without its
/// spaces in a `key=value` line), and a map's extents joined by `x`, `28x28` (`DxHxW` in 3D). A terminal's size in columns by rows
/// (`80x24`, as terminals name it) is not an array's shape and is not written here; nor is the
/// shape literal inside a `.npy` header, which is NumPy's file format, not a message.
public enum ShapeText {
    /// A whole array's shape as NumPy prints it: `(2, 3)`, `(10,)` for one axis, `()` for none.
    public static func tuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// A whole array's shape as one token of a `key=value` line: NumPy's tuple without its
    /// spaces, `(8,16,28,28)`, so that splitting the line on spaces keeps it whole (round 24).
    public static func token(_ shape: [Int]) -> String {
        String(tuple(shape).filter { $0 != " " })
    }

    /// A map's extents in array order joined by `x`: `28x28` (HxW), `6x8x8` (DxHxW).
    public static func size(_ extents: [Int]) -> String {
        extents.map(String.init).joined(separator: "x")
    }
}
