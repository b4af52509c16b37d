import DropBlock

/// NaN and Inf in a user's tensor are data: the references compute `x * keep * scale` (or timm's
/// `x * keep + noise * (1 - keep)`), so a non-finite unit stays non-finite, dropped or not
/// (`NaN * 0` is NaN), while every finite unit is untouched by its neighbours' values.
/// The engine selects instead of multiplying, so this restores the references' arithmetic
/// at the non-finite positions only.
enum NonFiniteInputs {
    /// Rewrites `output` at every position where `input` is not finite.
    static func restore(input: Tensor, output: inout Tensor, result: DropBlockResult, withNoise: Bool) {
        guard !result.isIdentity, !result.referenceReturnsNaN else { return }
        let shape = input.shape
        let spatial = shape.dropFirst(2).reduce(1, *)
        let channels = shape[1]
        let maskChannels = result.keepMask.shape[1]
        let scale = withNoise ? Float(1) : result.scale
        input.storage.withUnsafeBufferPointer { x in
            result.keepMask.storage.withUnsafeBufferPointer { keep in
                output.withUnsafeMutableBufferPointer { out in
                    for i in x.indices where !x[i].isFinite {
                        let sample = i / (channels * spatial), channel = (i / spatial) % channels, unit = i % spatial
                        let k = keep[(sample * maskChannels + (maskChannels == 1 ? 0 : channel)) * spatial + unit]
                        out[i] = x[i] * k * scale + (k == 0 ? out[i] : 0)
                    }
                }
            }
        }
    }
}
