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
        #expect(text.contains("block=9: 2.6% of map") && text.contains("block=7: 6.2% of map"), "\(text)")
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
        #expect(StagesScreen.sharePercent(49.0 / 3136) == "1.6%")
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
}
