/// A dense tensor of `Float` with contiguous row-major (C order) storage.
///
/// DropBlock works on rank-4 `(N, C, H, W)` and rank-5 `(N, C, D, H, W)` tensors;
/// `Tensor` itself accepts any rank so that masks and noise fit the same type.
public struct Tensor: Equatable, Sendable {
    /// The extent of each dimension, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `storage.count == shape.reduce(1, *)`.
    ///
    /// Read-only from outside: change elements through the subscript or
    /// `withUnsafeMutableBufferPointer`, which cannot change their number, so the storage
    /// always agrees with `shape`.
    public private(set) var storage: [Float]

    /// Creates a tensor from a shape and matching storage.
    /// - Throws: `DropBlockError.storageMismatch` when the counts differ,
    ///   `DropBlockError.invalidShape` for a negative dimension or an element count that overflows.
    public init(shape: [Int], storage: [Float]) throws(DropBlockError) {
        let count = try Tensor.elementCount(of: shape)
        guard count == storage.count else {
            throw .storageMismatch(shape: shape, count: storage.count)
        }
        self.shape = shape
        self.storage = storage
    }

    /// Creates a tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) throws(DropBlockError) {
        let count = try Tensor.elementCount(of: shape)
        self.shape = shape
        self.storage = [Float](repeating: value, count: count)
    }

    /// Internal initializer for shapes already validated by the caller.
    init(validShape shape: [Int], storage: [Float]) {
        precondition(shape.reduce(1, *) == storage.count, "shape and storage disagree")
        self.shape = shape
        self.storage = storage
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int { storage.count }

    /// The element at row-major position `index` (`0 ..< count`).
    public subscript(index: Int) -> Float {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Calls `body` with the elements in row-major order, read-only.
    public func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Float>) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the elements in row-major order to change them in place. The buffer
    /// has exactly `count` elements (its base address is nil only when `count == 0`).
    public mutating func withUnsafeMutableBufferPointer<Result>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try storage.withUnsafeMutableBufferPointer { buffer in try body(buffer) }
    }

    /// The element count of `shape`, checked for negative dimensions and overflow.
    public static func elementCount(of shape: [Int]) throws(DropBlockError) -> Int {
        var total = 1
        for extent in shape {
            guard extent >= 0 else { throw .invalidShape(shape) }
            let (product, overflow) = total.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw .invalidShape(shape) }
            total = product
        }
        return total
    }
}
