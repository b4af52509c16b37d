/// A seed probability solved so that the expected dropped fraction equals the target.
///
/// No public implementation drops what it is asked to: blocks overlap and are clipped
/// at edges. Calibration fixes that for any preset's seed rule by bisection on the
/// exact, monotone expectation.
public struct GammaCalibration: Equatable, Sendable {
    /// The requested drop fraction.
    public let target: Double
    /// The solved seed probability (1 when the target is unreachable).
    public let gamma: Double
    /// The expected dropped fraction at `gamma`.
    public let expected: Double
    /// The largest expected fraction this geometry can reach (at gamma = 1).
    public let maximumReachable: Double

    /// Whether `target` can be met (up to 1e-12).
    public var isReachable: Bool { target <= maximumReachable + 1e-12 }

    /// Solves `geometry.expectedDropFraction(gamma) == target`.
    public init(target: Double, geometry: SeedGeometry) {
        self.target = target
        // One histogram for every step of the search.
        let histogram = CoverageHistogram(geometry: geometry)
        let maximum = histogram.expectedDropFraction(gamma: 1)
        self.maximumReachable = maximum
        if target <= 0 {
            gamma = 0
        } else if target >= maximum {
            gamma = 1
        } else {
            var low = 0.0, high = 1.0
            // Bisection to the last representable gamma: the expectation is monotone.
            for _ in 0..<200 {
                let mid = (low + high) / 2
                if mid <= low || mid >= high { break }
                if histogram.expectedDropFraction(gamma: mid) < target { low = mid } else { high = mid }
            }
            let lowError = abs(histogram.expectedDropFraction(gamma: low) - target)
            let highError = abs(histogram.expectedDropFraction(gamma: high) - target)
            gamma = lowError <= highError ? low : high
        }
        expected = histogram.expectedDropFraction(gamma: gamma)
    }
}
