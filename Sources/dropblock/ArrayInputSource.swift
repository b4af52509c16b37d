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
        let (_, layout) = try TensorFile.canonicalShape(listing.shape, name: file.label(listing), layout: layout, what: "input",
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
        // A lone array, or one whose file has layers that cannot load as stages, is decoded a
        // sample at a time where it can be.
        let choice = stages(for: index)
        if listings.count == 1 || choice.arrays == nil, var lazy = try samplewise(index) {
            if let note = choice.note { lazy.stagesNote = note }
            return lazy
        }
        let shown = try canonical(index)
        var input = try VizInput(name: title(listings[index].name), tensor: shown)
        if let note = choice.note { input.stagesNote = note }
        // The chosen layers are the `b` view's stages (those with the same samples and rank;
        // VizInput keeps only those). The shown array is decoded once and shared. Another
        // array that cannot be read (no memory for it, or a corrupt member) costs the stages,
        // not the array asked for.
        guard listings.count > 1, let chosen = choice.arrays else { return input }
        var stages: [VizStage] = []
        for i in chosen {
            let listing = listings[i]
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
        return input
    }

    /// The arrays that load as the `b` view's stages beside array `index`, and a note (its
    /// long and short forms) when they are not all of the file's: every array when at most
    /// `maximumStages` hold at most `maximumStageElements` values together; else one array
    /// per map size among those with the shown array's samples and rank (layers of one size
    /// give a block size the same numbers), the shown one for its own size, when those fit;
    /// else none, with the reason. A file of one array has no stages and no note.
    func stages(for index: Int) -> (arrays: [Int]?, note: [String]?) {
        guard listings.count > 1 else { return (nil, nil) }
        let values = { (indices: [Int]) in indices.reduce(0) { $0 + self.listings[$1].shape.reduce(1, *) } }
        let all = Array(listings.indices)
        // The canonical (N, spatial) of each array, by its layout (or the default for its rank).
        func key(_ i: Int) -> (samples: Int, spatial: [Int])? {
            let shape = listings[i].shape
            guard let layout = layout ?? TensorLayout.default(rank: shape.count), layout.rank == shape.count else { return nil }
            let canonical = layout.canonicalShape(shape)
            return (canonical[0], Array(canonical.dropFirst(2)))
        }
        if all.count <= Self.maximumStages && values(all) <= Self.maximumStageElements {
            // A stage has the shown array's samples and rank (VizInput keeps only those): say
            // which are left out, rather than drop them without a word (new-user round 20).
            let shown = key(index)
            let left = all.filter { i in
                guard let shown, let other = key(i) else { return true }
                return other.samples != shown.samples || other.spatial.count != shown.spatial.count
            }.map { "'\(listings[$0].name)'" }
            guard !left.isEmpty else { return (all, nil) }
            let what = shown.map { "\($0.samples) sample\($0.samples == 1 ? "" : "s") of \($0.spatial.count)D maps" } ?? "this array's shape"
            return (all, ["not stages, as they do not hold \(what): \(left.joined(separator: ", "))",
                          "\(left.count) other\(left.count == 1 ? "" : "s") not stages"])
        }
        var chosen: [Int] = []
        if let shown = key(index) {
            var sizes: [[Int]] = [shown.spatial]
            for i in all {
                guard let other = key(i), other.samples == shown.samples, other.spatial.count == shown.spatial.count else { continue }
                if i == index {
                    chosen.append(i)
                } else if !sizes.contains(other.spatial) {
                    sizes.append(other.spatial)
                    chosen.append(i)
                }
            }
        }
        let fits = chosen.count > 1 && chosen.count <= Self.maximumStages && values(chosen) <= Self.maximumStageElements
        if fits {
            let names = chosen.map { listings[$0].name }.joined(separator: ", ")
            return (chosen, ["one array per map size: \(names) (\(chosen.count) of the file's \(listings.count))",
                             "one per map size, \(chosen.count) of \(listings.count)"])
        }
        if chosen.count > Self.maximumStages {
            return (nil, ["the file's arrays have \(chosen.count) map sizes, and stages load at most \(Self.maximumStages)",
                          "\(chosen.count) map sizes, at most \(Self.maximumStages)"])
        }
        if chosen.count > 1 {
            return (nil, ["one array per map size holds \(values(chosen)) values together, and stages load at most 2^26",
                          "\(values(chosen)) values, at most 2^26"])
        }
        return (nil, listings.count > Self.maximumStages
            ? ["the file has \(listings.count) arrays, none of another map size, and stages load at most \(Self.maximumStages)",
               "\(listings.count) arrays, at most \(Self.maximumStages)"]
            : ["the file's arrays hold \(values(all)) values together, and stages load at most 2^26", "\(values(all)) values, at most 2^26"])
    }

    /// Array `index` decoded one sample at a time, when its samples are contiguous (N first, or
    /// no N axis) in a C-order `.npy`, a `.safetensors` tensor (both read in place), or a large
    /// `.npz` member (inflated into an unlinked file in the temporary folder): the first frame
    /// of a big file then costs one pass to count non-finite and negative values, and one
    /// sample's memory.
    func samplewise(_ index: Int) throws -> VizInput? {
        let listing = listings[index]
        let (shape, layout) = try TensorFile.canonicalShape(listing.shape, name: file.label(listing), layout: layout, what: "input",
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
