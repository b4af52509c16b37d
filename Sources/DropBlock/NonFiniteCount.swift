import CMaskKernels

/// Counts the NaN and infinite values of float32 data, as the summary line's `nonfinite=`
/// and `overflow=` report them.
///
/// A non-finite input stays non-finite in every preset's output (NaN stays NaN, `Inf x 0` is
/// NaN), so the output's count less the input's is the number of finite units that became
/// non-finite: `|x| x scale` past float32's largest value.
public enum NonFiniteCount {
    /// What one pass over some values finds.
    public struct Survey: Sendable, Equatable {
        /// How many are NaN or infinite.
        public var nonFinite = 0
        /// The largest magnitude among them, a NaN or an infinity counting as the largest
        /// finite float (so that a product that may overflow is never missed).
        public var largestMagnitude: Float = 0

        /// Whether multiplying these values by `scale` may give a non-finite value from a
        /// finite one (when it cannot, the output's count is the input's).
        public func mayOverflow(scale: Float) -> Bool {
            // Conservative by a part in a million: rounding near the edge then counts, not guesses.
            Double(largestMagnitude) * Double(abs(scale)) >= Double(Float.greatestFiniteMagnitude) * (1 - 1e-6)
        }
    }

    /// One pass over `values` (`dropblock_survey`, in pieces under 2^31): how many are NaN or
    /// infinite and the largest magnitude.
    public static func survey(_ values: UnsafeBufferPointer<Float>) -> Survey {
        guard let base = values.baseAddress else { return Survey() }
        return UnsafeRawPointer(base).withMemoryRebound(to: UInt32.self, capacity: values.count) { bits in
            var result = Survey(), done = 0
            var most: UInt32 = 0
            while done < values.count {
                let piece = min(values.count - done, 1 << 30)
                var largest: UInt32 = 0
                result.nonFinite += Int(dropblock_survey(bits + done, Int64(piece), &largest))
                most = max(most, largest)
                done += piece
            }
            // Past the largest finite float's bits is an infinity or a NaN.
            result.largestMagnitude = Float(bitPattern: min(most, 0x7F7F_FFFF))
            return result
        }
    }

    /// How many of `values` are NaN or infinite.
    public static func of(_ values: UnsafeBufferPointer<Float>) -> Int {
        survey(values).nonFinite
    }

    /// The same for a tensor's storage.
    public static func of(_ tensor: Tensor) -> Int {
        tensor.storage.withUnsafeBufferPointer { of($0) }
    }
}
