import Foundation
import Netpbm
import NumpyIO
import SafetensorsIO
import ShapeFormat

/// A user's data file as named arrays, whatever its format: a `.npy` (one array, named after
/// the file), an `.npz` (its members), a `.safetensors` file (its tensors), or a PGM/PPM image
/// (one `(1, C, H, W)` array). Listing reads headers only; `load` decodes one array.
struct ArrayFile {
    /// An array that can be loaded.
    struct Listing: Equatable {
        let name: String
        let shape: [Int]
        let dtype: String
    }

    /// An array that cannot be used, and why.
    struct Skipped: Equatable {
        let name: String
        let reason: String

        /// `name (reason), ...`: how `apply`'s note and the visualizer's launch note list them.
        static func list(_ skipped: [Skipped]) -> String {
            skipped.map { "\($0.name) (\($0.reason))" }.joined(separator: ", ")
        }
    }

    private enum Source {
        /// A `.npy` file: its header is read, its values when loaded (whole) or streamed.
        case npy(InputFile)
        case single(NPYArray)
        case archive(NPZArchive)
        /// A `.safetensors` file: its header is read, a tensor's values when loaded or streamed.
        case safetensors(SafetensorsFileReader)
    }

    let path: String
    /// The file's arrays in file order.
    let arrays: [Listing]
    /// Members that are not numeric arrays.
    let skipped: [Skipped]
    private let source: Source

    /// Opens `path`; `what` names its role in messages ("input"). Images are accepted only when
    /// `images` is true (the visualizer); every error names the file.
    init(_ path: String, what: String, images: Bool = false) throws {
        self.path = path
        let file = try InputFile(path, what: what)
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        switch file.format {
        case .npy:
            let header = try TensorFile.reader(file, what: what)
            source = .npy(file)
            arrays = [Listing(name: stem, shape: header.shape, dtype: header.dtype)]
            skipped = []
        case .netpbm where images && file.format.isReadableImage:
            let image: NetpbmImage
            let data = try file.data()
            do { image = try NetpbmImage(data: data) } catch { throw CLIError("\(what) \(path): \(error.description)") }
            let shape = [1, image.channels, image.height, image.width]
            source = .single(NPYArray(shape: shape, values: image.samples))
            arrays = [Listing(name: stem, shape: shape, dtype: "u\(image.channels == 3 ? "ppm" : "pgm")")]
            skipped = []
        case .zip:
            let archive: NPZArchive
            do { archive = try NPZArchive(contentsOf: path) } catch { throw CLIError("\(what) \(path): \(error.description)") }
            var listed: [Listing] = [], left = archive.skipped.map { Skipped(name: $0.path, reason: $0.reason) }
            for member in archive.members {
                do {
                    let header = try archive.header(named: member.name)
                    if header.isNumeric {
                        listed.append(Listing(name: member.name, shape: header.shape, dtype: header.dtype))
                    } else {
                        left.append(Skipped(name: member.name, reason: "dtype '\(header.dtype)' is not numeric"))
                    }
                } catch {
                    left.append(Skipped(name: member.name, reason: error.description))
                }
            }
            source = .archive(archive)
            arrays = listed
            skipped = left
        case .safetensors:
            let tensors: SafetensorsFileReader
            do { tensors = try SafetensorsFileReader(path: path) } catch { throw CLIError("\(what) \(path): \(error.description)") }
            source = .safetensors(tensors)
            arrays = tensors.entries.map { Listing(name: $0.name, shape: $0.shape, dtype: $0.dtype.rawValue) }
            skipped = []
        default:
            throw file.wrongFormat(what: what, expected: images ? "a .npy, .npz or .safetensors file, or a PGM/PPM image"
                                                                 : "a .npy, .npz or .safetensors file")
        }
    }

    /// How messages name `listing`: the path as given, with `:name` for an array of an archive
    /// or a safetensors file (a `.npy`'s listing is named after its stem, without the extension).
    func label(_ listing: Listing) -> String {
        switch source {
        case .npy, .single: return path
        case .archive, .safetensors: return "\(path):\(listing.name)"
        }
    }

    /// The names of every listed array, for messages.
    var names: String { arrays.map(\.name).joined(separator: ", ") }

    /// Decodes array `name` as C-order floats.
    /// - Throws: `CLIError` when there is no room for it: its floats, the bytes they come from
    ///   (up to 8 an element; an `.npz` member inflated) and the caller's copy in the core's
    ///   order, which Swift's allocations would otherwise trap on.
    func load(_ name: String) throws -> NPYArray {
        if let listing = arrays.first(where: { $0.name == name }) {
            let units = listing.shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            try MemoryProbe.require(units > Int.max / 24 ? Int.max : units * 24, for: "reading \(path) '\(name)' whole")
        }
        switch source {
        case .npy(let file):
            return try TensorFile.array(from: file, what: file.what)
        case .single(let array):
            return array
        case .archive(let archive):
            do { return try archive.array(named: name) } catch { throw CLIError("\(path): \(error.description)") }
        case .safetensors(let tensors):
            guard let entry = tensors.entry(named: name) else { throw CLIError("\(path) has no tensor named '\(name)'") }
            do { return NPYArray(shape: entry.shape, values: try tensors.values(of: entry)) } catch { throw CLIError("\(path): \(error.description)") }
        }
    }

    /// Archive members from this many declared bytes up are streamed (`chunkReader`'s
    /// `scratchFolder`) rather than inflated into memory whole.
    static let streamedMemberBytes: UInt64 = 64 << 20

    /// A chunk reader of array `name` when the file is a `.npy` in C order or a `.safetensors`
    /// file (read in place); with `scratchFolder`, also for a large `.npz` member in C order,
    /// inflated a chunk at a time into a file there that is unlinked as soon as it is open (a
    /// 1 GiB member inflated whole took 2.4 GB). Nil otherwise.
    func chunkReader(_ name: String, scratchFolder: String? = nil) throws -> ChunkedArrayReader? {
        switch source {
        case .npy(let file):
            let reader = try TensorFile.reader(file, what: file.what)
            return reader.readsInChunks ? reader : nil
        case .archive(let archive):
            guard let folder = scratchFolder, let member = archive.members.first(where: { $0.name == name }),
                  member.uncompressedSize >= Self.streamedMemberBytes else { return nil }
            let scratch = (folder as NSString).appendingPathComponent(".dropblock-member-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).npy")
            do {
                try archive.extract(named: name, to: scratch)
                defer { unlink(scratch) }
                let reader = try NPYFileReader(path: scratch)
                return reader.readsInChunks ? reader : nil
            } catch {
                throw CLIError("\(path): \(error.description)")
            }
        case .safetensors(let tensors):
            guard let entry = tensors.entry(named: name) else { throw CLIError("\(path) has no tensor named '\(name)'") }
            return SafetensorsTensorChunks(file: tensors, entry: entry)
        case .single:
            return nil
        }
    }

    /// Whether `listing` reads as a classifier's `(N, features)` rather than a map: rank 2 in a
    /// file that also holds arrays with batch and channel axes (rank 4 or more), when no
    /// `--layout` says otherwise. `stats --from` and the visualizer leave such arrays out, and
    /// `apply --array` notes it; as a map it would be a meaningless 2x1000 strip.
    func readsAsFeatures(_ listing: Listing, layout: TensorLayout?) -> Bool {
        layout == nil && listing.shape.count == 2 && arrays.contains { $0.shape.count >= 4 }
    }

    /// Why `listing` (see `readsAsFeatures`) is not taken as a map.
    static func featuresReason(_ listing: Listing) -> String {
        "shape \(ShapeText.tuple(listing.shape)) beside arrays with batch and channel axes reads as (N, features), not a map "
            + "(--layout hw takes rank-2 arrays as maps)"
    }

    /// The array a command should use: `requested` if given, else the only one; several
    /// without a choice is a usage error that lists them.
    func choose(_ requested: String?, flag: String = "--array") throws -> Listing {
        if let requested {
            guard let found = arrays.first(where: { $0.name == requested }) else {
                // A member that is there but broken is bad data (1); a name that is not there is a usage slip (2).
                if let broken = skipped.first(where: { $0.name == requested }) {
                    throw CLIError("\(path): array '\(requested)' cannot be used: \(broken.reason)")
                }
                throw UsageError("\(path) has no array '\(requested)'; it has: \(names)")
            }
            return found
        }
        guard let only = arrays.first else {
            // "No numeric array" led with the wrong cause where a numeric member could not be read.
            throw CLIError("\(path) holds no usable array" + (skipped.isEmpty ? "" : " (skipped: \(skipped.map { "\($0.name): \($0.reason)" }.joined(separator: "; ")))"))
        }
        guard arrays.count == 1 else { throw UsageError("\(path) holds \(arrays.count) arrays; choose one with \(flag) NAME: \(names)") }
        return only
    }
}
