import DropBlock

/// One stage of a network: a name (`conv3_x`) and its maps, `(N, C, H, W)` or `(N, C, D, H, W)`.
public struct VizStage: Sendable {
    /// The stage's name.
    public let name: String
    /// Its maps.
    public let tensor: Tensor

    /// A stage `name` holding `tensor`.
    public init(name: String, tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }
}
