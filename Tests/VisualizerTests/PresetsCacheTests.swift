import DropBlock
import Testing
@testable import Visualizer

/// The presets view keeps its columns in the model: computed when a key changes what they
/// depend on, kept otherwise, and always what a fresh computation would show.
@Suite("Presets view cache")
struct PresetsCacheTests {
    static func frame(_ model: VizModel) -> Frame {
        FrameRenderer(tier: .ansi256).render(model, width: 160, height: 50)
    }

    /// The keep mask's storage address of each column: the same address means the same pass, not recomputed.
    static func addresses(_ model: VizModel) -> [UnsafeRawPointer?] {
        (model.presetComparison?.columns ?? []).map { column in
            column.result?.keepMask.storage.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
    }

    static let keys: [VizAction] = [
        .newDraw, .dropProb(0.1), .blockSizeUp, .nextChannel, .nextSample, .toggleCalibrated, .nextPreset, .blockSizeDown,
        .toggleTraining, .toggleTraining, .schedulerStep, .toggleHelp, .back, .previousChannel, .dropProb(-0.3), .schedulerReset,
    ]

    @Test("after every key of a sequence, the cached frame equals the frame computed afresh")
    func cachedEqualsUncached() throws {
        var model = try Fixtures.model(blockSize: 3, dropProb: 0.3)
        model.apply(.togglePresets)
        for key in Self.keys {
            model.apply(key)
            let cached = try #require(model.presetComparison, "after \(key)")
            #expect(cached.key == PresetComparison.Key(model: model), "after \(key)")
            #expect(Self.frame(model) == Self.frame(model.withoutCaches()), "after \(key)")
        }
    }

    @Test("a change of parameters, draw, sample or channel recomputes the columns", arguments: [
        VizAction.dropProb(0.1), .blockSizeUp, .newDraw, .nextSample, .nextChannel, .toggleCalibrated, .nextPreset,
    ])
    func invalidated(key: VizAction) throws {
        var model = try Fixtures.model(blockSize: 3, dropProb: 0.3)
        model.apply(.togglePresets)
        let before = Self.addresses(model)
        model.apply(key)
        #expect(Self.addresses(model) != before)
        #expect(Self.frame(model) == Self.frame(model.withoutCaches()))
    }

    @Test("keys that change neither the parameters nor the draw keep the columns")
    func kept() throws {
        var model = try Fixtures.model(blockSize: 3, dropProb: 0.3)
        model.apply(.togglePresets)
        let before = Self.addresses(model)
        #expect(before.contains { $0 != nil })
        for key in [VizAction.toggleHelp, .back, .nextSlice, .pan(dx: 1, dy: 0)] {
            model.apply(key)
            #expect(Self.addresses(model) == before, "after \(key)")
        }
        #expect(Self.frame(model) == Self.frame(model.withoutCaches()))
    }

    @Test("leaving the view drops the columns; a new input starts them afresh")
    func leavingAndNewInput() throws {
        var model = try Fixtures.model(blockSize: 3, dropProb: 0.3)
        #expect(model.presetComparison == nil)
        model.apply(.togglePresets)
        #expect(model.presetComparison != nil)
        let other = try model.replacingInput(Fixtures.smallInput(height: 10, width: 10, channels: 2))
        let mask = try #require(other.presetComparison?.columns.first?.result?.keepMask)
        #expect(Array(mask.shape.suffix(2)) == [10, 10])
        #expect(Self.frame(other) == Self.frame(other.withoutCaches()))
        model.apply(.togglePresets)
        #expect(model.activeScreen.kind == .main && model.presetComparison == nil)
    }
}
