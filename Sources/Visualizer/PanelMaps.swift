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
        let values = Array(tensor.storage[selection.plane])
        let scaleSource: ArraySlice<Float>
        if let reference {
            let refSelection = MapSelection(shape: reference.shape, channel: channel, slice: slice)
            scaleSource = reference.storage[refSelection.plane]
        } else {
            scaleSource = values[...]
        }
        // Finite values only set the scale, in Double: the span of extreme floats overflows Float.
        var low = 0.0, high = 0.0
        for value in scaleSource where value.isFinite {
            low = min(low, Double(value))
            high = max(high, Double(value))
        }
        if !(high > low) { high = low + 1 }
        let span = high - low
        // NaN marks a non-finite unit; it keeps its own colour through downsampling.
        let normalized = values.map { $0.isFinite ? Float((Double($0) - low) / span) : Float.nan }
        return PixelMap(width: selection.width, height: selection.height, values: normalized, kind: .continuous)
    }

    /// The output on the input's colour scale, dropped units marked so they read as dropped,
    /// not as zero activations.
    public func outputMap(_ result: DropBlockResult, input: Tensor) -> PixelMap {
        let scaled = channelMap(result.output, normalizeBy: input)
        let keep = maskMap(result.keepMask)
        let values = zip(scaled.values, keep.values).map { $1 < 0.5 ? -1 : ($0.isNaN ? Float.nan : max(0, $0)) }
        return PixelMap(width: scaled.width, height: scaled.height, values: values, kind: .masked)
    }

    /// The keep mask of the channel (channel 0 of a shared mask).
    public func maskMap(_ mask: Tensor) -> PixelMap {
        let selection = MapSelection(shape: mask.shape, channel: channel, slice: slice)
        return PixelMap(width: selection.width, height: selection.height, values: Array(mask.storage[selection.plane]), kind: .keepMask)
    }

    /// Seeds of the shown slice over the allowed seed region; in 3D also the seeds of other
    /// slices whose blocks reach this one, so every block on screen has its seed shown.
    public func seedMap(_ result: DropBlockResult, geometry: SeedGeometry?) -> PixelMap? {
        guard let seeds = result.seedMask else { return nil }
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
