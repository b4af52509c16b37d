/// `numpy.linspace(start, stop, num)` as a collection whose values are worked out when read,
/// with NumPy's arithmetic, so they match bit for bit; it holds three numbers whatever its
/// count (a schedule of 2^63 steps allocated its values once and crashed).
///
/// Inclusive of both ends; a count of 1 gives `[start]`, 0 gives `[]`.
public struct LinearSpace: RandomAccessCollection, Equatable, Sendable {
    /// The first value.
    public let start: Double
    /// The last value (when the count is at least 2).
    public let stop: Double
    /// The number of values.
    public let count: Int

    /// `count` evenly spaced values from `start` to `stop` (a negative count is empty).
    public init(start: Double, stop: Double, count: Int) {
        (self.start, self.stop, self.count) = (start, stop, Swift.max(0, count))
    }

    /// The first index, 0.
    public var startIndex: Int { 0 }
    /// One past the last index, `count`.
    public var endIndex: Int { count }

    /// Value `i`: `i * step + start`, or, where the step is zero (a denormal span), the span
    /// divided first, as NumPy does; the last is `stop` exactly.
    public subscript(i: Int) -> Double {
        precondition(i >= 0 && i < count, "index \(i) out of 0..<\(count)")
        guard count > 1 else { return start }
        if i == count - 1 { return stop }
        let divisor = Double(count - 1), delta = stop - start, step = delta / divisor
        return (step == 0 ? Double(i) / divisor * delta : Double(i) * step) + start
    }
}
