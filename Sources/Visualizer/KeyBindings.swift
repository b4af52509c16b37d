/// The visualizer's key map; the help overlay, the hint line and the README list these.
public enum KeyBindings {
    /// Every key the visualizer answers to, with its action and help text.
    public static let all: [KeyBinding] = [
        KeyBinding(keys: ["q"], label: "q", action: .quit, help: "quit"),
        KeyBinding(keys: ["\u{1B}"], label: "Esc", action: .back, help: "leave a view; quit"),
        KeyBinding(keys: ["?"], label: "?", action: .toggleHelp, help: "this help"),
        KeyBinding(keys: ["+"], label: "+", action: .blockSizeUp, help: "block size up"),
        KeyBinding(keys: ["-"], label: "-", action: .blockSizeDown, help: "block size down"),
        KeyBinding(keys: ["]"], label: "]", action: .dropProb(0.01), help: "drop_prob +0.01"),
        KeyBinding(keys: ["["], label: "[", action: .dropProb(-0.01), help: "drop_prob -0.01"),
        KeyBinding(keys: ["}"], label: "}", action: .dropProb(0.1), help: "drop_prob +0.1"),
        KeyBinding(keys: ["{"], label: "{", action: .dropProb(-0.1), help: "drop_prob -0.1"),
        KeyBinding(keys: [" "], label: "space", action: .newDraw, help: "new draw (seeds: toggle)"),
        KeyBinding(keys: ["\n", "\r"], label: "Enter", action: .newDraw, help: "as space"),
        KeyBinding(keys: ["s"], label: "s", action: .schedulerStep, help: "scheduler step"),
        KeyBinding(keys: ["r"], label: "r", action: .schedulerReset, help: "back to the launch state"),
        KeyBinding(keys: ["a"], label: "a", action: .toggleAutoplay, help: "autoplay on/off"),
        KeyBinding(keys: ["m"], label: "m", action: .nextPreset, help: "next preset"),
        KeyBinding(keys: ["c"], label: "c", action: .toggleCalibrated, help: "calibrated gamma on/off"),
        KeyBinding(keys: ["e"], label: "e", action: .toggleTraining, help: "train/eval"),
        KeyBinding(keys: ["n"], label: "n", action: .nextChannel, help: "next channel"),
        KeyBinding(keys: ["N"], label: "N", action: .previousChannel, help: "previous channel"),
        KeyBinding(keys: ["j"], label: "j", action: .nextSample, help: "next sample (seeds: down)"),
        KeyBinding(keys: ["k"], label: "k", action: .previousSample, help: "previous sample (seeds: up)"),
        KeyBinding(keys: ["."], label: ".", action: .nextSlice, help: "next depth slice (3D)"),
        KeyBinding(keys: [","], label: ",", action: .previousSlice, help: "previous depth slice (3D)"),
        KeyBinding(keys: ["x"], label: "x", action: .toggleDropoutRow, help: "compare with plain dropout"),
        KeyBinding(keys: ["v"], label: "v", action: .toggleSweep, help: "expected drop vs block size"),
        KeyBinding(keys: ["z"], label: "z", action: .toggleZoom, help: "1:1 zoom on/off"),
        KeyBinding(keys: ["d"], label: "d", action: .toggleChanceMap, help: "each unit's drop chance"),
        KeyBinding(keys: ["g"], label: "g", action: .toggleGrid, help: "channel grid (n/N page)"),
        KeyBinding(keys: ["o"], label: "o", action: .toggleGridSource, help: "grid: output/input"),
        KeyBinding(keys: ["p"], label: "p", action: .togglePresets, help: "presets side by side"),
        KeyBinding(keys: ["b"], label: "b", action: .toggleStages, help: "block size across stages"),
        KeyBinding(keys: ["i"], label: "i", action: .toggleSeedMode, help: "place seeds by hand"),
        KeyBinding(keys: ["0"], label: "0", action: .clearSeeds, help: "seed mode: clear seeds"),
        KeyBinding(keys: ["t"], label: "t", action: .walkNext, help: "walk-through: next step"),
        KeyBinding(keys: ["T"], label: "T", action: .walkBack, help: "walk-through: step back"),
        KeyBinding(keys: ["l"], label: "l", action: .nextArray, help: "next array (seeds: right)"),
        KeyBinding(keys: ["L"], label: "L", action: .previousArray, help: "previous array"),
        KeyBinding(keys: ["w"], label: "w", action: .writeDraw, help: "write the draw to .npz"),
        KeyBinding(keys: [ArrowKey.up], label: "up", action: .pan(dx: 0, dy: -1), help: "move zoom view/cursor up"),
        KeyBinding(keys: [ArrowKey.down], label: "down", action: .pan(dx: 0, dy: 1), help: "move zoom view/cursor down"),
        KeyBinding(keys: [ArrowKey.left, "h"], label: "left/h", action: .pan(dx: -1, dy: 0), help: "zoom/cursor left; b: stage"),
        KeyBinding(keys: [ArrowKey.right], label: "right", action: .pan(dx: 1, dy: 0), help: "zoom/cursor right; b: stage"),
    ]

    /// Keys `--keys` spells by name besides the arrows: Esc and Enter.
    static let named: [String: Character] = ArrowKey.named.merging(["esc": "\u{1B}", "enter": "\r"]) { first, _ in first }

    /// Parses `--keys` text: characters, `<up>`, `<down>`, `<left>`, `<right>` for the arrows,
    /// and `<esc>` and `<enter>`.
    public static func parse(_ text: String) -> [Character]? {
        var keys: [Character] = []
        var rest = Substring(text)
        while let first = rest.first {
            if first == "<", let close = rest.firstIndex(of: ">") {
                let name = rest[rest.index(after: rest.startIndex)..<close]
                guard let key = named[String(name)] else { return nil }
                keys.append(key)
                rest = rest[rest.index(after: close)...]
            } else {
                keys.append(first)
                rest = rest.dropFirst()
            }
        }
        return keys
    }

    /// The action of a typed character, if any.
    public static func action(for key: Character) -> VizAction? {
        all.first { $0.keys.contains(key) }?.action
    }

    /// The short hint words, most useful first; the hint line shows those that fit.
    static let hintWords = ["q quit", "+/- block", "[ ] { } drop_prob", "space draw", "s step", "r reset", "a auto",
                            "m preset", "c calib", "e eval", "n channel", "g grid", "p presets", "b stages", "i seeds", "t walk", "x dropout", "z zoom", "v sweep"]

    /// The hint line for `width` columns: whole hints only, always ending with `? all keys`.
    public static func hint(width: Int) -> String {
        let tail = "? all keys"
        var line = ""
        for word in hintWords {
            let candidate = line + word + "  "
            if candidate.count + tail.count > width { break }
            line = candidate
        }
        return tail.count <= width ? line + tail : ""
    }
}
