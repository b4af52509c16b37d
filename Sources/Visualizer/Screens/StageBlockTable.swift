import DropBlock
import ShapeFormat

/// The stages view's table (`v` there): expected drop by block size for every stage, the
/// numbers `dropblock stats` prints, with each stage's own block bracketed, so that a block
/// per stage is chosen beside the pictures (round 25: one block at a time, `expected=` copied
/// by hand). With `c`, each cell is the calibrated gamma that makes the expected drop p.
///
/// The cells do not depend on the draw: they are made when the table turns on or its inputs
/// change (`Key`), and kept; only their layout follows the screen's width.
struct StageBlockTable: Equatable, Sendable {
    /// One stage as the table sees it.
    struct Stage: Equatable, Sendable {
        let name: String
        let spatial: [Int]
        let blockSize: Int
    }

    /// What the cells depend on.
    struct Key: Equatable, Sendable {
        let preset: Preset
        let dropProb: Double
        let calibrated: Bool
        /// Whether the layer trains (in eval it drops nothing, and the table says its numbers are training's).
        let training: Bool
        let stages: [Stage]
    }

    /// What the cells were made for.
    let key: Key
    /// The block sizes, one row each.
    let sizes: [Int]
    /// The cells, a column per stage, a text per block size (bracketed at the stage's own block).
    let columns: [[String]]

    /// The block sizes a table lists: odd sizes 1 to 9 and every stage's own block, at most the
    /// largest map side but for a stage's own block.
    static func blockSizes(stageBlocks: [Int], largestSide: Int) -> [Int] {
        (Array(stride(from: 1, through: min(9, max(1, largestSide)), by: 2)) + stageBlocks).distinctInOrder().sorted()
    }

    /// The table's cells for `key`: each `DropRateStudy`'s closed form, as `dropblock stats` prints it.
    init(key: Key) {
        self.key = key
        let sizes = StageBlockTable.blockSizes(stageBlocks: key.stages.map(\.blockSize),
                                                largestSide: key.stages.flatMap(\.spatial).max() ?? 1)
        self.sizes = sizes
        columns = key.stages.map { stage in
            sizes.map { block in
                let study = DropRateStudy(preset: key.preset, spatial: stage.spatial, blockSize: block, dropProb: key.dropProb,
                                          samples: 0, seed: 0)
                let value = key.calibrated ? study.calibratedGamma : study.expected
                // Out of reach, the most any gamma gives, as stats' `unreachable(max 0.6)`
                // (verification round: `none` lost it).
                let unreachable = study.maximumReachable.map { "max " + StatusLine.format($0) } ?? "-"
                let text = study.error != nil ? "-" : value.map(StatusLine.format) ?? (key.calibrated ? unreachable : "-")
                // Brackets, not stats' `*` (which marks an expected fraction 10% off p).
                return block == stage.blockSize ? "[\(text)]" : " \(text)"
            }
        }
    }

    /// The table's lines in at most `width` columns, title first: stages that do not fit are
    /// left out, and the title says how many; the stage `keeping` (the selected one) is shown
    /// in the last column that fits rather than left out (verification round 16: its bracket,
    /// and so its block, was nowhere on screen).
    func lines(width: Int, keeping kept: Int? = nil) -> [String] {
        let stages = key.stages, lead = 7
        let cellWidth = max(8, columns.flatMap { $0 }.map(\.count).max() ?? 0) + 2
        // The stages' names where every column then fits, their sizes alone otherwise.
        let namedWidth = max(cellWidth, (stages.map { " \($0.name) \(ShapeText.size($0.spatial))".count }.max() ?? 0) + 2)
        let named = lead + stages.count * namedWidth <= width
        let headers = stages.map { " " + (named ? "\($0.name) \(ShapeText.size($0.spatial))" : ShapeText.size($0.spatial)) }
        let columnWidth = max(cellWidth, (headers.map(\.count).max() ?? 0) + 2)
        let fitting = max(0, min(stages.count, (width - lead) / columnWidth))
        func pad(_ text: String, _ count: Int) -> String { text + String(repeating: " ", count: max(0, count - text.count)) }
        let what = (key.calibrated ? "calibrated gamma (expected = p)" : "expected drop")
        // In eval the layer drops nothing: the numbers are training's, and say so (verification round).
        let mode = key.training ? "" : " in training (eval drops nothing)"
        let left = stages.count - fitting
        let more = left > 0 ? "; \(left) more stages on a wider screen" : ""
        let title = PanelTitle([
            "\(what) by block\(mode), as dropblock stats prints it; bracketed: each stage's block; - cannot run\(more)",
            "\(what) by block\(mode); bracketed: each stage's block" + (left > 0 ? " (+\(left) stages: wider)" : ""),
            "\(what) by block\(mode); [ ]: a stage's block" + (left > 0 ? " (+\(left) stages)" : ""),
            "\(what) by block\(mode)" + (left > 0 ? " (+\(left) stages)" : ""),
            "\(what) by block" + (key.training ? "" : " (training)"),
        ]).fitted(to: width) ?? ""
        var shown = Array(stages.indices.prefix(fitting))
        if let kept, stages.indices.contains(kept), !shown.contains(kept), !shown.isEmpty { shown[shown.count - 1] = kept }
        var lines = [title, pad("block", lead) + shown.map { pad(headers[$0], columnWidth) }.joined()]
        for (row, block) in sizes.enumerated() {
            lines.append(pad(String(block), lead) + shown.map { pad(columns[$0][row], columnWidth) }.joined())
        }
        return lines.map { line in
            var text = Substring(line.prefix(width))
            while text.last == " " { text = text.dropLast() }
            return String(text)
        }
    }
}
