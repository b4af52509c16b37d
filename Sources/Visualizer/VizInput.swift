import DropBlock
import Foundation

/// The data the visualizer shows: a rank-4 `(N, C, H, W)` or rank-5 `(N, C, D, H, W)` tensor,
/// held whole or, for a file, decoded one sample at a time as the shown sample changes.
public struct VizInput: Sendable {
    /// What it is, for the title line (a file name or "embedded sample").
    public let name: String
    /// The shape, rank 4 or 5.
    public let shape: [Int]
    /// The same sample at several stages of a network (the `b` view); empty for one array.
    /// Each has the tensor's batch, channels and rank.
    public var stages: [VizStage] = [] {
        // The same samples (N) and rank; a network's layers have channel counts of their own.
        didSet { stages = stages.filter { $0.tensor.rank == shape.count && $0.tensor.shape[0] == shape[0] } }
    }
    /// Why a file's other arrays are not the stages (too many, too large together, or one
    /// could not be read: the shown array is still shown), in wordings from long to short;
    /// empty when they are, or when there are none.
    public var stagesNote: [String] = []
    /// The array's own shape and axes when they are not the shape shown, e.g.
    /// `(3, 20, 24, 6) nhwc` for an input shown as `(3, 6, 20, 24)`; the header gives both.
    public var origin: String?
    /// How many of its values are NaN or infinite (data to show, not a reason to refuse the file).
    public let nonFiniteCount: Int
    /// Whether any finite value is negative: then the bottom of the colour scale is the lowest
    /// value, not zero (the scale is set by the finite values alone, so `-inf` does not count).
    public let hasNegative: Bool
    private let backing: Backing

    private enum Backing: Sendable {
        case whole(Tensor)
        case samples(SampleCache)
    }

    /// Wraps a tensor of rank 2 `(H, W)`, 3 `(C, H, W)`, 4 or 5 (lower ranks gain leading 1s).
    public init(name: String, tensor: Tensor) throws(DropBlockError) {
        self.name = name
        let whole: Tensor
        switch tensor.rank {
        case 2: whole = try Tensor(shape: [1, 1] + tensor.shape, storage: tensor.storage)
        case 3: whole = try Tensor(shape: [1] + tensor.shape, storage: tensor.storage)
        case 4, 5: whole = tensor
        default: throw .wrongRank(expected: 4, shape: tensor.shape)
        }
        guard whole.shape.allSatisfy({ $0 > 0 }) else { throw .emptyDimension(shape: tensor.shape) }
        shape = whole.shape
        backing = .whole(whole)
        nonFiniteCount = tensor.storage.reduce(0) { $1.isFinite ? $0 : $0 + 1 }
        hasNegative = tensor.storage.contains { $0 < 0 && $0.isFinite }
    }

    /// An input of `shape` (rank 4 or 5) decoded on demand: `loader(n)` returns sample `n`'s
    /// `(C, *spatial)` values in C order. The last sample loaded is kept, so moving between
    /// views of one sample decodes nothing; `nonFiniteCount` and `hasNegative` describe the
    /// whole input (a reader finds them in one streaming pass). A sample that cannot be read
    /// any more (the file changed underneath) shows as zeros.
    public init(name: String, shape: [Int], nonFiniteCount: Int, hasNegative: Bool,
                loader: @escaping @Sendable (Int) throws -> [Float]) throws(DropBlockError) {
        guard shape.count == 4 || shape.count == 5 else { throw .wrongRank(expected: 4, shape: shape) }
        guard shape.allSatisfy({ $0 > 0 }) else { throw .emptyDimension(shape: shape) }
        _ = try Tensor.elementCount(of: shape)
        self.name = name
        self.shape = shape
        self.nonFiniteCount = nonFiniteCount
        self.hasNegative = hasNegative
        backing = .samples(SampleCache(sampleCount: shape.dropFirst().reduce(1, *), loader: loader))
    }

    /// The whole tensor (for an input decoded on demand, every sample is decoded: the `b`
    /// view of a single array uses it).
    public var tensor: Tensor {
        switch backing {
        case .whole(let tensor): return tensor
        case .samples(let cache): return Self.tensor(shape, (0..<batch).flatMap { cache.values(of: $0) })
        }
    }

    /// Whether the input is a volume `(N, C, D, H, W)`.
    public var is3D: Bool { shape.count == 5 }
    /// Samples (N).
    public var batch: Int { shape[0] }
    /// Channels (C).
    public var channels: Int { shape[1] }
    /// Slices (D); 1 for a 2D map.
    public var depth: Int { is3D ? shape[2] : 1 }
    /// Rows (H).
    public var height: Int { shape[shape.count - 2] }
    /// Columns (W).
    public var width: Int { shape[shape.count - 1] }
    /// The spatial extent, `(H, W)` or `(D, H, W)`.
    public var spatial: [Int] { Array(shape.dropFirst(2)) }
    /// The largest block size worth offering: the longest spatial side.
    public var largestSide: Int { spatial.max() ?? 1 }

    /// Sample `n` as a batch of one.
    public func sample(_ n: Int) -> Tensor {
        let sampleShape = [1] + Array(shape.dropFirst())
        switch backing {
        case .whole(let tensor):
            let size = tensor.count / batch
            return Self.tensor(sampleShape, Array(tensor.storage[(n * size)..<((n + 1) * size)]))
        case .samples(let cache):
            return Self.tensor(sampleShape, cache.values(of: n))
        }
    }

    /// A tensor whose shape is a validated input's (or a sample of it) and whose values have its count.
    private static func tensor(_ shape: [Int], _ values: [Float]) -> Tensor {
        do { return try Tensor(shape: shape, storage: values) } catch { preconditionFailure("a sample's shape and values disagree") }
    }
}

/// The last sample a loader decoded, shared by the copies of one `VizInput`.
final class SampleCache: @unchecked Sendable {
    // @unchecked: `lock` guards `index` and `values`.
    private let lock = NSLock()
    private var index = -1
    private var values: [Float] = []
    let sampleCount: Int
    let loader: @Sendable (Int) throws -> [Float]

    init(sampleCount: Int, loader: @escaping @Sendable (Int) throws -> [Float]) {
        self.sampleCount = sampleCount
        self.loader = loader
    }

    /// Sample `n`'s values: the kept ones, or freshly decoded (zeros if the loader fails or
    /// returns the wrong count).
    func values(of n: Int) -> [Float] {
        lock.lock()
        defer { lock.unlock() }
        if index == n { return values }
        let loaded = (try? loader(n)).flatMap { $0.count == sampleCount ? $0 : nil }
        values = loaded ?? [Float](repeating: 0, count: sampleCount)
        index = n
        return values
    }
}
