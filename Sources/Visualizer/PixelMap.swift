/// A 2D map of pixel values and how to read them.
public struct PixelMap: Sendable {
    /// How values are coloured and pooled.
    public enum Kind: Sendable {
        /// Values in [0, 1] on the colour map; pooled by mean.
        case continuous
        /// Like `continuous`, with -1 marking dropped units (drawn black); pooled by mean of
        /// the kept units, dropped only when the whole block is.
        case masked
        /// 1 kept, 0 dropped; pooled by minimum so a dropped block never disappears.
        case keepMask
        /// 0 outside the seed region, 0.5 allowed, 1 a seed; pooled by maximum.
        case seeds
        /// 1 kept, 0 dropped, pooled by mean: the dropped density. For plain dropout, whose
        /// scattered units would turn every pooled cell "dropped" under minimum pooling.
        case keepDensity
    }

    public let width: Int, height: Int
    public let values: [Float]
    public let kind: Kind

    public init(width: Int, height: Int, values: [Float], kind: Kind) {
        precondition(values.count == width * height, "pixel count must match the map size")
        self.width = width
        self.height = height
        self.values = values
        self.kind = kind
    }

    /// The displayed pixel `(px, py)` under `scale`: one map pixel, or a pooled block.
    @inline(__always)
    func pixel(_ px: Int, _ py: Int, scale: MapScale) -> Float {
        if scale.downscale == 1 {
            return values[(py / scale.upscale) * width + px / scale.upscale]
        }
        let f = scale.downscale
        let x0 = px * f, y0 = py * f
        let x1 = min(width, x0 + f), y1 = min(height, y0 + f)
        var sum: Float = 0, kept: Float = 0
        var low: Float = .infinity, high: Float = -.infinity
        for y in y0..<y1 {
            for x in x0..<x1 {
                let v = values[y * width + x]
                sum += max(v, 0)
                if v >= 0 { kept += 1 }
                low = min(low, v)
                high = max(high, v)
            }
        }
        switch kind {
        case .continuous, .keepDensity: return sum / Float((x1 - x0) * (y1 - y0))
        case .masked: return kept == 0 ? -1 : sum / Float((x1 - x0) * (y1 - y0))
        case .keepMask: return low
        case .seeds: return high
        }
    }
}
