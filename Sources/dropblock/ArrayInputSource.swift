import DropBlock
import Foundation
import ShapeFormat
import Visualizer

/// The arrays of a user's file that the visualizer can show (`l`/`L` move between them):
/// those whose rank fits the layout, each loaded on demand. The others are listed, with the
/// reason, in `skipped`.
struct ArrayInputSource: VizInputSource, @unchecked Sendable {
    // @unchecked: the file's archive reader is a class used from the visualizer's one thread.
    let file: ArrayFile
    let layout: TensorLayout?
    /// The showable arrays, in file order.
    let listings: [ArrayFile.Listing]
    /// Arrays that cannot be shown, and why.
    let skipped: [ArrayFile.Skipped]

    init(file: ArrayFile, layout: TensorLayout?) {
        self.file = file
        self.layout = layout
        var shown: [ArrayFile.Listing] = [], left = file.skipped
        for listing in file.arrays {
            let rank = listing.shape.count
            if file.readsAsFeatures(listing, layout: layout) {
                left.append(ArrayFile.Skipped(name: listing.name, reason: ArrayFile.featuresReason(listing)))
            } else if let layout, layout.rank != rank {
                left.append(ArrayFile.Skipped(name: listing.name, reason: "rank \(rank), not \(layout.rawValue)"))
            } else if !(2...5).contains(rank) {
                left.append(ArrayFile.Skipped(name: listing.name, reason: "rank \(rank) is not a map (2 to 5)"))
            } else {
                shown.append(listing)
            }
        }
        listings = shown
        skipped = left
    }

    var arrayNames: [String] { listings.map(\.name) }

    /// The title of array `name`: the file name, and the array's name when the file has several.
    func title(_ name: String) -> String {
        let base = URL(fileURLWithPath: file.path).lastPathComponent
        return file.arrays.count > 1 ? "\(base):\(name)" : base
    }

    /// The most layers the `b` view loads as stages, and the most elements they may hold together.
    static let maximumStages = 8, maximumStageElements = 1 << 26

    func load(_ index: Int) throws -> VizInput {
        var input = try read(index)
        let listing = listings[index]
        let (_, layout) = try TensorFile.canonicalShape(listing.shape, name: title(listing.name), layout: layout, what: "input",
                                                        spatialRanks: [2, 3])
        if listing.shape != input.shape { input.origin = "\(ShapeText.tuple(listing.shape)) \(layout.rawValue)" }
        return input
    }

    /// Array `index` as an input: a sample at a time where it can be, else whole with the
    /// file's other layers as its stages.
    func read(_ index: Int) throws -> VizInput {
        var input = try readArray(index)
        if listings.count == 1 && !skipped.isEmpty {
            // The file's other members cannot be stages: say which, and why (a broken member
            // is otherwise named only in the launch note).
            let names = skipped.map { "'\($0.name)'" }.joined(separator: ", ")
            input.stagesNote = ["the file's other members cannot be shown: " + skipped.map { "'\($0.name)' (\($0.reason))" }.joined(separator: ", "),
                                "the file's other members cannot be shown: \(names)", "other members skipped"]
        }
        return input
    }

    /// Array `index` as an input, with the file's other layers as its stages where they can be.
    private func readArray(_ index: Int) throws -> VizInput {
        // A lone array, or one whose file has too many layers to load as stages, is decoded a
        // sample at a time where it can be.
        let limit = stagesLimit
        if listings.count == 1 || limit != nil, var lazy = try samplewise(index) {
            if let limit { lazy.stagesNote = limit }
            return lazy
        }
        let shown = try canonical(index)
        var input = try VizInput(name: title(listings[index].name), tensor: shown)
        // The file's layers are the `b` view's stages (those with the same samples and rank;
        // VizInput keeps only those), as long as a few of them fit in memory together. The
        // shown array is decoded once and shared. Another array that cannot be read (no memory
        // for it, or a corrupt member) costs the stages, not the array asked for.
        guard listings.count > 1 else { return input }
        if let limit {
            input.stagesNote = limit
        } else {
            var stages: [VizStage] = []
            for (i, listing) in listings.enumerated() {
                do {
                    stages.append(VizStage(name: listing.name, tensor: i == index ? shown : try canonical(i)))
                } catch {
                    // The error names the file first; the note is about its array.
                    let reason = "\(error)".replacingOccurrences(of: "\(file.path): ", with: "")
                    input.stagesNote = ["'\(listing.name)' cannot be read: \(reason)",
                                        "'\(listing.name)' cannot be read (--array \(listing.name) says why)", "'\(listing.name)' cannot be read"]
                    return input
                }
            }
            input.stages = stages
        }
        return input
    }

    /// Why the file's arrays cannot all load as the `b` view's stages (too many, or too many
    /// values together), as a note in its long and short forms; nil when they can, or when
    /// the file has one array.
    var stagesLimit: [String]? {
        guard listings.count > 1 else { return nil }
        let total = listings.prefix(Self.maximumStages).reduce(0) { $0 + $1.shape.reduce(1, *) }
        if listings.count > Self.maximumStages {
            return ["the file has \(listings.count) arrays, and stages load at most \(Self.maximumStages)",
                    "\(listings.count) arrays, at most \(Self.maximumStages)"]
        } else if total > Self.maximumStageElements {
            return ["the file's arrays hold \(total) values together, and stages load at most 2^26",
                    "\(total) values, at most 2^26"]
        }
        return nil
    }

    /// Array `index` decoded one sample at a time, when its samples are contiguous (N first, or
    /// no N axis) in a C-order `.npy`, a `.safetensors` tensor (both read in place), or a large
    /// `.npz` member (inflated into an unlinked file in the temporary folder): the first frame
    /// of a big file then costs one pass to count non-finite and negative values, and one
    /// sample's memory.
    func samplewise(_ index: Int) throws -> VizInput? {
        let listing = listings[index]
        let (shape, layout) = try TensorFile.canonicalShape(listing.shape, name: title(listing.name), layout: layout, what: "input",
                                                            spatialRanks: [2, 3])
        guard layout.sourceAxes[0] ?? 0 == 0 else { return nil }
        let reader: ChunkedArrayReader
        do {
            guard let chunks = try file.chunkReader(listing.name, scratchFolder: NSTemporaryDirectory()) else { return nil }
            reader = chunks
        } catch {
            // Read whole instead, which reports any fault of the file itself (a full temporary
            // folder, where a large member is inflated, is not one).
            return nil
        }
        let (nonFinite, negative) = try SampleReader.scan(reader, path: file.path)
        let sample = SampleReader(reader: reader, path: file.path, layout: layout,
                                  sampleShape: layout.sourceAxes[0] == nil ? listing.shape : [1] + listing.shape.dropFirst())
        return try VizInput(name: title(listing.name), shape: shape, nonFiniteCount: nonFinite, hasNegative: negative,
                            loader: { try sample.values(of: $0) })
    }

    /// Array `index` in the core's (N, C, *spatial) order.
    func canonical(_ index: Int) throws -> Tensor {
        let name = listings[index].name
        return try TensorFile.canonical(file.load(name), name: title(name), layout: layout, what: "input", spatialRanks: [2, 3],
                                        allowNonFinite: true).tensor
    }
}
