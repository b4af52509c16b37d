import DropBlock

/// The numbers of the selected channel (and slice): what the panels' titles say.
///
/// The whole-sample numbers (`realized=`, the seed count of the draw) differ from these
/// whenever each channel has its own mask (torchvision, tf, per-channel sharing) and, in
/// 3D, from slice to slice.
public struct SelectionStats: Sendable, Equatable {
    /// Dropped fraction of the selected channel's whole map (all slices in 3D).
    public let channelDropped: Double
    /// Dropped fraction of the selected slice (equals `channelDropped` in 2D).
    public let sliceDropped: Double
    /// Seeds in the selected slice of the selected channel.
    public let seeds: Int
    /// 3D: seeds in other slices of the channel whose blocks reach the selected slice.
    public let nearbySeeds: Int

    static let none = SelectionStats(channelDropped: 0, sliceDropped: 0, seeds: 0, nearbySeeds: 0)

    /// The stats of `result` for `channel` and `slice`; `depthReach` is the range of seed
    /// depths whose blocks cover the slice (nil in 2D).
    /// With `window` (the 1:1 zoom's view), the slice's numbers count only the units in view.
    static func compute(result: DropBlockResult, channel: Int, slice: Int, depthReach: ClosedRange<Int>?,
                        window: MapWindow? = nil) -> SelectionStats {
        compute(keepMask: result.keepMask, seedMask: result.seedMask, channel: channel, slice: slice, depthReach: depthReach, window: window)
    }

    /// The same from a pass's keep mask and seed mask (`(1, C or 1, *spatial)` each).
    static func compute(keepMask mask: Tensor, seedMask: Tensor?, channel: Int, slice: Int, depthReach: ClosedRange<Int>?,
                        window: MapWindow? = nil) -> SelectionStats {
        let selection = MapSelection(shape: mask.shape, channel: channel, slice: slice)
        let whole = MapWindow(rows: 0..<selection.height, columns: 0..<selection.width)
        let view = window ?? whole
        var channelKept = 0
        for z in 0..<selection.depth { channelKept += count(mask.storage, selection.planeRange(slice: z), width: selection.width, window: whole) }
        let channelCount = selection.depth * selection.planeCount
        let channelDropped = channelCount > 0 ? Double(channelCount - channelKept) / Double(channelCount) : 0
        let viewCount = view.rows.count * view.columns.count
        let viewKept = count(mask.storage, selection.plane, width: selection.width, window: view)
        let sliceDropped = viewCount > 0 ? Double(viewCount - viewKept) / Double(viewCount) : 0
        guard let seedMask else {
            return SelectionStats(channelDropped: channelDropped, sliceDropped: sliceDropped, seeds: 0, nearbySeeds: 0)
        }
        let seeds = count(seedMask.storage, selection.plane, width: selection.width, window: view)
        var nearby = 0
        if let reach = depthReach {
            for z in reach where z != selection.slice && z >= 0 && z < selection.depth {
                nearby += count(seedMask.storage, selection.planeRange(slice: z), width: selection.width, window: view)
            }
        }
        return SelectionStats(channelDropped: channelDropped, sliceDropped: sliceDropped, seeds: seeds, nearbySeeds: nearby)
    }

    /// Non-zero values of `plane` (a row-major slice of `width` columns) inside `window`.
    static func count(_ values: [Float], _ plane: Range<Int>, width: Int, window: MapWindow) -> Int {
        values.withUnsafeBufferPointer { buffer in
            var n = 0
            for y in window.rows {
                let row = plane.lowerBound + y * width
                for x in window.columns where buffer[row + x] > 0 { n += 1 }
            }
            return n
        }
    }
}
