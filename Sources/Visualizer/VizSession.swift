import DropBlock

/// The visualizer over every array of a file: the model of the shown array, `l`/`L` to move
/// between arrays (keeping the parameters, seed and schedule), and `w` to write the draw.
public struct VizSession: Sendable {
    /// What is shown now.
    public private(set) var model: VizModel
    /// Which array of the source is shown.
    public private(set) var arrayIndex: Int
    let source: (any VizInputSource)?
    let writer: (any VizDrawWriter)?

    /// A session over `source`'s arrays, showing `model` (made from array `arrayIndex`).
    public init(model: VizModel, source: (any VizInputSource)? = nil, arrayIndex: Int = 0, writer: (any VizDrawWriter)? = nil) {
        self.model = model
        self.source = source
        self.arrayIndex = arrayIndex
        self.writer = writer
    }

    /// Adds `text` to the message line until the next action (after a note already there,
    /// such as the launch note of skipped arrays).
    public mutating func note(_ text: String) {
        model.note(model.message.map { $0 + "; " + text } ?? text)
    }

    /// Applies one key's action. Returns false when it asks to quit.
    @discardableResult
    public mutating func apply(_ action: VizAction, screen: ScreenSize) -> Bool {
        // Seed mode owns l (cursor right), as the model routes keys to its modal state first.
        if case .seeds = model.modal, action == .nextArray { return model.apply(action, screen: screen) }
        switch action {
        case .nextArray: move(by: 1)
        case .previousArray: move(by: -1)
        case .writeDraw:
            guard let writer else { return model.apply(action, screen: screen) }
            if case .seeds = model.modal {
                // The file's `apply --draw` command reproduces random draws, not seeds placed by hand.
                model.note(wordings: ["w writes a random draw (its apply command reproduces it): leave seed mode with i first",
                                      "w writes random draws: leave seed mode with i first", "w: leave seed mode (i) first"])
                return true
            }
            do {
                let path = try writer.write(model)
                model.note(wordings: Self.wroteWordings(path: path, model: model))
            } catch {
                model.note("cannot write the draw: \(error)")
            }
        default:
            return model.apply(action, screen: screen)
        }
        return true
    }

    /// What `w` says, longest first: where the draw went and, from the presets view, that the
    /// file holds the status line's draw (its columns are draws of their own). The shorter
    /// wordings name the file alone and keep that caveat (round 22: cut at 80 columns).
    static func wroteWordings(path: String, model: VizModel) -> [String] {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let which = "(draw \(model.draw), sample \(model.sample))"
        if model.activeScreen.kind == .stages {
            // Round 26: from the stages view it wrote the main screen's stage without saying so.
            let shown = StagesScreen.entries(model).first { $0.shown }?.name ?? model.input.name
            let stage = "\(shown) at block \(model.parameters.blockSize)"
            return ["wrote \(path) \(which): the status line's draw, \(stage), not the other stages'",
                    "wrote \(name) \(which): the status line's draw, \(stage)", "wrote \(name): the status line's draw, \(stage)",
                    "wrote \(name): the status line's draw"]
        }
        guard model.activeScreen.kind == .presets else { return ["wrote \(path) \(which)", "wrote \(name) \(which)", "wrote \(name)"] }
        let preset = model.parameters.preset.rawValue
        return ["wrote \(path) \(which) (the status line's \(preset) draw, not the presets view's other columns)",
                "wrote \(name) \(which): the status line's \(preset) draw, not the other columns",
                "wrote \(name): the status line's draw, not the other columns", "wrote \(name): the status line's draw"]
    }

    /// Shows the array `step` places on (wrapping), with the same parameters, seed and schedule;
    /// one the preset cannot run on is skipped with a message.
    mutating func move(by step: Int) {
        guard let source, source.arrayNames.count > 1 else {
            model.note("this input has one array")
            return
        }
        let count = source.arrayNames.count
        var skipped: [String] = []
        // The shown draw goes first, so that the next array's input and draw have its memory.
        model.releaseDraw()
        for offset in 1..<count {
            let index = ((arrayIndex + step * offset) % count + count) % count
            do {
                var next = try model.replacingInput(source.load(index))
                if !skipped.isEmpty { next.note("skipped \(skipped.joined(separator: ", "))") }
                model = next
                arrayIndex = index
                return
            } catch {
                skipped.append("\(source.arrayNames[index]) (\(error))")
            }
        }
        model.redraw()
        model.note("no other array can be shown: \(skipped.joined(separator: ", "))")
    }
}
