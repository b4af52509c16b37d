import DropBlock

/// Turns tensors into the pixel maps panels show, for any channel and depth slice.
public struct PanelMaps: Sendable {
    /// The selected channel and depth slice.
    public let channel: Int, slice: Int

    /// Maps of `channel` (and `slice` in 3D).
    public init(channel: Int, slice: Int) {
        self.channel = channel
        self.slice = slice
    }

    /// The channel's map, on a colour scale anchored at 0: from min(0, low) to max(0, high)
    /// (of `reference`'s same map when given), so a constant non-zero map is not drawn as zero.
    public func channelMap(_ tensor: Tensor, normalizeBy reference: Tensor? = nil) -> PixelMap {
        let selection = MapSelection(shape: tensor.shape, channel: channel, slice: slice)
        let scale = colorScale(reference ?? tensor)
        let values = tensor.storage.withUnsafeBufferPointer { source in
            [Float](unsafeUninitializedCapacity: selection.planeCount) { buffer, initialized in
                for i in 0..<selection.planeCount { buffer[i] = scale.normalized(source[selection.plane.lowerBound + i]) }
                initialized = selection.planeCount
            }
        }
        return PixelMap(width: selection.width, height: selection.height, values: values, kind: .continuous)
    }

    /// The output on the input's colour scale, dropped units marked so they read as dropped,
    /// not as zero activations.
    public func outputMap(_ result: DropBlockResult, input: Tensor) -> PixelMap {
        let selection = MapSelection(shape: result.output.shape, channel: channel, slice: slice)
        let keep = MapSelection(shape: result.keepMask.shape, channel: channel, slice: slice).plane.lowerBound
        let first = selection.plane.lowerBound, count = selection.planeCount
        let scale = colorScale(input)
        // One pass: -1 where the mask drops, else the value on the input's scale (negatives at
        // 0); NaN wherever the output is not finite, dropped or not (a dropped Inf or NaN
        // gives NaN, as the references' x * 0 does: that is what the output holds).
        let values = result.output.storage.withUnsafeBufferPointer { output in
            result.keepMask.storage.withUnsafeBufferPointer { mask in
                [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    for i in 0..<count {
                        let value = scale.normalized(output[first + i])
                        buffer[i] = value.isNaN ? Float.nan : mask[keep + i] < 0.5 ? -1 : max(0, value)
                    }
                    initialized = count
                }
            }
        }
        return PixelMap(width: selection.width, height: selection.height, values: values, kind: .masked)
    }

    /// The colour scale of the selected map of `tensor`: from min(0, low) to max(0, high) of its finite values.
    func colorScale(_ tensor: Tensor) -> ColorScale {
        let plane = MapSelection(shape: tensor.shape, channel: channel, slice: slice).plane
        // Finite values only set the scale, in Double: the span of extreme floats overflows Float.
        var low = 0.0, high = 0.0
        tensor.storage.withUnsafeBufferPointer { buffer in
            for i in plane where buffer[i].isFinite {
                low = min(low, Double(buffer[i]))
                high = max(high, Double(buffer[i]))
            }
        }
        if !(high > low) { high = low + 1 }
        return ColorScale(low: low, span: high - low)
    }

    /// Values to [0, 1] from `low` over `span`; NaN marks a non-finite unit, which keeps its own
    /// colour through downsampling.
    struct ColorScale {
        let low: Double, span: Double

        @inline(__always)
        func normalized(_ value: Float) -> Float {
            value.isFinite ? Float((Double(value) - low) / span) : Float.nan
        }
    }

    /// The keep mask of the channel (channel 0 of a shared mask).
    public func maskMap(_ mask: Tensor) -> PixelMap {
        let selection = MapSelection(shape: mask.shape, channel: channel, slice: slice)
        return PixelMap(width: selection.width, height: selection.height, values: Array(mask.storage[selection.plane]), kind: .keepMask)
    }

    /// Seeds of the shown slice over the allowed seed region; in 3D also the seeds of other
    /// slices whose blocks reach this one, so every block on screen has its seed shown.
    public func seedMap(_ result: DropBlockResult, geometry: SeedGeometry?) -> PixelMap? {
        seedMap(seeds: result.seedMask, geometry: geometry)
    }

    /// The roles a seeds panel of `geometry` draws: `outside` only where some unit may not
    /// seed (dropblock seeds everywhere, so its legend does not name it).
    public static func seedRoles(geometry: SeedGeometry?) -> Set<LegendRole> {
        let outside = geometry.map { g in g.spatial.indices.contains { g.seedRegion[$0].count < g.spatial[$0] } } ?? false
        return outside ? [.seed, .nearbySeed, .region, .outside] : [.seed, .nearbySeed, .region]
    }

    /// The same from a pass's seed mask (`(1, C or 1, *spatial)`; nil when seeds were not recorded).
    public func seedMap(seeds: Tensor?, geometry: SeedGeometry?) -> PixelMap? {
        guard let seeds else { return nil }
        let selection = MapSelection(shape: seeds.shape, channel: channel, slice: slice)
        let width = selection.width, count = selection.planeCount
        var values = [Float](repeating: 0, count: count)
        if let geometry {
            let rank = geometry.seedRegion.count
            let rows = geometry.seedRegion[rank - 2], cols = geometry.seedRegion[rank - 1]
            if rank == 2 || geometry.seedRegion[0].contains(slice) {
                for y in rows { for x in cols { values[y * width + x] = 0.5 } }
            }
            if let reach = VizView.depthReach(geometry: geometry, slice: slice) {
                for z in reach where z != slice && z >= 0 && z < selection.depth {
                    let plane = selection.planeRange(slice: z)
                    for i in 0..<count where seeds.storage[plane.lowerBound + i] > 0 { values[i] = max(values[i], 0.75) }
                }
            }
        }
        let plane = selection.plane
        for i in 0..<count where seeds.storage[plane.lowerBound + i] > 0 { values[i] = 1 }
        return PixelMap(width: width, height: selection.height, values: values, kind: .seeds)
    }
}
