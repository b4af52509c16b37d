import DropBlock
import NumpyIO

/// Converting between `.npy` arrays and core tensors, with the checks a user's file needs.
enum TensorFile {
    /// Reads a `.npy` file; every error names the file.
    static func readArray(_ path: String, what: String) throws -> NPYArray {
        let file = try InputFile(path, what: what)
        return try array(from: file, what: what)
    }

    /// Decodes an already opened file as `.npy`; every error names the file.
    static func array(from file: InputFile, what: String) throws -> NPYArray {
        guard file.format == .npy else { throw file.wrongFormat(what: what, expected: "a .npy file") }
        do {
            return try NPYArray(data: file.data)
        } catch {
            throw CLIError("\(what) \(file.path): \(error.description)")
        }
    }

    /// Reads a `.npy` file as a tensor whose values are all finite.
    static func read(_ path: String, ranks: Set<Int>, what: String) throws -> Tensor {
        try tensor(from: readArray(path, what: what), path: path, ranks: ranks, what: what)
    }

    /// Checks an array's rank and values, and makes it a tensor.
    static func tensor(from array: NPYArray, path: String, ranks: Set<Int>, what: String) throws -> Tensor {
        guard ranks.contains(array.shape.count) else {
            let expected = ranks.sorted().map(String.init).joined(separator: " or ")
            throw CLIError("\(what) \(path) has rank \(array.shape.count) (shape \(format(array.shape))); expected rank \(expected)")
        }
        if let bad = array.values.firstIndex(where: { !$0.isFinite }) {
            throw CLIError("\(what) \(path) contains \(array.values[bad].isNaN ? "NaN" : "Inf") at flat index \(bad)")
        }
        return try Tensor(shape: array.shape, storage: array.values)
    }

    static func write(_ tensor: Tensor, to path: String) throws {
        try NPYArray(shape: tensor.shape, values: tensor.storage).write(to: path)
    }

    static func format(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
