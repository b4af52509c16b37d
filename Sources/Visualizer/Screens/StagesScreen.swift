import DropBlock
import ShapeFormat

/// Block size across a network's stages (`b`): the same sample at each stage side by side,
/// with the current preset, block size and p, each with its map size, `expected=` (the
/// number `dropblock stats` prints), `realized=`, and a warning where the block is as large
/// as the map.
///
/// Each stage can take its own block size (round 25: an engineer picks one per stage):
/// left and right select a stage, and `+`/`-` then change that stage's block only.
public struct StagesScreen: VizScreen, Equatable {
    /// The stage whose block `+`/`-` change, by index; nil when they change every stage's
    /// (the main screen's block).
    public private(set) var selected: Int?
    /// Stages' own block sizes, by index. A stage without one, and the stage the main screen
    /// shows (whose block is the main screen's, so that the status line describes it), runs
    /// the model's block size.
    public private(set) var ownBlocks: [Int: Int] = [:]
    /// Whether the table of expected drop by block and stage is on show (`v` here).
    public private(set) var showsTable = false
    /// The table's cells, kept while their inputs stay (`refreshTable`).
    private(set) var tableCache: StageBlockTable?
    /// The stage the main screen showed, and its block, when the model last called `follow`.
    private var lastShown: Int?, lastMainBlock: Int?
    /// Whether `lastShown` is known (set by `follow`, which the model calls after every key):
    /// finding the stage compares arrays value by value, which took 2 ms a frame when every
    /// caller did it.
    private var shownKnown = false
    /// What the next `follow` says (a key handled here whose effect the model makes).
    private var pendingNote: String?

    /// The stages view, every stage at the model's block size.
    public init() {}

    static func id(_ index: Int) -> PanelID { PanelID("stage\(index)") }

    /// The shapes of the stages on show: the input's own, or the input alone.
    static func shapes(_ input: VizInput) -> [[Int]] {
        input.stages.isEmpty ? [input.shape] : input.stages.map(\.tensor.shape)
    }

    /// Caption lines under each map: the block, expected, realized, and up to three lines of warning.
    static let captionLines = 6

    /// One column per stage, with the captions under each map.
    public func request(_ model: VizModel, size: ScreenSize) -> LayoutRequest {
        let shapes = StagesScreen.shapes(model.input)
        // Boxes as large as the largest stage's map; smaller maps get their own larger scale.
        let width = shapes.map { $0[$0.count - 1] }.max() ?? model.input.width
        let height = shapes.map { $0[$0.count - 2] }.max() ?? model.input.height
        let ids = shapes.indices.map(StagesScreen.id)
        let columns = [ids.count, (ids.count + 1) / 2, 1].reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        return LayoutRequest(mapWidth: width, mapHeight: height, arrangement: .flow(ids, columns: columns),
                             headerLines: 1 + (tableFits(model, size: size) ? tableLineCount(model) : 0), minimumPanelWidth: 18,
                             captionLines: StagesScreen.captionLines)
    }

    /// Whether the table is on and the panels still fit a screen of `size` under it; else it
    /// gives way and the title line says so (verification round: at 80x24 one more row of it
    /// turned the whole view into "enlarge to at least 80x25").
    private func tableFits(_ model: VizModel, size: ScreenSize) -> Bool {
        guard showsTable else { return false }
        var request = StagesScreen().request(model, size: size)
        request.headerLines += tableLineCount(model)
        let statusLines = StatusLine.wrap(StatusLine.fields(model: model), width: size.width).count
        return VizLayout.scale(request, width: size.width, height: size.height, statusLineCount: statusLines) != nil
    }

    /// The table's lines: its title, the stages' header, a row per block size.
    private func tableLineCount(_ model: VizModel) -> Int {
        let key = tableKey(model)
        return 2 + StageBlockTable.blockSizes(stageBlocks: key.stages.map(\.blockSize),
                                              largestSide: key.stages.flatMap(\.spatial).max() ?? 1).count
    }

    /// What the table's cells depend on now.
    func tableKey(_ model: VizModel) -> StageBlockTable.Key {
        let stages = entries(model).enumerated().map { index, entry in
            StageBlockTable.Stage(name: entry.name, spatial: entry.spatial, blockSize: blockSize(stage: index, shown: entry.shown, model: model))
        }
        let p = model.parameters
        return StageBlockTable.Key(preset: p.preset, dropProb: p.dropProb, calibrated: p.calibrated, training: p.isTraining, stages: stages)
    }

    /// The table for the model now: the kept one while its inputs stay.
    func table(_ model: VizModel) -> StageBlockTable {
        let key = tableKey(model)
        if let tableCache, tableCache.key == key { return tableCache }
        return StageBlockTable(key: key)
    }

    /// Makes the table's cells unless those kept are for the model's state (the model calls
    /// this after each key, so that a new draw does not make them again).
    mutating func refreshTable(_ model: VizModel) {
        guard showsTable else {
            tableCache = nil
            return
        }
        tableCache = table(model)
    }

    /// The title line: preset, block size (each stage's, where they differ), `p` and channel;
    /// then the table, when on.
    public func headerLines(_ model: VizModel, layout: VizLayout) -> [String] {
        let title = titleLine(model, layout: layout)
        guard showsTable else { return [title] }
        guard tableFits(model, size: ScreenSize(width: layout.width, height: layout.height)) else {
            let note = ["  (v: the table needs a taller screen)", "  (v: table needs more rows)", "  (v: no room)"]
                .first { title.count + $0.count <= layout.width } ?? ""
            return [title + note]
        }
        return [title] + table(model).lines(width: layout.width, keeping: selected)
    }

    /// The title line.
    private func titleLine(_ model: VizModel, layout: VizLayout) -> String {
        let p = model.parameters
        let blocks = entries(model).enumerated().map { blockSize(stage: $0.offset, shown: $0.element.shown, model: model) }
        let block = Set(blocks).count > 1 ? "blocks=" + blocks.map(String.init).joined(separator: ",") : "block=\(p.blockSize)"
        // With c each stage runs its own calibrated gamma (round 25: the header did not say so).
        let what = "\(p.preset.rawValue)  \(block)  p=\(StatusLine.format(p.dropProb))\(p.calibrated ? "  calibrated" : "")  c\(model.channel)"
        let note = model.input.stagesNote
        if !note.isEmpty && model.input.stages.isEmpty {
            return PanelTitle(note.map { "block size across stages: \(what)  no stages: \($0)" } + note.map { "stages: \(what)  no stages: \($0)" }
                               + ["stages: \(what)  no stages", "stages: \(what)"]).fitted(to: layout.width) ?? "no stages"
        }
        if model.input.stages.isEmpty {
            return PanelTitle([
                "block size across stages: \(what)  one array only: a file of several layers (.npz, .safetensors) shows them as stages",
                "stages: \(what)  one array; a file of layers shows them as stages",
                "stages: \(what)  one array",
            ]).fitted(to: layout.width) ?? "one array"
        }
        // Stages chosen from a larger file (one per map size) say which, in their longest form that fits.
        let keys = selected == nil ? "(<-/-> a stage, +/- one block for all, b back)" : "(<-/-> stage, +/- its block, b back)"
        let shortKeys = selected == nil ? "(<-/-> a stage)" : "(+/- its block)"
        let chosen = note.map { "block size across stages: \(what)  \($0)  \(keys)" } + note.suffix(1).map { "stages: \(what)  \($0)" }
        return PanelTitle(chosen + [
            "block size across stages: \(what)  \(keys)",
            "stages: \(what)  \(keys)",
            "stages: \(what)  \(shortKeys)",
            "stages: \(what)",
        ]).fitted(to: layout.width) ?? "stages"
    }

    /// Each stage's map with its expected and realized drop and any warning.
    public func panels(_ model: VizModel, layout: VizLayout) -> [Panel] {
        let panels = stagePanels(model, layout: layout)
        // One wording for every stage's title, the longest that fits them all: panels of one
        // view titled by name, by size and by percentage alone side by side could not be told
        // apart (new-user round 20). The map size outlasts the name (this view compares sizes;
        // the title line names a file's chosen arrays). Shorter wordings stay as fallbacks.
        let common = panels.map { panel in
            let width = layout.panels[panel.id].map { layout.titleWidth($0) } ?? 0
            return panel.title.wordings.firstIndex { $0.count <= width } ?? panel.title.wordings.count - 1
        }.max() ?? 0
        // The same for the expected= and realized= lines, so that all or none say `sample` or
        // `exp=` (verification round: `expected=0.09` beside `exp=0.0843`).
        // The form is the words without their numbers (`sample realized`, `exp`); each panel
        // then keeps as many digits as its own width allows.
        let numberLines = 0..<StagesScreen.numberCaptions
        // Digits differ from panel to panel (`56x56: 1.6%` beside `7x7: 100%`): the form has none.
        func form(_ wording: String) -> String {
            wording.split(separator: " ").map { String($0.split(separator: "=").first ?? "").filter { !$0.isNumber && $0 != "." } }.joined(separator: " ")
        }
        func width(_ panel: Panel) -> Int { layout.panels[panel.id].map { layout.inner($0).width } ?? 0 }
        let commonForm: [String?] = numberLines.map { line in
            let captioned = panels.filter { $0.caption.count > line }
            let forms = captioned.flatMap { $0.caption[line].wordings.map(form) }.distinctInOrder()
            return forms.first { candidate in
                captioned.allSatisfy { panel in panel.caption[line].wordings.contains { form($0) == candidate && $0.count <= width(panel) } }
            }
        }
        return panels.map { panel in
            var panel = panel
            panel.title = PanelTitle(Array(panel.title.wordings.dropFirst(min(common, panel.title.wordings.count - 1))))
            for line in numberLines where panel.caption.count > line {
                let wordings = panel.caption[line].wordings
                guard let chosen = commonForm[line],
                      let first = wordings.firstIndex(where: { form($0) == chosen && $0.count <= width(panel) }) else { continue }
                panel.caption[line] = PanelTitle(Array(wordings[first...]))
            }
            return panel
        }
    }

    /// The slice of a stage of extent `stage` at the depth of slice `shown` of the map on show
    /// (extent `map`): stages that halve the depth show the slice at the same relative depth
    /// (round 25: slice 10 of 32 showed slice 10 of 16, at depth 20/32, and the last of 8,
    /// clamped from 10). Slice 0 in 2D.
    static func slice(_ shown: Int, of map: [Int], in stage: [Int]) -> Int {
        guard stage.count == 3 else { return 0 }
        let depth = stage[0], shownDepth = map.count == 3 ? map[0] : 1
        guard depth != shownDepth else { return min(shown, depth - 1) }
        // The slice whose span holds the centre of the shown one.
        return min(depth - 1, max(0, (2 * shown + 1) * depth / (2 * shownDepth)))
    }

    /// The caption lines of numbers, the block, `expected=` (or the calibrated `gamma=`) then
    /// `realized=`, above any warning.
    static let numberCaptions = 3

    /// Each stage's panel, its title in every wording.
    private func stagePanels(_ model: VizModel, layout: VizLayout) -> [Panel] {
        rows(model: model).enumerated().map { index, row in
            var panel = stagePanel(index: index, row: row, model: model, layout: layout)
            if index == selected {
                // Reversed where there is colour, and a mark that survives without it.
                panel.emphasis = .highlighted
                panel.title = PanelTitle(panel.title.wordings.map { "> " + $0 })
            }
            return panel
        }
    }

    /// The block's line: its size and the share of the map one block covers (round 25: "a
    /// block of about 1/8 of the map" is how people reason), in wordings from long to short.
    static func blockCaption(_ row: Row) -> PanelTitle {
        let size = ShapeText.size(row.spatial), b = row.blockSize
        guard let share = row.blockShare else { return PanelTitle(["block=\(b) of \(size)", "block=\(b)", "b=\(b)"]) }
        let percent = sharePercent(share)
        return PanelTitle(["block=\(b) of \(size): \(percent) of the map", "block=\(b): \(percent) of map", "b=\(b) \(percent) of map",
                           "b=\(b) \(percent)", "b=\(b)"])
    }

    /// A share as a percentage with two significant digits under 10% (`1.6%`, `0.032%`: a
    /// block of 1 on a 56x56 map is not `0%`), whole above, and never a false `100%`.
    static func sharePercent(_ share: Double) -> String {
        let value = share * 100
        guard value < 9.95 else { return FrameRenderer.roughPercent(share) }
        guard value > 0 else { return "0%" }
        guard value >= 0.01 else { return "<0.01%" }
        // From 1% the tenth, rounded as the titles' shares are (round 26: 49/784 read 6.3% in
        // the title above and 6.2% here).
        guard value < 1 else { return FrameRenderer.percent(share) }
        return RunSummary.number(value, digits: 2) + "%"
    }

    /// Stage `index`'s panel.
    private func stagePanel(index: Int, row: Row, model: VizModel, layout: VizLayout) -> Panel {
        let id = StagesScreen.id(index)
        let inner = layout.panels[id].map { layout.inner($0).width } ?? 18
        let size = ShapeText.size(row.spatial)
        guard let result = row.result, let expected = row.expected else {

            // Parallel to a running stage's wordings (below), so that the common wording keeps the name where theirs do.
            let name = row.name
            return Panel(id: id, title: PanelTitle(["\(name) \(size) cannot run", "\(name) \(size)", "\(name) \(size)", size, size, size, size, name, name,
                                                   "cannot run", "-"]),
                         // Wrapped whole (verification round: its first line was cut mid-size, `of 8x16x1`).
                         content: .text(PresetsScreen.wrap("cannot run at block\u{00A0}\(row.blockSize): \(row.error ?? "")", width: max(8, inner))))
        }
        let sample = row.input.sample(model.sample)
        // A layer with fewer channels shows its last one.
        let channel = min(model.channel, row.input.channels - 1)
        let maps = PanelMaps(channel: channel, slice: StagesScreen.slice(model.slice, of: model.input.spatial, in: row.spatial))
        let dropped = SelectionStats.compute(result: result, channel: maps.channel, slice: maps.slice, depthReach: nil).sliceDropped
        // The title's share is the shown channel's and the caption's realized the sample's
        // (round 20: `20.8%` above `realized=0.09114` read as two answers to one question),
        // so the share carries its channel in every wording.
        let place = "c\(channel)" + (row.spatial.count == 3 ? " slice \(maps.slice)/\(row.spatial[0])" : "")
        let percent = "\(place) \(FrameRenderer.percent(dropped))"
        let name = row.name
        // realized= is the whole sample's, where the title's share is one channel's: said where it fits.
        let realized = PanelTitle.number("realized", short: "real", result.droppedFraction)
        // The word only with the full number: where that does not fit, the plain forms keep the digits.
        let sampleRealized = PanelTitle(realized.wordings.prefix(1).map { "sample " + $0 } + realized.wordings)
        // Calibrated, expected is p at every stage; the number to put in a config is the
        // stage's own gamma (round 25), shown beside it.
        let expectedLine: PanelTitle
        if let calibration = result.calibration, !calibration.isReachable, model.parameters.calibrated {
            // No gamma reaches p here: the largest one's expected is the most there is (round 26:
            // `gamma=1 exp=0.6` read as a gamma to configure; stats says unreachable).
            let most = StatusLine.format(calibration.maximumReachable)
            expectedLine = PanelTitle(["unreachable: at most exp=\(most)", "unreachable, max \(most)", "unreach. \(most)", "unreachable"])
        } else if model.parameters.calibrated && !model.parameters.isIdentityLayer {
            expectedLine = PanelTitle(PanelTitle.number("gamma", short: "g", result.gamma).wordings.flatMap { ["\($0) exp=\(StatusLine.format(expected))", $0] })
        } else {
            expectedLine = PanelTitle.number("expected", short: "exp", expected)
        }
        var caption = [StagesScreen.blockCaption(row), expectedLine, sampleRealized]
        let note = model.input.stagesNote
        let single = !note.isEmpty ? PanelTitle(note.map { "no stages: \($0)" } + ["no stages"])
            : PanelTitle(["one array: a file of several layers (an .npz of a network's activations, say) shows them as stages",
                           "one array; a file of layers shows them as stages", "one array"])
        if let note = row.warning.map({ PanelTitle($0.wordings.map { "! " + $0 }) }) ?? (model.input.stages.isEmpty ? single : nil) {
            // The longest wording whose lines fit under the numbers.
            let room = StagesScreen.captionLines - StagesScreen.numberCaptions
            let lines = note.wordings.map { PresetsScreen.wrap($0, width: max(8, inner)) }
            // The longest wording whose every line fits whole; the last (prose, no number)
            // may be cut at the panel's edge, so a number never is.
            let fits = lines.first { $0.count <= room && $0.allSatisfy { $0.count <= inner } }
            caption += (fits ?? lines[lines.count - 1]).prefix(room).map { PanelTitle([$0, String($0.prefix(inner))]) }
        }
        // In 3D the slice also has a short form, `s10/32`, which keeps the name beside it where the
        // long one does not fit (round 25: `32x64x64 c0 slice 10 12.1%` lost the layer's name).
        let share = FrameRenderer.percent(dropped)
        let slice = row.spatial.count == 3 ? "s\(maps.slice)/\(row.spatial[0]) " : ""
        let brief = "c\(channel) \(slice)\(share)"
        // The slice without its depth, which the size gives (`16x32x32 s0 4.8%`).
        let bare = row.spatial.count == 3 ? "s\(maps.slice) " : ""
        // The last two keep the share (and the selection's mark) in the narrowest panels (new-user
        // round 26: at 100x30 a 3D stage's title, and the `>` with it, was left out whole).
        // The size outlasts the name: without the channel before the name goes (`56x56 8.9%`).
        return Panel(id: id, title: PanelTitle(["\(name) \(size) \(percent) dropped", "\(name) \(size) \(percent)", "\(name) \(size) \(brief)",
                                               "\(size) \(percent)", "\(size) \(brief)", "\(size) \(slice)\(share)", "\(size) \(bare)\(share)",
                                               "\(name) \(brief)", brief,
                                               slice + share, share]),
                     content: .map(maps.outputMap(result, input: sample), window: nil),
                     legend: [.droppedOutput, .zero, .high], caption: caption)
    }

    /// One stage's numbers and draw.
    public struct Row: Sendable {
        /// The stage's name.
        public let name: String
        /// The stage's maps as an input.
        public let input: VizInput
        /// Its map size.
        public let spatial: [Int]
        /// The block size it runs: its own, or the model's.
        public let blockSize: Int
        /// The share of the map one block covers (its extent on each axis clipped to the map);
        /// nil when the preset cannot run here.
        public let blockShare: Double?
        /// The pass on the model's sample (nil when the preset cannot run here).
        public let result: DropBlockResult?
        /// The closed-form expected drop: `dropblock stats`' number (the calibrated target with `c`).
        public let expected: Double?
        /// What the preset does with a block as large as the map, in wordings from long to short.
        public let warning: PanelTitle?
        /// Why the preset cannot run at this stage.
        public let error: String?
    }

    /// A stage before its pass: its name, its maps (nil when they cannot be read), and
    /// whether it is the main screen's own input.
    struct Entry {
        let name: String
        let shown: Bool
        let spatial: [Int]
        /// Its whole shape, `(N, C, ...)`: what decides whether a preset runs on it.
        let shape: [Int]
        /// The main screen's input, when the entry is that input alone.
        fileprivate let mainInput: VizInput?
        /// The stage's array, when it is one of the input's stages.
        fileprivate let tensor: Tensor?

        /// Its maps as an input, made on demand: that scans every value (non-finite and
        /// negative counts), which several calls a frame made the stages view 2 ms slower.
        var input: VizInput? { mainInput ?? tensor.flatMap { try? VizInput(name: name, tensor: $0) } }
    }

    /// The stages on show: the input's own, or the input alone (with the main screen's draw:
    /// nothing decoded again; an input read a sample at a time would otherwise be decoded
    /// whole, every frame).
    static func entries(_ model: VizModel) -> [Entry] {
        entries(model, shown: nil)
    }

    /// The stages on show, the main screen's found as `follow` last found it.
    func entries(_ model: VizModel) -> [Entry] {
        StagesScreen.entries(model, shown: shownKnown ? .some(lastShown) : nil)
    }

    /// The stages on show; `shown`, when given, is the index of the main screen's stage (nil
    /// inside for none), else it is found by comparing each stage with the input.
    static func entries(_ model: VizModel, shown: Int??) -> [Entry] {
        guard !model.input.stages.isEmpty else {
            return [Entry(name: "this array", shown: true, spatial: model.input.spatial, shape: model.input.shape, mainInput: model.input,
                          tensor: nil)]
        }
        return model.input.stages.enumerated().map { index, stage in
            let shown = shown.map { $0 == index } ?? (stage.tensor.shape == model.input.shape && stage.tensor == model.input.tensor)
            return Entry(name: stage.name, shown: shown, spatial: Array(stage.tensor.shape.dropFirst(2)), shape: stage.tensor.shape,
                         mainInput: nil, tensor: stage.tensor)
        }
    }

    /// The block size stage `stage` runs: the main screen's for the stage it shows and for a
    /// stage without a block of its own.
    func blockSize(stage: Int, shown: Bool, model: VizModel) -> Int {
        shown ? model.parameters.blockSize : ownBlocks[stage] ?? model.parameters.blockSize
    }

    /// Every stage with the model's preset, block size, p, mode and calibration.
    public static func rows(model: VizModel) -> [Row] {
        StagesScreen().rows(model: model)
    }

    /// Every stage with the model's preset, p, mode and calibration, and its block size.
    public func rows(model: VizModel) -> [Row] {
        entries(model).enumerated().map { index, entry in
            let blockSize = blockSize(stage: index, shown: entry.shown, model: model)
            guard let input = entry.input else {
                return Row(name: entry.name, input: model.input, spatial: entry.spatial, blockSize: blockSize, blockShare: nil,
                           result: nil, expected: nil, warning: nil, error: "unreadable stage")
            }
            return StagesScreen.row(name: entry.name, input: input, shown: entry.shown, blockSize: blockSize, model: model)
        }
    }

    /// The row of the stage `input` at `blockSize`; `shown` says it is the main screen's input.
    static func row(name: String, input: VizInput, shown: Bool, blockSize: Int, model: VizModel) -> Row {
        let spatial = input.spatial
        var parameters = model.parameters
        parameters.blockSize = blockSize
        do throws(DropBlockError) {
            try VizModel.validate(parameters, input: input)
            let plan = try VizModel.plan(input: input, parameters: parameters)
            let result: DropBlockResult
            if shown, blockSize == model.parameters.blockSize, let main = model.view.result {
                // The stage on the main screen: its very draw, so the numbers agree with the status line.
                result = main
            } else {
                // The draw the main screen would show for this stage, and that
                // `dropblock apply --array STAGE --draw K --first-sample S` gives.
                let draw = SeedDraw(seed: model.seed, index: model.draw, firstSample: model.sample)
                result = try DropBlockND(parameters: parameters).forward(input.sample(model.sample), draw: draw)
            }
            let expected: Double
            if parameters.calibrated || plan.isIdentity {
                expected = plan.expectedDropFraction
            } else {
                // The very row `dropblock stats` prints for this size.
                let study = DropRateStudy(preset: parameters.preset, spatial: spatial, blockSize: parameters.blockSize,
                                          dropProb: parameters.dropProb, samples: 0, seed: 0)
                expected = study.expected ?? plan.expectedDropFraction
            }
            // The geometry the draw seeds (keras-cv's infinite gamma seeds everywhere), as the status line's.
            let region = try SeedGeometry(preset: parameters.preset, spatial: spatial, blockSize: parameters.blockSize)
            let geometry = plan.geometry ?? region
            return Row(name: name, input: input, spatial: spatial, blockSize: blockSize, blockShare: blockShare(region),
                       result: result, expected: expected,
                       warning: warning(preset: parameters.preset, geometry: geometry, blockSize: parameters.blockSize, expected: expected),
                       error: nil)
        } catch {
            return Row(name: name, input: input, spatial: spatial, blockSize: blockSize, blockShare: nil, result: nil, expected: nil,
                       warning: nil, error: error.description)
        }
    }

    /// The share of the map one whole block covers: its window on each axis, clipped to the map.
    static func blockShare(_ geometry: SeedGeometry) -> Double {
        zip(geometry.window, geometry.spatial).reduce(1.0) { $0 * Double(min($1.0, $1.1)) / Double(max(1, $1.1)) }
    }

    /// What the preset does when the block is as large as the map (nil for smaller blocks).
    ///
    /// Where every allowed seed's block covers the whole map (torchvision and tf clip the block
    /// to the map, keras-cv allows only the centre of a square map), a seed drops the whole
    /// channel. Otherwise presets that clip the block to the map drop that clipped block, and
    /// the others clip their blocks at the edges where they fall, so what one seed drops
    /// depends on where it falls.
    public static func warning(preset: Preset, geometry: SeedGeometry, blockSize: Int, expected: Double) -> PanelTitle? {
        guard blockSize >= (geometry.spatial.max() ?? 1) else { return nil }
        // Round 26: kerascv's block 20 on a 20x12 map allows no seed position, and "a seed drops
        // 0%" described a seed that cannot fall.
        guard geometry.seedRegionSize > 0 else {
            return PanelTitle(["block >= map: no position can seed, so nothing is dropped", "no position can seed: nothing drops",
                               "no seed position: none dropped", "no seed position", "no seeds"])
        }
        if geometry.everySeedCoversWholeMap {
            return PanelTitle(["block fills the map: whole-channel dropout (SpatialDropout)", "whole-channel dropout (SpatialDropout)",
                               "whole-channel dropout", "SpatialDropout"])
        }
        if preset.rules.clipsBlockToMap {
            let clipped = ShapeText.size(geometry.window)
            return PanelTitle(["block clipped to the map: \(clipped)", "block clipped to \(clipped)", "clipped to \(clipped)", "block clipped"])
        } else {
            let (least, most) = seedReach(geometry)
            let range = least == most ? FrameRenderer.percent(least) : "\(FrameRenderer.percent(least))-\(FrameRenderer.percent(most))"
            let mean = FrameRenderer.percent(expected)
            return PanelTitle([
                "block >= map, clipped at the edges: one seed drops \(range) by where it falls; expected \(mean)",
                "blocks clipped at edges: a seed drops \(range), expected \(mean)",
                "edge-clipped: a seed drops \(range), exp \(mean)",
                "edge-clipped: \(range)/seed, exp \(mean)",
                "edge-clipped: \(range) a seed",
                "edge-clipped",
            ])
        }
    }

    /// The smallest and largest share of the map one seed drops, over the allowed seed positions.
    static func seedReach(_ geometry: SeedGeometry) -> (least: Double, most: Double) {
        var least = 1.0, most = 1.0
        for axis in geometry.spatial.indices {
            let n = geometry.spatial[axis], k = geometry.window[axis], lo = geometry.lowOffset[axis]
            let lengths = geometry.seedRegion[axis].map { s in max(0, min(n, s - lo + k) - max(0, s - lo)) }
            least *= Double(lengths.min() ?? 0) / Double(n)
            most *= Double(lengths.max() ?? 0) / Double(n)
        }
        return (least, most)
    }

    /// `b` or Esc leave; left and right select a stage (or every stage); `+`/`-` change the
    /// selected stage's block; other keys pass to the model.
    public mutating func route(_ action: VizAction, model: VizModel) -> KeyRoute {
        switch action {
        case .toggleStages, .back:
            return .leave
        case .pan(let dx, 0) where dx != 0:
            return select(by: dx, model: model)
        case .blockSizeUp, .blockSizeDown:
            return changeBlock(up: action == .blockSizeUp, model: model)
        case .toggleSweep:
            // The sweep of block sizes, for every stage: the table.
            showsTable.toggle()
            return .handled(message: nil)
        case .schedulerReset:
            // Back to the launch state: every stage at the main screen's block.
            (selected, ownBlocks) = (nil, [:])
            return .pass
        default:
            return .pass
        }
    }

    /// The view opened again (`b`): the stages keep their own blocks, and every stage is selected.
    func reopened() -> StagesScreen {
        var screen = self
        (screen.selected, screen.pendingNote) = (nil, nil)
        return screen
    }

    /// After each key, before the draw: own blocks the preset cannot run step to the size
    /// below where that one runs (as `m` does for the main block: torchvision's odd sizes), and
    /// when the main screen's array changes (`l`), the stage it left keeps the block it ran
    /// and the stage it shows brings its own, returned for the model to take (round 26: the
    /// stage shown took the main block, the one left the new main one's). Returns a note.
    mutating func follow(_ model: VizModel) -> (adopt: Int?, note: String?) {
        let entries = StagesScreen.entries(model)
        var notes = pendingNote.map { [$0] } ?? []
        pendingNote = nil
        var adopt: Int?
        let shown = entries.firstIndex { $0.shown }
        if let last = lastShown, let shown, shown != last, entries.indices.contains(last) {
            // Every stage keeps the block it ran: the one left, and those that ran the main block.
            for index in entries.indices where index != shown && ownBlocks[index] == nil {
                if let block = lastMainBlock { ownBlocks[index] = block }
            }
            adopt = ownBlocks.removeValue(forKey: shown)
            if let adopt, adopt != model.parameters.blockSize { notes.append("\(entries[shown].name) runs its own block, \(adopt)") }
        }
        for index in ownBlocks.keys.sorted() where entries.indices.contains(index) && index != shown {
            guard let block = ownBlocks[index] else { continue }
            let shape = entries[index].shape
            var parameters = model.parameters
            parameters.blockSize = block
            guard (try? VizModel.validate(parameters, shape: shape)) == nil, parameters.preset.rules.needsOddBlock, block > 1 else { continue }
            parameters.blockSize = block - 1
            guard (try? VizModel.validate(parameters, shape: shape)) != nil else { continue }
            ownBlocks[index] = block - 1
            notes.append("\(entries[index].name)'s own block \(block) -> \(block - 1) (\(parameters.preset.rawValue) takes odd sizes only)")
        }
        (lastShown, lastMainBlock, shownKnown) = (shown, adopt ?? model.parameters.blockSize, true)
        return (adopt, notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// Moves the selection by `step` through every stage, then "every stage" (nil).
    private mutating func select(by step: Int, model: VizModel) -> KeyRoute {
        let stages = entries(model)
        guard stages.count > 1 else {
            selected = nil
            return .handled(message: "one stage: +/- change its block")
        }
        // Positions 0..<count are the stages, count is "every stage".
        let count = stages.count, position = selected ?? count
        let next = ((position + step) % (count + 1) + count + 1) % (count + 1)
        selected = next < count ? next : nil
        guard let stage = selected else { return .handled(message: "every stage: +/- change every stage's block") }
        let entry = stages[stage]
        return .handled(message: "stage \(stage + 1) of \(count), \(entry.name) \(ShapeText.size(entry.spatial)): +/- change its block only")
    }

    /// `+`/`-`: with no stage selected, the main screen's block, which every stage then runs;
    /// with one, that stage's block (the main screen's, for the stage it shows, while the
    /// others keep theirs).
    private mutating func changeBlock(up: Bool, model: VizModel) -> KeyRoute {
        let stages = entries(model)
        guard let stage = selected, stages.indices.contains(stage) else {
            // One block for all: said, as the stages' own blocks go (round 26: lost without a word).
            if !ownBlocks.isEmpty { pendingNote = "every stage on one block now; <-/-> selects a stage to give it its own" }
            ownBlocks = [:]
            return .pass
        }
        let entry = stages[stage]
        if entry.shown {
            // The model steps its own block; every other stage keeps the one it runs now.
            for (index, other) in stages.enumerated() where !other.shown && ownBlocks[index] == nil {
                ownBlocks[index] = model.parameters.blockSize
            }
            return .pass
        }
        guard let input = entry.input else { return .handled(message: "\(entry.name) cannot be read: no block to change") }
        var parameters = model.parameters
        parameters.blockSize = blockSize(stage: stage, shown: false, model: model)
        let step = BlockStep(from: parameters, up: up, input: input)
        ownBlocks[stage] = step.blockSize
        return .handled(message: step.message.map { "\(entry.name): \($0)" })
    }
}
