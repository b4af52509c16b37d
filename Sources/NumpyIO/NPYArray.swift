import Foundation

/// An array read from or written to a NumPy `.npy` file, held as C-order `Float`.
public struct NPYArray: Equatable, Sendable {
    /// The array's shape (empty for a scalar).
    public let shape: [Int]
    /// The values in row-major (C) order, converted to Float.
    public let values: [Float]
    /// The dtype the file stored (`<f4` for arrays made in memory).
    public let dtype: String

    /// Creates an array from C-order values.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape and values disagree")
        self.shape = shape
        self.values = values
        self.dtype = "<f4"
    }

    init(shape: [Int], values: [Float], dtype: String) {
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }

    /// Reads a `.npy` file.
    public init(contentsOf path: String) throws(NPYError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io("cannot read \(path): \(FileErrorReason.of(error))")
        }
        self = try NPYReader.decode(data)
    }

    /// Parses the bytes of a `.npy` file.
    public init(data: Data) throws(NPYError) {
        self = try NPYReader.decode(data)
    }

    /// The bytes of a version 1.0 (or 2.0 if the header is large) float32 C-order `.npy` file.
    public func encoded() -> Data { NPYWriter.encode(self) }

    /// Writes the array as a float32 C-order `.npy` file (atomically: no partial file on failure).
    public func write(to path: String) throws(NPYError) {
        try NPYWriter.write(self, to: path)
    }
}
