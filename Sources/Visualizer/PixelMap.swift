/// A 2D map of pixel values and how to read them.
public struct PixelMap: Sendable {
    /// How values are coloured and pooled.
    public enum Kind: Sendable {
        /// Values in [0, 1] on the heat ramp; pooled by mean.
        case continuous
        /// Like `continuous`, with -1 marking dropped units; a pooled pixel is drawn from its
        /// exact dropped share and the mean of its kept units (`maskedShare`).
        case masked
        /// 1 kept, 0 dropped; pooled by mean, so a pooled pixel is its exact kept share.
        case keepMask
        /// 0 outside the seed region, 0.5 allowed, 0.75 a seed in another slice whose block
        /// reaches this one (3D), 1 a seed; pooled by maximum so a lone seed never disappears.
        case seeds
    }

    /// Columns and rows of units.
    public let width: Int, height: Int
    /// `width * height` values, row-major, read as `kind` says.
    public let values: [Float]
    /// How the values are coloured and pooled.
    public let kind: Kind

    /// A map of `width x height` values; `values` must hold exactly that many (a programmer error otherwise).
    public init(width: Int, height: Int, values: [Float], kind: Kind) {
        precondition(values.count == width * height, "pixel count must match the map size")
        self.width = width
        self.height = height
        self.values = values
        self.kind = kind
    }

    /// The map units under displayed pixel `(px, py)`: rows and columns of the map.
    @inline(__always)
    func units(_ px: Int, _ py: Int, scale: MapScale) -> (rows: Range<Int>, columns: Range<Int>) {
        if scale.downscale == 1 {
            let y = scale.originY + py / scale.upscale, x = scale.originX + px / scale.upscale
            return (y..<(y + 1), x..<(x + 1))
        }
        let f = scale.downscale
        let x0 = scale.originX + px * f, y0 = scale.originY + py * f
        return (y0..<min(height, y0 + f), x0..<min(width, x0 + f))
    }

    /// The displayed pixel `(px, py)` under `scale`: one map pixel, or a pooled block.
    @inline(__always)
    func pixel(_ px: Int, _ py: Int, scale: MapScale) -> Float {
        let (rows, columns) = units(px, py, scale: scale)
        if rows.count == 1 && columns.count == 1 { return values[rows.lowerBound * width + columns.lowerBound] }
        let count = rows.count * columns.count
        return values.withUnsafeBufferPointer { buffer in
            // Each kind pools only what it reads (the sum in the same order for every kind).
            switch kind {
            case .continuous, .keepMask:
                var sum: Float = 0
                for y in rows { for x in columns { sum += max(buffer[y * width + x], 0) } }
                return sum / Float(count)
            case .masked:
                // Drawn from `maskedShare`; as a value, the dropped share's sign with the mean.
                let share = maskedShare(px, py, scale: scale)
                return share.dropped == share.total ? -1 : share.keptMean
            case .seeds:
                var high: Float = -.infinity
                for y in rows { for x in columns { high = max(high, buffer[y * width + x]) } }
                return high
            }
        }
    }

    /// Kept and total units of a keep mask under displayed pixel `(px, py)`: exact, no sampling.
    @inline(__always)
    func keptCount(_ px: Int, _ py: Int, scale: MapScale) -> (kept: Int, total: Int) {
        let (rows, columns) = units(px, py, scale: scale)
        let kept = values.withUnsafeBufferPointer { buffer in
            var kept = 0
            for y in rows { for x in columns where buffer[y * width + x] >= 0.5 { kept += 1 } }
            return kept
        }
        return (kept, rows.count * columns.count)
    }

    /// Dropped and total units of a `masked` map under displayed pixel `(px, py)`, exact, and
    /// the mean of its kept units (0 when none is kept; NaN when a kept unit is NaN).
    @inline(__always)
    func maskedShare(_ px: Int, _ py: Int, scale: MapScale) -> (keptMean: Float, dropped: Int, total: Int) {
        let (rows, columns) = units(px, py, scale: scale)
        return values.withUnsafeBufferPointer { buffer in
            var sum: Float = 0, dropped = 0
            for y in rows {
                for x in columns {
                    let v = buffer[y * width + x]
                    if v < 0 { dropped += 1 } else { sum += v }
                }
            }
            let total = rows.count * columns.count
            return (dropped < total ? sum / Float(total - dropped) : 0, dropped, total)
        }
    }
}
