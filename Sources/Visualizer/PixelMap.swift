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
        /// reaches this one (3D), 1 a seed; pooled by maximum so a lone seed never disappears,
        /// each seed in the one pixel holding its centre.
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

    /// A map's two axes as drawn (`PoolingAxis`).
    typealias Axes = (x: PoolingAxis, y: PoolingAxis)

    /// The map's two axes as drawn at `scale` (`PoolingAxis`).
    @inline(__always)
    func axes(_ scale: MapScale) -> Axes {
        (PoolingAxis(units: width, pixels: scale.width, scale: scale, origin: scale.originX),
         PoolingAxis(units: height, pixels: scale.height, scale: scale, origin: scale.originY))
    }

    /// The displayed pixel `(px, py)` under `scale`: one map pixel, or a pooled block (each
    /// unit weighed by the part of it the pixel covers, `PoolingAxis`).
    @inline(__always)
    func pixel(_ px: Int, _ py: Int, scale: MapScale) -> Float {
        pixel(px, py, axes: axes(scale))
    }

    /// `pixel(_:_:scale:)` with the axes already made (a map's drawing makes them once).
    @inline(__always)
    func pixel(_ px: Int, _ py: Int, axes: PixelMap.Axes) -> Float {
        let (ax, ay) = axes
        let rows = ay.units(under: py), columns = ax.units(under: px)
        if !ax.pooled && !ay.pooled { return values[rows.lowerBound * width + columns.lowerBound] }
        let area = Float(ax.pixelLength * ay.pixelLength)
        return values.withUnsafeBufferPointer { buffer in
            // Each kind pools only what it reads (the sum in the same order for every kind).
            switch kind {
            case .continuous, .keepMask:
                var sum: Float = 0
                for y in rows {
                    let wy = ay.weight(y, under: py)
                    for x in columns { sum += Float(wy * ax.weight(x, under: px)) * max(buffer[y * width + x], 0) }
                }
                return sum / area
            case .masked:
                // Drawn from `maskedShare`; as a value, the dropped share's sign with the mean.
                let share = maskedShare(px, py, axes: axes)
                return share.dropped == share.total ? -1 : share.keptMean
            case .seeds:
                // A seed marks only the pixel that holds its centre (`PoolingAxis.pixels(of:)`),
                // so a panel never shows more seeds than its `n=` (a seed cut by a pixel boundary
                // showed in both pixels; new-user round 20). Elsewhere it is region, which is an
                // area and shows wherever it reaches.
                var high: Float = -.infinity
                for y in rows {
                    let ownsRow = ay.pixels(of: y).contains(py)
                    for x in columns {
                        let value = buffer[y * width + x]
                        high = max(high, value > 0.5 && !(ownsRow && ax.pixels(of: x).contains(px)) ? 0.5 : value)
                    }
                }
                return high
            }
        }
    }

    /// The kept area and the whole area of a keep mask under displayed pixel `(px, py)`, exact, no
    /// sampling: in units when each pixel holds whole units, else in `PoolingAxis`'s measure.
    @inline(__always)
    func keptCount(_ px: Int, _ py: Int, scale: MapScale) -> (kept: Int, total: Int) {
        keptCount(px, py, axes: axes(scale))
    }

    /// `keptCount(_:_:scale:)` with the axes already made.
    @inline(__always)
    func keptCount(_ px: Int, _ py: Int, axes: PixelMap.Axes) -> (kept: Int, total: Int) {
        let (ax, ay) = axes
        let rows = ay.units(under: py), columns = ax.units(under: px)
        let kept = values.withUnsafeBufferPointer { buffer in
            var kept = 0
            for y in rows {
                let wy = ay.weight(y, under: py)
                for x in columns where buffer[y * width + x] >= 0.5 { kept += wy * ax.weight(x, under: px) }
            }
            return kept
        }
        return (kept, ax.pixelLength * ay.pixelLength)
    }

    /// The dropped area and the whole area of a `masked` map under displayed pixel `(px, py)`,
    /// exact (measured as `keptCount` does), and the mean of its kept units, each weighed by
    /// the part the pixel covers (0 when none is kept; NaN when a kept unit is NaN).
    @inline(__always)
    func maskedShare(_ px: Int, _ py: Int, scale: MapScale) -> (keptMean: Float, dropped: Int, total: Int) {
        maskedShare(px, py, axes: axes(scale))
    }

    /// `maskedShare(_:_:scale:)` with the axes already made.
    @inline(__always)
    func maskedShare(_ px: Int, _ py: Int, axes: PixelMap.Axes) -> (keptMean: Float, dropped: Int, total: Int) {
        let (ax, ay) = axes
        let rows = ay.units(under: py), columns = ax.units(under: px)
        return values.withUnsafeBufferPointer { buffer in
            var sum: Float = 0, dropped = 0
            for y in rows {
                let wy = ay.weight(y, under: py)
                for x in columns {
                    let v = buffer[y * width + x], w = wy * ax.weight(x, under: px)
                    if v < 0 { dropped += w } else { sum += Float(w) * v }
                }
            }
            let total = ax.pixelLength * ay.pixelLength
            return (dropped < total ? sum / Float(total - dropped) : 0, dropped, total)
        }
    }
}
