/// DropBlock for `(N, C, D, H, W)` volumes (presets `dropblock` and `torchvision`): the
/// spelling of the Python packages' `DropBlock3D`. It accepts rank-5 input only;
/// `DropBlockND` takes any rank its preset supports.
public struct DropBlock3D: DropBlockLayer, Equatable {
    /// The spatial rank this layer accepts: 3, `(D, H, W)`.
    public static let spatialRank = 3
    /// The layer's configuration.
    public var parameters: DropBlockParameters

    /// Creates a layer from full parameters.
    public init(parameters: DropBlockParameters) {
        self.parameters = parameters
    }

    /// Always 3: any other input rank is a `wrongRank` error.
    public func spatialRank(for shape: [Int]) -> Int { Self.spatialRank }
}
