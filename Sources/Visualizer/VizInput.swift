import DropBlock

/// The data the visualizer shows: a rank-4 `(N, C, H, W)` or rank-5 `(N, C, D, H, W)` tensor.
public struct VizInput: Sendable {
    /// What it is, for the title line (a file name or "embedded sample").
    public let name: String
    /// The tensor; rank 4 or 5.
    public let tensor: Tensor
    /// The same sample at several stages of a network (the `b` view); empty for one array.
    /// Each has the tensor's batch, channels and rank.
    public var stages: [VizStage] = [] {
        // The same samples (N) and rank; a network's layers have channel counts of their own.
        didSet { stages = stages.filter { $0.tensor.rank == tensor.rank && $0.tensor.shape[0] == tensor.shape[0] } }
    }
    /// How many of its values are NaN or infinite (data to show, not a reason to refuse the file).
    public let nonFiniteCount: Int
    /// Whether any value is negative: then the bottom of the colour scale is the lowest value, not zero.
    public let hasNegative: Bool

    /// Wraps a tensor of rank 2 `(H, W)`, 3 `(C, H, W)`, 4 or 5 (lower ranks gain leading 1s).
    public init(name: String, tensor: Tensor) throws(DropBlockError) {
        self.name = name
        switch tensor.rank {
        case 2: self.tensor = try Tensor(shape: [1, 1] + tensor.shape, storage: tensor.storage)
        case 3: self.tensor = try Tensor(shape: [1] + tensor.shape, storage: tensor.storage)
        case 4, 5: self.tensor = tensor
        default: throw .wrongRank(expected: 4, shape: tensor.shape)
        }
        guard self.tensor.shape.allSatisfy({ $0 > 0 }) else { throw .emptyDimension(shape: tensor.shape) }
        nonFiniteCount = tensor.storage.reduce(0) { $1.isFinite ? $0 : $0 + 1 }
        hasNegative = tensor.storage.contains { $0 < 0 }
    }

    public var is3D: Bool { tensor.rank == 5 }
    public var batch: Int { tensor.shape[0] }
    public var channels: Int { tensor.shape[1] }
    public var depth: Int { is3D ? tensor.shape[2] : 1 }
    public var height: Int { tensor.shape[tensor.rank - 2] }
    public var width: Int { tensor.shape[tensor.rank - 1] }
    /// The spatial extent, `(H, W)` or `(D, H, W)`.
    public var spatial: [Int] { Array(tensor.shape.dropFirst(2)) }
    /// The largest block size worth offering: the longest spatial side.
    public var largestSide: Int { spatial.max() ?? 1 }

    /// Sample `n` as a batch of one.
    public func sample(_ n: Int) -> Tensor {
        let size = tensor.count / batch
        let slice = Array(tensor.storage[(n * size)..<((n + 1) * size)])
        // The shape is a sub-shape of a valid tensor, so this cannot fail.
        return (try? Tensor(shape: [1] + Array(tensor.shape.dropFirst()), storage: slice)) ?? tensor
    }
}

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
