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

    @Test("the sweep's bars are made once per parameters and map: a new draw or a channel reuses them, p and the preset remake them")
    func sweepKept() throws {
        var model = try Fixtures.model(blockSize: 3, dropProb: 0.3)
        model.apply(.toggleSweep)
        let first = try #require(model.sweepCache)
        // The same storage, not equal bars made again.
        let address = model.view.sweep.withUnsafeBufferPointer { $0.baseAddress }
        for key in [VizAction.newDraw, .nextChannel, .blockSizeUp, .toggleCalibrated, .toggleHelp] {
            model.apply(key)
            #expect(model.sweepCache?.parameters == first.parameters && model.view.sweep == first.points, "after \(key)")
            #expect(model.view.sweep.withUnsafeBufferPointer { $0.baseAddress } == address, "after \(key): made again")
        }
        #expect(Self.frame(model) == Self.frame(model.withoutCaches()))
        model.apply(.dropProb(0.1))
        #expect(model.sweepCache?.parameters.dropProb == 0.4 && model.view.sweep != first.points)
        model.apply(.nextPreset)
        #expect(model.sweepCache?.parameters.preset == .torchvision)
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
