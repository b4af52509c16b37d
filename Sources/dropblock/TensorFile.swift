import DropBlock
import NumpyIO
import ShapeFormat

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
        let data = try file.data()
        do {
            return try NPYArray(data: data)
        } catch {
            throw CLIError("\(what) \(file.path): \(error.description)")
        }
    }

    /// Opens a `.npy` file for reading in chunks (its header parsed and sizes checked); every error names the file.
    static func reader(_ file: InputFile, what: String) throws -> NPYFileReader {
        guard file.format == .npy else { throw file.wrongFormat(what: what, expected: "a .npy file") }
        do {
            return try NPYFileReader(path: file.path)
        } catch {
            throw CLIError("\(what) \(file.path): \(error.description)")
        }
    }

    /// Brings array `name` of a file into the core's `(N, C, *spatial)` order: `layout` (or the
    /// default for its rank) says where N, C and the spatial axes are; missing N and C become 1.
    /// Non-finite values are kept when `allowNonFinite` (apply handles them as the references do).
    static func canonical(
        _ array: NPYArray, name: String, layout requested: TensorLayout?, what: String, spatialRanks: Set<Int>,
        allowNonFinite: Bool = false
    ) throws -> (tensor: Tensor, layout: TensorLayout) {
        let (shape, layout) = try canonicalShape(array.shape, name: name, layout: requested, what: what, spatialRanks: spatialRanks)
        if !allowNonFinite, let bad = array.values.firstIndex(where: { !$0.isFinite }) {
            throw CLIError("\(what) \(name) contains \(array.values[bad].isNaN ? "NaN" : "Inf") at flat index \(bad)")
        }
        return (try Tensor(shape: shape, storage: layout.toCanonical(array.values, shape: array.shape)), layout)
    }

    /// The canonical `(N, C, *spatial)` shape of an array of `arrayShape` (checked as `canonical`
    /// checks it), and the layout it is in, before any value is read.
    static func canonicalShape(
        _ arrayShape: [Int], name: String, layout requested: TensorLayout?, what: String, spatialRanks: Set<Int>
    ) throws -> (shape: [Int], layout: TensorLayout) {
        guard let layout = requested ?? TensorLayout.default(rank: arrayShape.count) else {
            throw CLIError("\(what) \(name) has rank \(arrayShape.count) (shape \(ShapeText.tuple(arrayShape))); expected rank 2 to 5 "
                           + "(HW, CHW, NCHW or NCDHW, or channels last with --layout)")
        }
        guard layout.rank == arrayShape.count else {
            throw CLIError("\(what) \(name) has shape \(ShapeText.tuple(arrayShape)), not rank \(layout.rank) as --layout \(layout.rawValue) says")
        }
        let shape = layout.canonicalShape(arrayShape)
        guard spatialRanks.contains(shape.count - 2) else {
            throw CLIError("\(what) \(name) has shape \(ShapeText.tuple(arrayShape)); expected a 2D or 3D map of rank \(spatialRanks.map { $0 + 2 }.sorted())")
        }
        // Said here with the file's name: the core's own error named no file (round 21).
        guard !arrayShape.contains(0) else {
            throw CLIError("\(what) \(name) has shape \(ShapeText.tuple(arrayShape)): a zero-sized dimension, so no values")
        }
        return (shape, layout)
    }

    static func write(_ tensor: Tensor, to path: String) throws {
        try NPYArray(shape: tensor.shape, values: tensor.storage).write(to: path)
    }

    /// Writes a canonical `(N, C, *spatial)` tensor back in the user's `layout`.
    static func write(_ tensor: Tensor, layout: TensorLayout, to path: String) throws {
        let shape = layout.shape(fromCanonical: tensor.shape)
        try NPYArray(shape: shape, values: layout.fromCanonical(tensor.storage, shape: shape)).write(to: path)
    }
}
