import Foundation

/// The subcommand a mistyped first word most likely meant: `dropblock stat --size 7x7` reached
/// the visualizer as a FILE named `stat` and said only that it could not be read (round 21).
enum SubcommandSuggestion {
    /// The user-facing subcommands (not the bench's internal helper).
    static var names: [String] {
        DropblockCommand.configuration.subcommands
            .filter { $0.configuration.shouldDisplay }
            .compactMap { $0.configuration.commandName }
    }

    /// The subcommand within two edits of `word`, or that `word` begins (three letters or
    /// more), when `word` is no existing path and has no extension; nil otherwise.
    static func meant(by word: String) -> String? {
        guard !word.contains("."), !word.contains("/"), !FileManager.default.fileExists(atPath: word) else { return nil }
        let lowered = word.lowercased()
        let scored = names.map { (name: $0, distance: editDistance(lowered, $0)) }
        if let prefix = names.first(where: { lowered.count >= 3 && $0.hasPrefix(lowered) }) { return prefix }
        return scored.filter { $0.distance <= 2 && $0.distance < $0.name.count }.min { $0.distance < $1.distance }?.name
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
