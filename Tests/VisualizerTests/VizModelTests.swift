import DropBlock
import Testing
@testable import Visualizer

@Suite("View model: every key's action")
struct VizModelTests {
    @Test func everyKeyMapsToItsAction() {
        #expect(KeyBindings.action(for: "q") == .quit)
        #expect(KeyBindings.action(for: "\u{1B}") == .quit)
        #expect(KeyBindings.action(for: "+") == .blockSizeUp)
        #expect(KeyBindings.action(for: "}") == .dropProb(0.1))
        #expect(KeyBindings.action(for: " ") == .newDraw)
        #expect(KeyBindings.action(for: "N") == .previousChannel)
        #expect(KeyBindings.action(for: "z") == .toggleZoom)
        #expect(KeyBindings.action(for: "Z") == nil)
        // No key is bound twice.
        let keys = KeyBindings.all.flatMap(\.keys)
        #expect(Set(keys).count == keys.count)
    }

    @Test func quitReturnsFalse() throws {
        var model = try Fixtures.model()
        #expect(model.apply(.quit) == false)
        #expect(model.apply(.newDraw) == true)
    }

    @Test("block size moves within 1 ... map size")
    func blockSizeBounds() throws {
        var model = try Fixtures.model(blockSize: 2)
        model.apply(.blockSizeDown)
        #expect(model.parameters.blockSize == 1)
        model.apply(.blockSizeDown)
        #expect(model.parameters.blockSize == 1 && model.message != nil)
        for _ in 0..<20 { model.apply(.blockSizeUp) }
        #expect(model.parameters.blockSize == 12)
        #expect(model.message?.contains("at most 12") == true)
    }

    @Test("torchvision steps over even block sizes")
    func torchvisionOddBlocks() throws {
        var model = try Fixtures.model(preset: .torchvision, blockSize: 3)
        model.apply(.blockSizeUp)
        #expect(model.parameters.blockSize == 5)
        model.apply(.blockSizeDown)
        #expect(model.parameters.blockSize == 3)
    }

    @Test("drop_prob moves by 0.01 and 0.1 and is clamped to [0, 1]")
    func dropProbClamping() throws {
        var model = try Fixtures.model(dropProb: 0.05)
        model.apply(.dropProb(0.01))
        #expect(model.parameters.dropProb == 0.06)
        model.apply(.dropProb(-0.1))
        #expect(model.parameters.dropProb == 0 && model.message != nil)
        for _ in 0..<12 { model.apply(.dropProb(0.1)) }
        #expect(model.parameters.dropProb == 1)
        #expect((model.view.plan?.expectedDropFraction ?? 0) > 0.5)
        #expect((model.view.result?.droppedFraction ?? 0) > 0)
    }

    @Test("space draws again; the same presses give the same draw")
    func newDraw() throws {
        var a = try Fixtures.model(dropProb: 0.3)
        var b = try Fixtures.model(dropProb: 0.3)
        #expect(a.view.result?.keepMask == b.view.result?.keepMask)
        a.apply(.newDraw)
        #expect(a.draw == 1)
        #expect(a.view.result?.keepMask != b.view.result?.keepMask)
        b.apply(.newDraw)
        #expect(a.view.result?.keepMask == b.view.result?.keepMask)
    }

    @Test("s steps exactly like LinearScheduler, r resets")
    func schedulerMatchesLinearScheduler() throws {
        let schedule = try Schedule(start: 0, stop: 0.25, steps: 5)
        var model = try Fixtures.model(dropProb: 0.1, schedule: schedule)
        var reference = try LinearScheduler(DropBlock2D(dropProb: 0.1), startValue: 0, stopValue: 0.25, steps: 5)
        for _ in 0..<8 {
            model.apply(.schedulerStep)
            reference.step()
            #expect(model.parameters.dropProb == reference.dropProb)
        }
        #expect(StatusLine.fields(model: model).contains("step=5/5"))
        model.apply(.schedulerReset)
        // An explicit schedule launches at its START.
        #expect(model.parameters.dropProb == 0 && model.schedule.index == 0)
    }

    @Test("-- above the map size goes to the largest valid size", arguments: [(Preset.dropblock, 50, 12), (.torchvision, 51, 13), (.timm, 50, 12)])
    func blockSizeDownFromAboveTheMap(preset: Preset, blockSize: Int, side: Int) throws {
        let input = try Fixtures.smallInput(height: side, width: side)
        var model = try Fixtures.model(preset: preset, blockSize: blockSize, input: input)
        model.apply(.blockSizeDown)
        #expect(model.parameters.blockSize == side, "\(preset)")
        #expect(model.message?.contains("\(blockSize)") == true)
        let expected = side
        model.apply(.blockSizeDown)
        #expect(model.parameters.blockSize < expected)
    }

    @Test("an explicit --schedule starts at START; s applies linspace[i] then advances; r returns to launch")
    func explicitSchedule() throws {
        var model = try Fixtures.model(dropProb: 0.1, schedule: try Schedule(start: 0.05, stop: 0.3, steps: 6))
        #expect(model.parameters.dropProb == 0.05)
        #expect(StatusLine.fields(model: model).contains("step=0/6"))
        let values = model.schedule.values
        for i in 0..<3 {
            model.apply(.schedulerStep)
            #expect(model.parameters.dropProb == values[i])
            #expect(StatusLine.fields(model: model).contains("step=\(i + 1)/6"))
        }
        model.apply(.newDraw)
        model.apply(.blockSizeUp)
        model.apply(.schedulerReset)
        #expect(model.parameters == model.launchParameters)
        #expect(model.parameters.dropProb == 0.05 && model.schedule.index == 0 && model.draw == 0)
    }

    @Test("without --schedule: launch shows --drop-prob; the 0:P:10 ramp begins at the first s; r returns to P")
    func defaultSchedule() throws {
        var model = try Fixtures.model(dropProb: 0.1)
        #expect(model.parameters.dropProb == 0.1 && StatusLine.fields(model: model).contains("step=0/10"))
        model.apply(.schedulerStep)
        #expect(model.parameters.dropProb == 0)
        model.apply(.schedulerStep)
        model.apply(.schedulerReset)
        #expect(model.parameters.dropProb == 0.1)
    }

    @Test("draw=k names the draw: space increments it, k=0 is the seed's first draw")
    func drawField() throws {
        var model = try Fixtures.model()
        #expect(StatusLine.fields(model: model).contains("draw=0"))
        model.apply(.newDraw)
        model.apply(.newDraw)
        #expect(StatusLine.fields(model: model).contains("draw=2"))
        model.apply(.schedulerReset)
        #expect(StatusLine.fields(model: model).contains("draw=0"))
    }

    @Test("a block as large as the map: the status line says what the preset then does")
    func blockAsLargeAsTheMap() throws {
        let odd = try Fixtures.smallInput(height: 13, width: 13)
        for preset in [Preset.torchvision, .tf] {
            let model = try Fixtures.model(preset: preset, blockSize: 13, dropProb: 0.5, input: odd)
            #expect(StatusLine.fields(model: model).contains("block>=map:each_seed_drops_its_whole_channel(SpatialDropout)"), "\(preset)")
            // And it is true: every channel is kept or dropped as a whole.
            let mask = try #require(model.view.result?.keepMask)
            for c in 0..<3 {
                let plane = mask.storage[MapSelection(shape: mask.shape, channel: c, slice: 0).plane]
                #expect(Set(plane).count == 1, "\(preset) channel \(c)")
            }
        }
        for preset in [Preset.dropblock, .timm] {
            let model = try Fixtures.model(preset: preset, blockSize: 13, dropProb: 0.5, input: odd)
            #expect(StatusLine.fields(model: model).contains("block>=map:blocks_clipped_at_the_map_edges"), "\(preset)")
        }
        let small = try Fixtures.model(preset: .torchvision, blockSize: 7, input: odd)
        #expect(!StatusLine.fields(model: small).contains { $0.hasPrefix("block>=map") })
    }

    @Test("autoplay ticks step the scheduler with a new draw and stop at the last step")
    func autoplay() throws {
        var model = try Fixtures.model(schedule: try Schedule(start: 0, stop: 0.3, steps: 3))
        model.apply(.tick)
        #expect(model.draw == 0, "ticks do nothing unless autoplay is on")
        model.apply(.toggleAutoplay)
        #expect(model.autoplay)
        model.apply(.tick)
        #expect(model.parameters.dropProb == 0 && model.draw == 1)
        model.apply(.tick)
        model.apply(.tick)
        #expect(model.parameters.dropProb == 0.3 && !model.autoplay)
    }

    @Test("m cycles presets and skips tf on a non-square map")
    func presetCycleSkipsInapplicable() throws {
        let wide = try Fixtures.smallInput(height: 8, width: 12)
        var model = try Fixtures.model(preset: .dropblock, blockSize: 3, input: wide)
        model.apply(.nextPreset)
        #expect(model.parameters.preset == .torchvision)
        model.apply(.nextPreset)
        #expect(model.parameters.preset == .timm)
        model.apply(.nextPreset)
        #expect(model.parameters.preset == .dropblock)
        #expect(model.message?.contains("tf") == true)
        // On a square map tf is offered.
        var square = try Fixtures.model(preset: .timm, blockSize: 3)
        square.apply(.nextPreset)
        #expect(square.parameters.preset == .tf)
    }

    @Test("m into torchvision with an even block takes the odd block below")
    func presetCycleFixesEvenBlock() throws {
        var model = try Fixtures.model(preset: .dropblock, blockSize: 4)
        model.apply(.nextPreset)
        #expect(model.parameters.preset == .torchvision && model.parameters.blockSize == 3)
    }

    @Test("c, e, x, v and ? toggle")
    func toggles() throws {
        var model = try Fixtures.model(dropProb: 0.2)
        model.apply(.toggleCalibrated)
        #expect(model.parameters.calibrated)
        #expect(abs((model.view.plan?.expectedDropFraction ?? 0) - 0.2) < 1e-9)
        #expect(StatusLine.fields(model: model).contains("calibrated"))
        model.apply(.toggleTraining)
        #expect(!model.parameters.isTraining && model.view.result?.isIdentity == true)
        #expect(StatusLine.fields(model: model).contains("mode=eval"))
        model.apply(.toggleDropoutRow)
        #expect(model.showDropout && model.view.dropout != nil)
        model.apply(.toggleSweep)
        #expect(model.showSweep && model.view.sweep.count == 12)
        model.apply(.toggleHelp)
        #expect(model.showHelp)
    }

    @Test("the dropout row drops at the realized rate with block size 1")
    func dropoutComparison() throws {
        var model = try Fixtures.model(dropProb: 0.3)
        model.apply(.toggleDropoutRow)
        let realized = try #require(model.view.result?.droppedFraction)
        let dropout = try #require(model.view.dropout)
        #expect(dropout.gamma == realized)
    }

    @Test("channels and samples wrap around; slices need 3D")
    func navigation() throws {
        var model = try Fixtures.model()
        model.apply(.previousChannel)
        #expect(model.channel == 2)
        model.apply(.nextChannel)
        #expect(model.channel == 0)
        model.apply(.nextSample)
        model.apply(.nextSample)
        #expect(model.sample == 0)
        model.apply(.previousSample)
        #expect(model.sample == 1)
        #expect(StatusLine.fields(model: model).contains("sample=1/2"))
        model.apply(.nextSlice)
        #expect(model.slice == 0 && model.message?.contains("2D") == true)

        var volume = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3))
        volume.apply(.previousSlice)
        #expect(volume.slice == 15)
        #expect(StatusLine.fields(model: volume).contains("slice=15/16"))
        volume.apply(.nextSlice)
        #expect(volume.slice == 0)
    }

    @Test("the status line shows every required key")
    func statusFields() throws {
        let model = try Fixtures.model()
        let line = StatusLine.fields(model: model).joined(separator: " ")
        for key in ["preset=", "block=", "drop_prob=", "gamma=", "expected=", "realized=", "scale=", "step=", "seed=", "mode=", "channel=", "sample="] {
            #expect(line.contains(key), "missing \(key)")
        }
    }

    @Test func invalidStartIsAnError() throws {
        let wide = try Fixtures.smallInput(height: 8, width: 12)
        #expect(throws: DropBlockError.nonSquareMap(height: 8, width: 12)) {
            try VizModel(input: wide, parameters: DropBlockParameters(preset: .tf))
        }
        #expect(throws: DropBlockError.self) { try Schedule.parse("0:1") }
        #expect(throws: DropBlockError.self) { try Schedule.parse("0:2:5") }
    }
}
