/// DropBlock for input of any rank its preset supports: `(N, C, H, W)` maps and
/// `(N, C, D, H, W)` volumes alike, the rank read from each input's shape.
///
/// The one entry point for code that does not know the rank in advance (the CLI and the
/// visualizer use it). `DropBlock2D` and `DropBlock3D` are the same layer fixed to one rank.
///
/// ```swift
/// let layer = DropBlockND(dropProb: 0.1, blockSize: 7, preset: .torchvision)
/// let maps = try layer.forward(try Tensor(shape: [8, 64, 14, 14], repeating: 1), seed: 1)
/// let volumes = try layer.forward(try Tensor(shape: [2, 16, 8, 14, 14], repeating: 1), seed: 1)
/// ```
public struct DropBlockND: DropBlockLayer, Equatable {
    /// The layer's configuration.
    public var parameters: DropBlockParameters

    /// Creates a layer from full parameters.
    public init(parameters: DropBlockParameters) {
        self.parameters = parameters
    }

    /// `shape.count - 2`, at least 2: a shape with fewer than four axes is reported as a
    /// `wrongRank` error (expected `(N, C, H, W)`), one with a spatial rank the preset does not
    /// support as `unsupportedRank`.
    public func spatialRank(for shape: [Int]) -> Int { max(2, shape.count - 2) }
}
