import ArgumentParser
import DropBlock
import Foundation
import ShapeFormat

/// `dropblock stats`: requested versus realized drop rate, per preset and per network stage.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Requested vs realized drop rate: closed-form expectation, measured draws, calibrated gamma.",
        discussion: """
            Lists may repeat a flag or use commas: --block-size 1,3,5,7. Defaults: all five presets, \
            block sizes 1,3,5,7, drop_prob 0.1, one 14x14 map, 2000 draws. In the table, * marks an \
            expected fraction more than 10% away from drop_prob.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @Option(name: .customLong("size"), parsing: .unconditionalSingleValue, help: "Map size(s) HxW or DxHxW (repeatable or comma-separated).")
    var sizes: [String] = []

    @Option(help: "resnet18, resnet34, resnet50 or resnet101: use its stage sizes (conv2_x..conv5_x).")
    var network: String?

    @Option(help: "A .npy, .npz or .safetensors file: one row per map size of its arrays (layers); 'stage' names the first, +N the others.")
    var from: String?

    @Option(help: "The --from arrays' axes: nchw, nhwc, chw, hwc, hw, ncdhw or ndhwc (default: channels first by rank).")
    var layout: TensorLayout?

    @Option(parsing: .unconditional, help: "Input image size in pixels for --network (default 224).")
    var imageSize: Int?

    @Option(name: .customLong("preset"), help: "Preset(s) (repeatable or comma-separated).")
    var presets: [String] = []

    @Option(name: .customLong("block-size"), parsing: .unconditionalSingleValue, help: "Block size(s) (repeatable or comma-separated).")
    var blockSizes: [String] = []

    @Option(name: .customLong("drop-prob"), parsing: .unconditionalSingleValue, help: "Drop probability(ies) (repeatable or comma-separated).")
    var dropProbs: [String] = []

    @Option(parsing: .unconditional, help: "Seeded draws per row for 'measured' (0 skips measuring).")
    var samples: Int = 2000

    @Option(parsing: .unconditional, help: "Seed of the draws.")
    var seed: UInt64 = 0

    @Option(help: "Output: table, csv or json.")
    var format: Format = .table

    @Option(parsing: .unconditional, help: "Threads measuring rows at once (default: every core); the numbers do not depend on it.")
    var threads: Int?

    struct Map {
        let spatial: [Int]
        let stage: String?
        /// The file's other arrays of this size, which this map's rows stand for.
        var sameSize: [String] = []
    }

    /// `maps` with each size once: a later map of a size already listed joins that row's
    /// `sameSize` when it names a stage (`--image-size 32` gives resnet's last stages one size),
    /// and is dropped when it does not (a repeated `--size`).
    static func merged(_ maps: [Map]) -> [Map] {
        var result: [Map] = []
        for map in maps {
            guard let first = result.firstIndex(where: { $0.spatial == map.spatial }) else {
                result.append(map)
                continue
            }
            result[first].sameSize += (map.stage.map { [$0] } ?? []) + map.sameSize
        }
        return result
    }

    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }

    func parsedPresets() throws -> [Preset] {
        let names = Self.split(presets)
        guard !names.isEmpty else { return Preset.allCases }
        // Each once: a repeated preset, block size or p gave the same rows again (round 24).
        return (try names.map { name in
            guard let preset = Preset(rawValue: name) else {
                throw ValidationError("unknown preset '\(name)' (\(Preset.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return preset
        }).distinctInOrder()
    }

    func parsedBlockSizes() throws -> [Int] {
        let values = Self.split(blockSizes)
        guard !values.isEmpty else { return [1, 3, 5, 7] }
        return (try values.map {
            guard let value = Int($0), (1...ParameterOptions.maximumBlockSize).contains(value) else {
                throw ValidationError("--block-size: '\($0)' is not an integer in 1...\(ParameterOptions.maximumBlockSize)")
            }
            return value
        }).distinctInOrder()
    }

    func parsedDropProbs() throws -> [Double] {
        let values = Self.split(dropProbs)
        guard !values.isEmpty else { return [0.1] }
        return (try values.map {
            guard let value = Double($0), value.isFinite, (0...1).contains(value) else { throw ValidationError("--drop-prob: '\($0)' is not a number in [0, 1]") }
            return value
        }).distinctInOrder()
    }

    func parsedMaps() throws -> [Map] {
        var maps: [Map] = []
        if let network {
            guard let stages = NetworkStages.stages(network: network, imageSize: imageSize ?? 224) else {
                throw ValidationError("--network must be one of \(NetworkStages.networks.joined(separator: ", ")) and --image-size >= 1")
            }
            maps += stages.map { Map(spatial: [$0.side, $0.side], stage: $0.stage) }
        }
        // A list with commas, as the other lists (round 26: `--size 3x3,1x1` was refused).
        for text in Self.split(sizes) {
            let parts = text.lowercased().split(separator: "x").map { Int($0) }
            guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 4096 }) else {
                throw ValidationError("--size: '\(text)' is not HxW or DxHxW with sides in 1...4096")
            }
            maps.append(Map(spatial: parts.compactMap { $0 }, stage: nil))
        }
        return maps.isEmpty ? [Map(spatial: [14, 14], stage: nil)] : Self.merged(maps)
    }

    /// The most unit draws one row may measure (samples x map units), so that no size list
    /// can ask for unbounded work; the closed-form columns have no such limit.
    static let maximumMeasuredUnits = 1 << 30

    func validate() throws {
        guard (0...1_000_000).contains(samples) else { throw ValidationError("--samples must be in 0...1000000, got \(samples)") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be in 1...256, got \(threads)") }
        // It reads --from's arrays; without one it was ignored without a word.
        if layout != nil && from == nil { throw ValidationError("--layout reads the --from file's arrays, and none is given") }
        // The same for --image-size, which sizes --network's stages (round 24).
        if imageSize != nil && network == nil { throw ValidationError("--image-size sizes the --network stages, and no --network is given") }
        _ = try parsedPresets()
        _ = try parsedBlockSizes()
        _ = try parsedDropProbs()
        try checkWork(parsedMaps())
    }

    /// Refuses maps whose measured draws would pass `maximumMeasuredUnits`, stating the bound.
    func checkWork(_ maps: [Map]) throws {
        for map in maps {
            let units = map.spatial.reduce(1, *)
            let (work, overflow) = units.multipliedReportingOverflow(by: samples)
            guard !overflow, work <= Self.maximumMeasuredUnits else {
                let size = ShapeText.size(map.spatial)
                throw UsageError(
                    "--size \(size) with --samples \(samples) asks for \(units) x \(samples) unit draws per row; the limit is "
                        + "\(Self.maximumMeasuredUnits) (lower --samples, or --samples 0 for the closed form only)")
            }
        }
    }

    /// One map per array of `--from` that has a 2D or 3D map; the others are noted on stderr
    /// (a rank-2 array too, beside arrays of rank 4 or more, unless `--layout` says otherwise).
    func fileMaps() throws -> [Map] {
        guard let from else { return [] }
        let file = try ArrayFile(from, what: "--from file")
        var maps: [Map] = []
        // "name: reason" of each array left out: notes on stderr, or the error's list when none is left.
        var skipped = file.skipped.map { "\($0.name): \($0.reason)" }
        for listing in file.arrays {
            // Its row would sit among the stages as a meaningless 2x1000 map.
            if file.readsAsFeatures(listing, layout: layout) {
                skipped.append("\(listing.name): " + ArrayFile.featuresReason(listing))
                continue
            }
            guard let layout = layout ?? TensorLayout.default(rank: listing.shape.count), layout.rank == listing.shape.count else {
                skipped.append("\(listing.name): shape \(ShapeText.tuple(listing.shape)) is not a map of rank 2 to 5"
                             + (layout.map { " (--layout \($0.rawValue) needs rank \($0.rank))" } ?? ""))
                continue
            }
            let spatial = Array(layout.canonicalShape(listing.shape).dropFirst(2))
            if let hint = TensorLayout.hint(shape: listing.shape, name: file.label(listing), given: self.layout) {
                FileHandle.standardError.write(Data((hint + "\n").utf8))
            }
            // Arrays of one size give the same numbers: one row, which names them all.
            if let first = maps.firstIndex(where: { $0.spatial == spatial }) {
                maps[first].sameSize.append(listing.name)
            } else {
                maps.append(Map(spatial: spatial, stage: listing.name))
            }
        }
        // With nothing left, the reasons go into the one error line (the notes alone led with
        // "no array with a 2D or 3D map" for a map that could not be read).
        guard !maps.isEmpty else {
            throw CLIError("--from file \(from) holds no usable array with a 2D or 3D map"
                           + (skipped.isEmpty ? "" : " (skipped: \(skipped.joined(separator: "; ")))"))
        }
        if !skipped.isEmpty { FileHandle.standardError.write(Data(skipped.map { "note: skipped \($0)\n" }.joined().utf8)) }
        return maps
    }

    func run() throws {
        let fromFile = try fileMaps()
        let maps = Self.merged(fromFile + (fromFile.isEmpty || !sizes.isEmpty || network != nil ? try parsedMaps() : []))
        try checkWork(fromFile)
        let presets = try parsedPresets(), blockSizes = try parsedBlockSizes(), dropProbs = try parsedDropProbs()
        var jobs: [StatsRunner.Job] = []
        for map in maps {
            for preset in presets {
                // A preset that cannot run here (timm and tf in 3D, tf on a non-square map) gets an error row.
                for blockSize in blockSizes {
                    for p in dropProbs {
                        jobs.append(StatsRunner.Job(preset: preset, spatial: map.spatial, blockSize: blockSize, dropProb: p,
                                                    stage: map.stage, sameSize: map.sameSize))
                    }
                }
            }
        }
        let runner = StatsRunner(jobs: jobs, samples: samples, seed: seed, progress: StatsProgress(total: jobs.count))
        let rows = runner.run(threads: threads ?? ForwardOptions.allCores)
        let text: String
        switch format {
        case .table: text = StatsFormatter.table(rows, samples: samples)
        case .csv: text = StatsFormatter.csv(rows, samples: samples)
        case .json: text = StatsFormatter.json(rows, samples: samples)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
        if let failed = rows.first?.study.error, rows.allSatisfy({ $0.study.error != nil }) {
            throw CLIError("no requested preset can run on the requested sizes (\(failed))")
        }
    }
}
