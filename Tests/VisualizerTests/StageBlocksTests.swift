import DropBlock
import Testing
@testable import Visualizer

/// Round 25: an engineer picks a block size per stage in the `b` view.
@Suite("A block size per stage")
struct StageBlocksTests {
    /// The stages view on the embedded sample at 28x28 (the second of four stages).
    static func model(preset: Preset = .dropblock) throws -> VizModel {
        try StagesScreenTests.model(preset: preset, input: StagesScreenTests.embedded(mapSize: 28))
    }

    static func stages(_ model: VizModel) throws -> StagesScreen {
        guard case .stages(let stages) = model.activeScreen else { throw StageBlocksFailure.notOnStages }
        return stages
    }

    enum StageBlocksFailure: Error { case notOnStages }

    /// keras-cv calibrated to p = 0.9 on a 7x7 and a 20x12 stage, where no gamma reaches p on the
    /// second: the stages view at 120x40.
    static func unreachableModel() throws -> VizModel {
        let square = try Tensor(shape: [1, 2, 7, 7], storage: (0..<98).map { Float($0 % 5) })
        let wide = try Tensor(shape: [1, 2, 20, 12], storage: (0..<480).map { Float($0 % 5) })
        var input = try VizInput(name: "layers:square", tensor: square)
        input.stages = [VizStage(name: "square", tensor: square), VizStage(name: "wide", tensor: wide)]
        var parameters = DropBlockParameters(dropProb: 0.9, blockSize: 5, preset: .kerascv)
        parameters.calibrated = true
        var model = try VizModel(input: input, parameters: parameters)
        model.apply(.toggleStages, screen: ScreenSize(width: 120, height: 40))
        return model
    }

    static func header(_ model: VizModel, width: Int = 200) -> String {
        FrameRenderer(tier: .ascii).render(model, width: width, height: 60).plainText
    }

    @Test("right then + changes the first stage's block alone, and its draw is that block's draw")
    func ownBlock() throws {
        var model = try Self.model()
        model.apply(.pan(dx: 1, dy: 0))
        #expect(try Self.stages(model).selected == 0)
        #expect(model.message?.contains("stage 1 of 4, conv2_x 56x56") == true, "\(model.message ?? "")")
        model.apply(.blockSizeUp)
        model.apply(.blockSizeUp)
        #expect(model.parameters.blockSize == 7, "the main screen's block stays")
        let rows = try Self.stages(model).rows(model: model)
        #expect(rows.map(\.blockSize) == [9, 7, 7, 7])
        // The stage's draw is the one `apply --block-size 9 --draw 0` gives for it.
        var parameters = model.parameters
        parameters.blockSize = 9
        let draw = SeedDraw(seed: model.seed, index: model.draw, firstSample: model.sample)
        let expected = try DropBlockND(parameters: parameters).forward(rows[0].input.sample(0), draw: draw)
        #expect(rows[0].result?.keepMask == expected.keepMask)
        #expect(rows[0].expected == DropRateStudy(preset: .dropblock, spatial: [56, 56], blockSize: 9, dropProb: 0.1, samples: 0, seed: 0).expected)
        let text = Self.header(model)
        #expect(text.contains("dropblock  blocks=9,7,7,7  p=0.1"), "\(text)")
        #expect(text.contains("> conv2_x 56x56"), "the selected stage is marked: \(text)")
        #expect(text.contains("block=9: 2.6% of map") && text.contains("block=7: 6.3% of map"), "\(text)")
    }

    @Test("+ on the stage the main screen shows changes the main block, and the others keep theirs")
    func shownStage() throws {
        var model = try Self.model(preset: .torchvision)
        model.apply(.pan(dx: 1, dy: 0))
        model.apply(.pan(dx: 1, dy: 0))
        model.apply(.blockSizeDown)
        #expect(model.parameters.blockSize == 5)
        #expect(model.message == "block 7 -> 5: torchvision takes odd sizes only")
        let rows = try Self.stages(model).rows(model: model)
        #expect(rows.map(\.blockSize) == [7, 5, 7, 7])
        #expect(rows[1].result?.keepMask == model.view.result?.keepMask, "the status line's draw")
        // A stage that torchvision cannot run at its own block says so, naming the block.
        model.apply(.pan(dx: 1, dy: 0))
        model.apply(.blockSizeDown)
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [7, 5, 5, 7])
        #expect(Self.header(model).contains("blocks=7,5,5,7"))
    }

    @Test("past the last stage every stage is selected again; + then, and r, put every stage on one block")
    func everyStage() throws {
        var model = try Self.model()
        model.apply(.pan(dx: -1, dy: 0))
        #expect(try Self.stages(model).selected == 3, "left from every stage selects the last")
        model.apply(.blockSizeDown)
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [7, 7, 7, 6])
        model.apply(.pan(dx: 1, dy: 0))
        #expect(try Self.stages(model).selected == nil)
        #expect(model.message == "every stage: +/- change every stage's block")
        model.apply(.blockSizeUp)
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [8, 8, 8, 8])
        #expect(Self.header(model).contains("dropblock  block=8  p=0.1"))
        model.apply(.pan(dx: 1, dy: 0))
        model.apply(.blockSizeDown)
        #expect(try Self.stages(model).ownBlocks == [0: 7])
        model.apply(.schedulerReset)
        #expect(try Self.stages(model).ownBlocks.isEmpty && Self.stages(model).selected == nil)
    }

    @Test("a block's share of the map: two significant digits under 10%, never a false 0% or 100%")
    func sharePercent() {
        #expect(StagesScreen.sharePercent(49.0 / 3136) == "1.6%" && StagesScreen.sharePercent(49.0 / 784) == "6.3%")
        #expect(StagesScreen.sharePercent(1.0 / 3136) == "0.032%")
        #expect(StagesScreen.sharePercent(0.25) == "25%" && StagesScreen.sharePercent(1) == "100%")
        #expect(StagesScreen.sharePercent(0.9999) == ">99%" && StagesScreen.sharePercent(0.0996) == "10%")
        #expect(StagesScreen.sharePercent(1e-7) == "<0.01%" && StagesScreen.sharePercent(0.05) == "5%")
    }

    @Test("a block's share uses its extent clipped to the map")
    func clippedShare() throws {
        let geometry = try SeedGeometry(preset: .dropblock, spatial: [7, 14], blockSize: 9)
        #expect(StagesScreen.blockShare(geometry) == 7.0 / 7 * 9.0 / 14)
        let timm = try SeedGeometry(preset: .timm, spatial: [5, 5], blockSize: 7)
        #expect(StagesScreen.blockShare(timm) == 1)
    }

    @Test("v in the stages view: a table of expected drop by block and stage, stats' numbers, each stage's block bracketed")
    func table() throws {
        var model = try Self.model(preset: .timm)
        model.apply(.toggleSweep)
        #expect(model.activeScreen.kind == .stages && model.main.extras.isEmpty, "v stays in the view")
        model.apply(.pan(dx: 1, dy: 0))
        model.apply(.blockSizeDown)
        model.apply(.blockSizeDown)
        let text = Self.header(model)
        #expect(text.contains("expected drop by block, as dropblock stats prints it"), "\(text)")
        let lines = text.split(separator: "\n").map(String.init)
        let sides = [56, 28, 14, 7], blocks = [5, 7, 7, 7]
        for block in [1, 3, 5, 7, 9] {
            let row = try #require(lines.first { $0.hasPrefix(String(block).padding(toLength: 7, withPad: " ", startingAt: 0)) })
            let cells = row.dropFirst(7).split(separator: " ").map(String.init)
            #expect(cells.count == 4, "\(row)")
            for (index, side) in sides.enumerated() where cells.count == 4 {
                let study = DropRateStudy(preset: .timm, spatial: [side, side], blockSize: block, dropProb: 0.1, samples: 0, seed: 0)
                let number = StatusLine.format(try #require(study.expected))
                #expect(cells[index] == (block == blocks[index] ? "[\(number)]" : number), "block \(block), \(side): \(row)")
            }
        }
        // With c, the calibrated gamma, kept across draws and made again for a new p.
        model.apply(.toggleCalibrated)
        let cached = try #require(try Self.stages(model).tableCache)
        model.apply(.newDraw)
        #expect(try Self.stages(model).tableCache == cached)
        let gamma = DropRateStudy(preset: .timm, spatial: [28, 28], blockSize: 7, dropProb: 0.1, samples: 0, seed: 0).calibratedGamma
        #expect(Self.header(model).contains("[\(StatusLine.format(try #require(gamma)))]"))
        model.apply(.dropProb(0.1))
        #expect(try Self.stages(model).tableCache?.key.dropProb == 0.2)
        model.apply(.toggleSweep)
        #expect(try Self.stages(model).tableCache == nil && !Self.header(model).contains("by block"))
    }

    @Test("a table too wide for the screen leaves stages out and says how many")
    func narrowTable() throws {
        let key = StageBlockTable.Key(preset: .dropblock, dropProb: 0.1, calibrated: false, training: true,
                                      stages: [56, 28, 14, 7].map { StageBlockTable.Stage(name: "s\($0)", spatial: [$0, $0], blockSize: 7) })
        let lines = StageBlockTable(key: key).lines(width: 40)
        #expect(lines[0] == "expected drop by block (+1 stages)" && lines[1] == "block   56x56      28x28      14x14", "\(lines)")
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(StageBlockTable.blockSizes(stageBlocks: [4, 7, 12], largestSide: 7) == [1, 3, 4, 5, 7, 12])
        // A selected stage left out for width takes the last column, so its block stays on screen.
        let kept = StageBlockTable(key: key).lines(width: 40, keeping: 3)
        #expect(kept[1] == "block   56x56      28x28      7x7" && kept[0] == lines[0], "\(kept)")
    }

    /// Round 26: `m` into torchvision stepped the main block to an odd size but left a stage's own even block.
    @Test("m steps every stage's own block the preset cannot run, as it steps the main block, and says so")
    func presetChangeStepsOwnBlocks() throws {
        var model = try Self.model()
        for action: VizAction in [.pan(dx: 1, dy: 0), .blockSizeDown, .pan(dx: 1, dy: 0), .blockSizeDown, .nextPreset] { model.apply(action) }
        #expect(model.parameters.preset == .torchvision)
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [5, 5, 7, 7])
        #expect(model.message?.contains("conv2_x's own block 6 -> 5 (torchvision takes odd sizes only)") == true, "\(model.message ?? "")")
    }

    /// Round 26: `bb`, or `+` with every stage selected, lost the stages' own blocks without a word.
    @Test("the stages' own blocks outlast leaving the view; one block for all says it replaces them")
    func ownBlocksAreKept() throws {
        var model = try Self.model()
        for action: VizAction in [.pan(dx: 1, dy: 0), .blockSizeDown, .blockSizeDown, .toggleStages, .toggleGrid, .toggleStages] {
            model.apply(action)
        }
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [5, 7, 7, 7])
        #expect(try Self.stages(model).selected == nil, "every stage is selected when the view opens")
        model.apply(.blockSizeUp)
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [8, 8, 8, 8])
        #expect(model.message?.contains("every stage on one block now") == true, "\(model.message ?? "")")
    }

    /// Round 26: `l` gave the stage it showed the main block and the stage it left the new main one's.
    @Test("a new array on the main screen brings its stage's own block, and the stage it left keeps its")
    func newArrayKeepsBlocks() throws {
        let layers = [("a", 16), ("b", 12), ("c", 8)].map { name, side in
            (name, try! Tensor(shape: [1, 2, side, side], storage: (0..<(2 * side * side)).map { Float($0 % 7) }))
        }
        func input(_ index: Int) throws -> VizInput {
            var input = try VizInput(name: "layers:\(layers[index].0)", tensor: layers[index].1)
            input.stages = layers.map { VizStage(name: $0.0, tensor: $0.1) }
            return input
        }
        var model = try VizModel(input: input(0), parameters: DropBlockParameters(dropProb: 0.2, blockSize: 5))
        for action: VizAction in [.toggleStages, .pan(dx: 1, dy: 0), .pan(dx: 1, dy: 0), .blockSizeDown, .blockSizeDown] { model.apply(action) }
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [5, 3, 5])
        model = try model.replacingInput(input(1))
        #expect(model.parameters.blockSize == 3 && model.message == "b runs its own block, 3")
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [5, 3, 5])
        model = try model.replacingInput(input(0))
        #expect(model.parameters.blockSize == 5)
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [5, 3, 5])
    }

    @Test("calibrated where no gamma reaches p, a stage says unreachable and the most it reaches; where no position can seed, it says so")
    func unreachableAndSeedless() throws {
        var model = try Self.unreachableModel()
        var text = FrameRenderer(tier: .ascii).render(model, width: 120, height: 40).plainText
        let most = try #require(DropRateStudy(preset: .kerascv, spatial: [20, 12], blockSize: 5, dropProb: 0.9, samples: 0, seed: 0).maximumReachable)
        #expect(text.contains("unreachable, max \(StatusLine.format(most))") && !text.contains("gamma=1 "), "\(text)")
        model.apply(.toggleCalibrated)
        model.apply(.pan(dx: -1, dy: 0))
        for _ in 0..<15 { model.apply(.blockSizeUp) }
        text = FrameRenderer(tier: .ascii).render(model, width: 120, height: 40).plainText
        // Wrapped under the numbers: "! block >= map: no" / "position can seed, so ...".
        #expect(text.contains("position can seed, so") && !text.contains("a seed drops 0%"), "\(text)")
    }

    @Test("w from the stages view says whose draw it wrote")
    func writeSaysWhichStage() throws {
        let model = try Self.model()
        let wordings = VizSession.wroteWordings(path: "/tmp/x/dropblock-draw-0.npz", model: model)
        #expect(wordings.first == "wrote /tmp/x/dropblock-draw-0.npz (draw 0, sample 0): the status line's draw, conv3_x at block 7, not the other stages'")
    }

    /// Verification round 16: the table said nothing in eval, cut a stage's size where it cannot
    /// run, said `none` where stats says unreachable, and one more row of it blanked 80x24.
    @Test("the table says its numbers are training's in eval, gives way on a short screen, and gives the reach of an unreachable p")
    func tableEdges() throws {
        var model = try Self.model()
        model.apply(.toggleSweep)
        model.apply(.toggleTraining)
        #expect(Self.header(model, width: 120).contains("expected drop by block in training (eval drops nothing)"))
        model.apply(.toggleTraining)
        for action: VizAction in [.pan(dx: 1, dy: 0), .blockSizeUp, .blockSizeUp, .pan(dx: 1, dy: 0), .pan(dx: 1, dy: 0), .blockSizeDown] {
            model.apply(action)
        }
        let short = FrameRenderer(tier: .ascii).render(model, width: 80, height: 24).plainText
        #expect(!short.contains("enlarge") && short.contains("(v: no room)") && short.contains("expected="), "\(short)")
        #expect(Self.header(model, width: 120).contains("bracketed: each stage's block"))

        var calibrated = try Self.unreachableModel()
        calibrated.apply(.toggleSweep)
        let most = try #require(DropRateStudy(preset: .kerascv, spatial: [20, 12], blockSize: 5, dropProb: 0.9, samples: 0, seed: 0).maximumReachable)
        #expect(Self.header(calibrated, width: 120).contains("[max \(StatusLine.format(most))]"), "\(Self.header(calibrated, width: 120))")
    }

    @Test("a stage that cannot run says why in whole words, its numbers never cut; in 3D the size outlasts the name")
    func cannotRunAndSizes() throws {
        var model = try Self.model(preset: .torchvision)
        for _ in 0..<4 { model.apply(.blockSizeUp) }
        #expect(try Self.stages(model).rows(model: model).map(\.blockSize) == [15, 15, 15, 15])
        for width in [100, 120, 200] {
            let text = FrameRenderer(tier: .ascii).render(model, width: width, height: 40).plainText
            #expect(text.contains("cannot run at") && text.contains("block 15: ") && !text.contains("of 14|"), "\(width): \(text)")
        }
        let big = try Tensor(shape: [1, 2, 16, 32, 32], storage: (0..<32768).map { Float($0 % 13) })
        let small = try Tensor(shape: [1, 2, 8, 16, 16], storage: (0..<4096).map { Float($0 % 5) })
        var input = try VizInput(name: "vol:a", tensor: big)
        input.stages = [VizStage(name: "a", tensor: big), VizStage(name: "b", tensor: small)]
        var volume = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7))
        volume.apply(.toggleStages, screen: ScreenSize(width: 100, height: 30))
        volume.apply(.pan(dx: -1, dy: 0))
        let text = FrameRenderer(tier: .ascii).render(volume, width: 100, height: 30).plainText
        #expect(text.contains("> 8x16x16 ") && text.contains(" 16x32x32 "), "\(text)")
    }
}
