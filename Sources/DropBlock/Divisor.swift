/// Division by a divisor fixed for a pass, as a multiply by its precomputed reciprocal
/// (Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019): for a dividend
/// and a divisor below 2^32, `(ceil(2^64 / d) * n) >> 64` is exactly `n / d`.
///
/// A hardware division costs a dozen cycles or more and sits on the sparse seed walk's
/// critical path; the multiply costs a few. Larger values divide.
struct Divisor: Sendable {
    /// The divisor (at least 1).
    let divisor: Int
    /// `ceil(2^64 / divisor)`, or 0 where the multiply does not apply (a divisor of 1, or
    /// one of 2^32 or more).
    private let reciprocal: UInt64

    /// Division by `divisor`, which must be at least 1.
    init(_ divisor: Int) {
        precondition(divisor >= 1, "a divisor is at least 1")
        self.divisor = divisor
        reciprocal = divisor > 1 && divisor < 1 << 32 ? UInt64.max / UInt64(divisor) + 1 : 0
    }

    /// `n / divisor` for `n >= 0`.
    @inline(__always)
    func quotient(_ n: Int) -> Int {
        if reciprocal != 0 && UInt64(truncatingIfNeeded: n) >> 32 == 0 {
            return Int(truncatingIfNeeded: reciprocal.multipliedFullWidth(by: UInt64(truncatingIfNeeded: n)).high)
        }
        return divisor == 1 ? n : n / divisor
    }
}
