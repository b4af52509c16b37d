import DropBlock
import Testing
@testable import Visualizer

/// A model with a memory gate closes, with a message, the views and rows the gate has no room
/// for, instead of allocating them (a failed Swift allocation traps: under `ulimit -v`, `p`, `x`
/// and `i` on a 4000x4000 map crashed the visualizer).
@Suite("Visualizer under a memory gate")
struct MemoryGateTests {
    /// Allows up to `bytes` at a time.
    struct Budget: MemoryGate {
        let bytes: Int
        func allows(_ bytes: Int) -> Bool { bytes <= self.bytes }
    }

    static let parameters = DropBlockParameters(dropProb: 0.2, blockSize: 3)

    /// The embedded stages, so that `b` runs passes of its own.
    static func input() throws -> VizInput {
        try StagesScreenTests.embedded(mapSize: 28)
    }

    /// A model whose gate allows the main screen's draw and nothing more.
    static func tight() throws -> VizModel {
        let input = try input()
        let main = VizMemory.passBytes(plan: try VizModel.plan(input: input, parameters: parameters), replaysNoise: false)
        return try VizModel(input: input, parameters: parameters, seed: 3, memory: Budget(bytes: main))
    }

    @Test("each view that does not fit stays closed, and says so with its size", arguments: [
        (VizAction.togglePresets, "the presets view"), (.toggleStages, "the stages view"),
        (.toggleDropoutRow, "the dropout row"), (.toggleSeedMode, "seed mode"),
    ])
    func closes(action: VizAction, name: String) throws {
        var model = try Self.tight()
        #expect(model.view.error == nil && model.view.result != nil, "the main draw fits")
        model.apply(action)
        let message = try #require(model.message)
        #expect(message.hasPrefix("not enough memory for \(name) (") && message.hasSuffix(" MB): closed"), "\(message)")
        #expect(model.activeScreen.kind == .main && !model.main.extras.contains(.dropoutRow) && model.modal == .none)
        #expect(model.view.result != nil && model.presetComparison == nil)
        let frame = FrameRenderer(tier: .ascii).render(model, width: 120, height: 40).plainText
        #expect(frame.contains("not enough memory for \(name)"))
    }

    @Test("with room, every view opens as it does without a gate")
    func room() throws {
        let input = try Self.input()
        var gated = try VizModel(input: input, parameters: Self.parameters, seed: 3, memory: Budget(bytes: Int.max))
        var free = try VizModel(input: input, parameters: Self.parameters, seed: 3)
        let renderer = FrameRenderer(tier: .ascii)
        for action in [VizAction.toggleDropoutRow, .newDraw, .togglePresets, .blockSizeUp, .back, .toggleStages, .back, .toggleSeedMode] {
            gated.apply(action)
            free.apply(action)
            #expect(gated.message == free.message, "\(action)")
            #expect(renderer.render(gated, width: 120, height: 40).cells == renderer.render(free, width: 120, height: 40).cells, "\(action)")
        }
        #expect(gated.main.extras.contains(.dropoutRow) && gated.modal != .none)
    }

    @Test("a draw that does not fit alone is an error on the status line, not a trap")
    func nothingFits() throws {
        let model = try VizModel(input: try Self.input(), parameters: Self.parameters, seed: 3, memory: Budget(bytes: 0))
        #expect(model.view.result == nil)
        let error = try #require(model.view.error)
        #expect(error.hasPrefix("not enough memory for this draw ("), "\(error)")
        #expect(FrameRenderer(tier: .ascii).render(model, width: 120, height: 40).plainText.contains("error: not enough memory for this draw"))
        // No draw, no numbers: the status line said gamma=0 expected=0 realized=0 at p=0.1 in train mode.
        let fields = StatusLine.fields(model: model)
        for field in ["gamma=-", "expected=-", "realized=-", "channel_dropped=-", "scale=-", "drop_prob=0.2"] {
            #expect(fields.contains(field), "\(field) in \(fields)")
        }
    }

    /// Allows everything and records what it was asked.
    final class Asked: @unchecked Sendable {
        // @unchecked: one test's thread at a time.
        var bytes: [Int] = []
    }

    struct Recording: MemoryGate {
        let asked: Asked
        func allows(_ bytes: Int) -> Bool {
            asked.bytes.append(bytes)
            return true
        }
    }

    /// View keys drew the same draw again (0.5 s each on a 4000x4000 map); they keep it now, and
    /// what is shown equals a draw made afresh.
    @Test("keys that change only what is shown keep the draw and ask for nothing; keys that change the draw ask for a pass")
    func keptDraw() throws {
        let input = try Self.input()
        let asked = Asked()
        var model = try VizModel(input: input, parameters: Self.parameters, seed: 3, memory: Recording(asked: asked))
        let pass = VizMemory.passBytes(plan: try VizModel.plan(input: input, parameters: Self.parameters), replaysNoise: false)
        #expect(asked.bytes == [pass])
        let renderer = FrameRenderer(tier: .ascii)
        // Whether each key asks for a pass (of the parameters it leaves: the block size changes
        // the seed-count table's size).
        let steps: [(VizAction, Bool)] = [
            (.toggleZoom, false), (.toggleZoom, false), (.nextChannel, false), (.toggleGrid, false), (.back, false),
            (.toggleSweep, true), (.toggleSweep, true), (.newDraw, true), (.nextSample, true), (.blockSizeUp, true),
            (.nextChannel, false),
        ]
        for (action, asks) in steps {
            asked.bytes = []
            model.apply(action)
            let bytes = asks ? VizMemory.passBytes(plan: try VizModel.plan(input: input, parameters: model.parameters), replaysNoise: false) : 0
            #expect(asked.bytes == [bytes], "\(action)")
            #expect(renderer.render(model, width: 120, height: 40).cells == renderer.render(model.withoutCaches(), width: 120, height: 40).cells,
                    "\(action)")
        }
    }

    @Test("the estimate covers a pass: sample, output, keep mask and seeds as floats, and the mask's building")
    func estimate() throws {
        let plan = try DropBlockND(parameters: Self.parameters).plan(for: [1, 16, 28, 28])
        let floats = 4 * (2 * 16 * 28 * 28 + 2 * 28 * 28)
        #expect(VizMemory.passBytes(plan: plan, replaysNoise: false) == floats + DropBlockMask.buildBytes(for: plan, replaysNoise: false))
        #expect(VizMemory.passBytes(plan: plan, replaysNoise: true) == floats + DropBlockMask.buildBytes(for: plan, replaysNoise: true))
        let huge = try DropBlockND(parameters: Self.parameters).plan(for: [1, 1 << 30, 1 << 16, 1 << 16])
        #expect(VizMemory.passBytes(plan: huge, replaysNoise: false) == Int.max, "an overflow saturates")
    }
}
