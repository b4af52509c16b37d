import DropBlock
import Foundation
import ShapeFormat
import Visualizer

/// Renders `DropRateStudy` rows as an aligned table, CSV or JSON.
enum StatsFormatter {
    static let fields = ["preset", "stage", "size", "block_size", "drop_prob", "gamma", "expected", "measured", "measured_se",
                         "calibrated_gamma", "max_reachable", "whole_map_fraction", "blocks", "error", "same_size", "few_seeds",
                         "block_note"]

    /// What the preset does with a block as large as the map, the status line's `block>=map:`
    /// note without its key (`each_seed_drops_its_whole_channel(SpatialDropout)`), or nil.
    /// Round 25: torchvision's block 7 on a 7x7 stage read as the table's best row, with
    /// expected = p, and nothing said it was whole-channel dropout.
    static func blockNote(_ row: DropRateStudy) -> String? {
        guard row.error == nil, let plan = try? DropBlockND(parameters: DropBlockParameters(dropProb: row.dropProb, blockSize: row.blockSize,
                                                                                           preset: row.preset)).plan(for: [1, 1] + row.spatial),
              let note = RunSummary.blockNote(plan: plan) else { return nil }
        return String(note.dropFirst("block>=map:".count))
    }

    static func size(_ row: DropRateStudy) -> String { ShapeText.size(row.spatial) }

    static func number(_ value: Double?, digits: Int = 6) -> String {
        guard let value else { return "" }
        return RunSummary.number(value, digits: digits)
    }

    /// Whether the expectation misses p by more than 10% (of p).
    static func isOff(_ row: DropRateStudy) -> Bool {
        guard let expected = row.expected else { return false }
        return abs(expected - row.dropProb) > 0.1 * row.dropProb
    }

    /// Fewer seeds than this, expected over all of a row's draws, and most draws drop nothing
    /// while a few drop whole blocks: the spread of so few is a poor estimate, and `measured`
    /// can sit several `se` from `expected` (round 21: 5.6 at 7x7, block 7, 200 draws).
    static let fewSeeds = 30.0

    /// Whether the row's `se` rests on too few seeds to trust.
    static func hasFewSeeds(_ row: DropRateStudy, samples: Int) -> Bool {
        guard row.measured != nil, let blocks = row.blocks else { return false }
        return blocks * Double(samples) < fewSeeds
    }

    static func calibrated(_ row: DropRateStudy) -> String {
        if row.error != nil { return "" }
        return row.calibratedGamma.map { exact($0) } ?? "unreachable"
    }

    /// The table's stage cell: the first array's name, and how many more of its size share the row.
    static func stageCell(_ row: StatsRow) -> String {
        (row.study.stage ?? "-") + (row.sameSize.isEmpty ? "" : " +\(row.sameSize.count)")
    }

    static func table(_ statsRows: [StatsRow], samples: Int) -> String {
        let header = ["preset", "stage", "size", "block", "p", "gamma", "expected", "measured", "se", "calibrated_gamma", "whole_map", "blocks"]
        var lines: [[String]] = [header]
        // Each row's note once: the block's mark and the line under the table both read it.
        let blockNotes = statsRows.map { blockNote($0.study) }
        for (statsRow, note) in zip(statsRows, blockNotes) {
            let row = statsRow.study, stage = stageCell(statsRow)
            if let error = row.error {
                // The block cell keeps the room of the `!` mark, so that error rows line up (verification round).
                lines.append([row.preset.rawValue, stage, size(row), String(row.blockSize) + " ", number(row.dropProb, digits: 4),
                              "error: \(error)"])
                continue
            }
            lines.append([
                row.preset.rawValue, stage, size(row), String(row.blockSize) + (note == nil ? " " : "!"), number(row.dropProb, digits: 4),
                number(row.gamma, digits: 4), number(row.expected, digits: 4) + (isOff(row) ? "*" : " "),
                row.measured.map { number($0, digits: 4) } ?? "-",
                row.measuredStandardError.map { number($0, digits: 2) + (hasFewSeeds(row, samples: samples) ? "~" : " ") } ?? "-",
                row.calibratedGamma.map { number($0, digits: 4) } ?? "unreachable(max \(number(row.maximumReachable, digits: 4)))",
                row.wholeMapFraction.map { number($0, digits: 3) } ?? "-", number(row.blocks, digits: 4),
            ])
        }
        // Error rows share the leading columns, so they count towards those widths too.
        let widths = header.indices.map { column in lines.filter { $0.count == header.count || column < $0.count - 1 }.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for line in lines {
            // An error row's last cell is its message, left as it is.
            let aligned = line.count < header.count ? line.count - 1 : line.count
            let cells = line.enumerated().map { index, cell in
                // Numbers right-aligned, names left-aligned.
                guard index < aligned else { return cell }
                return index < 3 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }
            out += cells.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        // Each note once, after the presets whose rows it marks, and their sizes where the marked
        // rows have several (verification round: dropblock stood under both notes of 3x3 and 1x1).
        let marked = zip(statsRows, blockNotes).compactMap { row, note in
            note.map { (note: $0, preset: row.study.preset.rawValue, size: size(row.study)) }
        }
        let severalSizes = marked.map(\.size).distinctInOrder().count > 1
        let notes = marked.map(\.note).distinctInOrder().map { note in
            let rows = marked.filter { $0.note == note }
            let who = rows.map(\.size).distinctInOrder().map { size in
                rows.filter { $0.size == size }.map(\.preset).distinctInOrder().joined(separator: ", ") + (severalSizes ? " at \(size)" : "")
            }
            return who.joined(separator: " and ") + ": " + note.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "(", with: " (")
        }
        if !notes.isEmpty { out += "! block as large as the map: " + notes.joined(separator: "; ") + "\n" }
        if statsRows.contains(where: { isOff($0.study) }) { out += "* expected differs from p by more than 10%\n" }
        if statsRows.contains(where: { hasFewSeeds($0.study, samples: samples) }) {
            out += "~ fewer than \(Int(fewSeeds)) seeds expected over all \(samples) draws: measured can sit several se from expected (raise --samples)\n"
        }
        if statsRows.contains(where: { !$0.sameSize.isEmpty }) {
            out += "+N: N more arrays or stages of the same map size, with the same numbers (--format csv or json names them)\n"
        }
        return out
    }

    /// The shortest text that reads back as the same double (0.1, not 0.10000000000000001).
    static func exact(_ value: Double?) -> String {
        guard let value else { return "" }
        return "\(value)"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180): array
    /// names come from the user's file.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func csv(_ rows: [StatsRow], samples: Int) -> String {
        var out = fields.joined(separator: ",") + "\n"
        for statsRow in rows {
            let row = statsRow.study
            let values = [
                row.preset.rawValue, csvField(row.stage ?? ""), size(row), String(row.blockSize), exact(row.dropProb),
                exact(row.gamma), exact(row.expected), exact(row.measured),
                exact(row.measuredStandardError), calibrated(row), exact(row.maximumReachable),
                exact(row.wholeMapFraction), exact(row.blocks), csvField(row.error ?? ""),
                // The names in one field, separated by ';' (json gives them as a list).
                csvField(statsRow.sameSize.joined(separator: ";")),
                // The table's `~`, for scripts: the se rests on too few seeds to trust.
                hasFewSeeds(row, samples: samples) ? "true" : "false",
                blockNote(row) ?? "",
            ]
            out += values.joined(separator: ",") + "\n"
        }
        return out
    }

    static func json(_ statsRows: [StatsRow], samples: Int) -> String {
        // JSON has no inf (keras-cv's gamma with a block larger than the map): written as the string "inf".
        func value(_ number: Double?) -> Any { number.map { $0.isFinite ? $0 as Any : "\($0)" as Any } ?? NSNull() }
        let objects: [[String: Any]] = statsRows.map { statsRow in
            let row = statsRow.study
            var object: [String: Any] = [
                "same_size": statsRow.sameSize,
                "block_note": blockNote(row).map { $0 as Any } ?? NSNull(),
                // An error row measured nothing: null, as its other numbers (round 24).
                "few_seeds": row.error != nil ? NSNull() : hasFewSeeds(row, samples: samples),
                "preset": row.preset.rawValue, "size": size(row), "block_size": row.blockSize, "drop_prob": row.dropProb,
                "gamma": value(row.gamma), "expected": value(row.expected), "measured": value(row.measured),
                "measured_se": value(row.measuredStandardError),
                // A number or null (no gamma reaches p; max_reachable says how far it gets): the
                // string "unreachable" in a numeric field broke scripts' float() (round 24).
                "calibrated_gamma": row.calibratedGamma.map { $0 as Any } ?? NSNull(),
                "max_reachable": value(row.maximumReachable), "whole_map_fraction": value(row.wholeMapFraction),
                "blocks": value(row.blocks),
                // Every object has every field: null where the row has no stage (a `--size` map).
                "stage": row.stage.map { $0 as Any } ?? NSNull(),
            ]
            if let error = row.error { object["error"] = error }
            return object
        }
        guard let data = try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys]) else { return "[]\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
