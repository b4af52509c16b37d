import DropBlock

/// Where the selected channel and depth slice live inside a `(1, C or 1, [D,] H, W)` tensor
/// of one sample (input, output, keep mask or seed map).
public struct MapSelection: Sendable, Equatable {
    /// Channels of the tensor (1 for a shared mask).
    public let channels: Int
    /// The spatial extent (depth 1 in 2D).
    public let depth: Int, height: Int, width: Int
    /// The selected channel (0 for a shared mask) and slice (0 in 2D), clamped to the tensor.
    public let channel: Int, slice: Int

    /// The selection of `channel` and `slice` in a tensor of `shape` (a shared mask uses channel 0).
    public init(shape: [Int], channel: Int, slice: Int) {
        let spatial = Array(shape.dropFirst(2))
        channels = shape.count > 1 ? shape[1] : 1
        depth = spatial.count == 3 ? spatial[0] : 1
        height = spatial.count >= 2 ? spatial[spatial.count - 2] : 1
        width = spatial.last ?? 1
        self.channel = channels == 1 ? 0 : min(max(channel, 0), channels - 1)
        self.slice = min(max(slice, 0), depth - 1)
    }

    /// Units of one slice.
    public var planeCount: Int { height * width }

    /// The selected slice of the selected channel.
    public var plane: Range<Int> { planeRange(slice: slice) }

    /// Slice `z` of the selected channel.
    public func planeRange(slice z: Int) -> Range<Int> {
        let start = (channel * depth + z) * planeCount
        return start..<(start + planeCount)
    }

    /// Every slice of the selected channel.
    public var channelVolume: Range<Int> {
        let start = channel * depth * planeCount
        return start..<(start + depth * planeCount)
    }
}
