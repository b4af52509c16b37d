import NumpyIO

/// An array in a file read a chunk of C-order elements at a time, never whole, so that
/// `apply` streams it and the visualizer decodes one sample: a `.npy` file
/// (`NPYFileReader`), or one tensor of a `.safetensors` file (`SafetensorsTensorChunks`).
protocol ChunkedArrayReader: AnyObject {
    /// The number of elements.
    var count: Int { get }
    /// Reads the next `min(target.count, count - position)` elements into `target` and returns
    /// how many; 0 at the end.
    func read(into target: UnsafeMutableBufferPointer<Float>) throws -> Int
    /// Reads `min(target.count, count - first)` elements from element `first` into `target` and
    /// returns how many, without moving the position `read(into:)` continues from.
    func read(into target: UnsafeMutableBufferPointer<Float>, from first: Int) throws -> Int
}

extension NPYFileReader: ChunkedArrayReader {}
