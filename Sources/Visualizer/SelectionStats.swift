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
    static func compute(result: DropBlockResult, channel: Int, slice: Int, depthReach: ClosedRange<Int>?) -> SelectionStats {
        let mask = result.keepMask
        let selection = MapSelection(shape: mask.shape, channel: channel, slice: slice)
        let channelDropped = droppedFraction(mask.storage, selection.channelVolume)
        let sliceDropped = droppedFraction(mask.storage, selection.plane)
        guard let seedMask = result.seedMask else {
            return SelectionStats(channelDropped: channelDropped, sliceDropped: sliceDropped, seeds: 0, nearbySeeds: 0)
        }
        let seeds = count(seedMask.storage, selection.plane)
        var nearby = 0
        if let reach = depthReach {
            for z in reach where z != selection.slice && z >= 0 && z < selection.depth {
                nearby += count(seedMask.storage, selection.planeRange(slice: z))
            }
        }
        return SelectionStats(channelDropped: channelDropped, sliceDropped: sliceDropped, seeds: seeds, nearbySeeds: nearby)
    }

    static func droppedFraction(_ mask: [Float], _ range: Range<Int>) -> Double {
        guard !range.isEmpty else { return 0 }
        var kept = 0
        for i in range where mask[i] > 0 { kept += 1 }
        return Double(range.count - kept) / Double(range.count)
    }

    static func count(_ seeds: [Float], _ range: Range<Int>) -> Int {
        var n = 0
        for i in range where seeds[i] > 0 { n += 1 }
        return n
    }
}
