import Foundation

/// How `dropblock bench` writes a measured number in its text tables, in one place for every
/// column and case.
public enum TableNumber {
    /// `value` with four significant digits, but from 1000 up as a whole number, never in
    /// exponent form: a column mixed `1.01e+04` with `9611`, which read as the smaller.
    public static func text(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        return abs(value) >= 1000 ? String(format: "%.0f", value) : String(format: "%.4g", value)
    }
}
