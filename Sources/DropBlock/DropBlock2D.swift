/// DropBlock for `(N, C, H, W)` feature maps: the spelling of the Python packages'
/// `DropBlock2D`. It accepts rank-4 input only; `DropBlockND` takes any rank its preset supports.
public struct DropBlock2D: DropBlockLayer, Equatable {
    /// The spatial rank this layer accepts: 2, `(H, W)`.
    public static let spatialRank = 2
    /// The layer's configuration.
    public var parameters: DropBlockParameters

    /// Creates a layer from full parameters.
    public init(parameters: DropBlockParameters) {
        self.parameters = parameters
    }

    /// Always 2: any other input rank is a `wrongRank` error.
    public func spatialRank(for shape: [Int]) -> Int { Self.spatialRank }
}
