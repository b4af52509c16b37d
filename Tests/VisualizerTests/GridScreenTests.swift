import DropBlock
import Testing
@testable import Visualizer

/// The channel grid (`g`): every channel as a small panel, paged, titled with its own fraction.
@Suite("Channel grid")
struct GridScreenTests {
    static func gridModel(preset: Preset = .dropblock, channels: Int = 3, dropProb: Double = 0.3) throws -> VizModel {
        var model = try Fixtures.model(preset: preset, blockSize: 3, dropProb: dropProb, input: Fixtures.smallInput(channels: channels))
        model.apply(.toggleGrid)
        return model
    }

    /// The dropped fraction of channel `c` of the draw, counted here from the keep mask.
    static func dropped(_ model: VizModel, channel c: Int) throws -> Double {
        let mask = try #require(model.view.result?.keepMask)
        let channel = mask.shape[1] == 1 ? 0 : c
        let plane = model.input.height * model.input.width
        let values = mask.storage[(channel * plane)..<((channel + 1) * plane)]
        return Double(values.filter { $0 == 0 }.count) / Double(plane)
    }

    @Test("every panel's title fraction is its own channel's", arguments: [Preset.dropblock, .torchvision, .timm, .tf])
    func titlesMatchPanels(preset: Preset) throws {
        let model = try Self.gridModel(preset: preset, channels: 6)
        let probe = PanelProbe(model, width: 160, height: 50)
        var fractions: Set<Double> = []
        for c in 0..<6 {
            let title = try #require(probe.title(PanelID("c\(c)")), "channel \(c) has no panel")
            #expect(title.hasPrefix("c\(c) "), "\(title)")
            let shown = try #require(PanelProbe.percent(in: title))
            let own = try Self.dropped(model, channel: c)
            #expect(abs(shown - own) <= 0.0005 + 1e-12, "\(preset) c\(c): title \(shown) vs mask \(own)")
            fractions.insert(own)
        }
        // Shared masks: one fraction; per-channel masks: the channels differ (so the check above means something).
        #expect(model.parameters.sharesMask == (fractions.count == 1), "\(preset): \(fractions)")
    }

    /// Round 25: in 3D a panel's `c0 12.1%` is the shown slice's share, where the status line's
    /// channel_dropped is the whole channel's, and the title did not say so.
    @Test("in 3D a grid title names the slice its share is of, where it fits")
    func sliceInThreeD() throws {
        let volume = try Tensor(shape: [1, 2, 6, 12, 12], storage: (0..<1728).map { Float($0 % 7) })
        var model = try VizModel(input: try VizInput(name: "v", tensor: volume), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3))
        for _ in 0..<3 { model.apply(.nextSlice) }
        model.apply(.toggleGrid, screen: ScreenSize(width: 120, height: 40))
        let probe = PanelProbe(model, width: 120, height: 40)
        for channel in 0..<2 {
            let title = try #require(probe.title(PanelID("c\(channel)")))
            let share = GridScreen.droppedFraction(try #require(model.view.result), channel: channel, slice: 3)
            #expect(title == "c\(channel) slice 3 \(FrameRenderer.percent(share)) dropped", "\(title)")
        }
    }

    @Test("each panel draws its own channel's output, or input with o")
    func panelsDrawTheirChannel() throws {
        var model = try Self.gridModel(preset: .torchvision, channels: 4)
        for source in [GridScreen.Source.output, .input] {
            let probe = PanelProbe(model, width: 160, height: 50)
            let scale = try #require(probe.layout.scale)
            let sample = model.input.sample(0)
            let result = try #require(model.view.result)
            for c in 0..<4 {
                let maps = PanelMaps(channel: c, slice: 0)
                let map = source == .output ? maps.outputMap(result, input: sample) : maps.channelMap(sample)
                var expected = Frame(width: scale.columns, height: scale.rows)
                FrameRenderer(tier: .ascii).drawMap(map, x: 0, y: 0, scale: scale, frame: &expected)
                let cells = probe.mapCells(PanelID("c\(c)"))
                #expect(cells.map { $0.map(\.glyph) } == (0..<scale.rows).map { r in (0..<scale.columns).map { expected[$0, r].glyph } },
                        "\(source) c\(c)")
            }
            model.apply(.toggleGridSource)
        }
    }

    @Test("the grid's title says whether the mask is shared")
    func maskSharingTitle() throws {
        let shared = try Self.gridModel(preset: .dropblock)
        #expect(FrameRenderer(tier: .ascii).render(shared, width: 100, height: 30).row(1).contains("mask: shared across channels"))
        let perChannel = try Self.gridModel(preset: .torchvision)
        #expect(FrameRenderer(tier: .ascii).render(perChannel, width: 100, height: 30).row(1).contains("mask: per channel"))
    }

    @Test("a short terminal fills its row: as many panels as fit at the width one map alone gets there",
          arguments: [(60, 16), (40, 16), (100, 16), (60, 18)])
    func shortTerminalsFillTheRow(size: (Int, Int)) throws {
        var model = try Fixtures.model(blockSize: 3, input: Fixtures.smallInput(height: 28, width: 28, channels: 16))
        let screen = ScreenSize(width: size.0, height: size.1)
        model.apply(.toggleGrid, screen: screen)
        let page = GridScreen.pageSize(model, size: screen)
        let probe = PanelProbe(model, width: size.0, height: size.1)
        let scale = try #require(probe.layout.scale)
        // One more column of panels would not fit beside the ones shown, at their width.
        #expect(page.perPage > 1, "\(size): one panel a page")
        #expect((page.columns + 1) * (max(scale.columns, 8) + 1) + 1 > size.0, "\(size): \(page) with \(scale.columns)-column maps")
    }

    @Test("more channels than fit are paged: n and N move by a page, every channel on some page")
    func paging() throws {
        let size = ScreenSize(width: 80, height: 24)
        var model = try Fixtures.model(blockSize: 3, input: Fixtures.smallInput(height: 28, width: 28, channels: 16))
        model.apply(.toggleGrid, screen: size)
        let pages = GridScreen.pageCount(model, size: size)
        #expect(pages > 1)
        var seen: [Int] = []
        for page in 0..<pages {
            let frame = FrameRenderer(tier: .ascii).render(model, width: 80, height: 24)
            #expect(frame.row(1).contains("page \(page + 1)/\(pages)"), "\(frame.row(1))")
            let probe = PanelProbe(model, width: 80, height: 24)
            seen += (0..<16).filter { probe.layout.panels[PanelID("c\($0)")] != nil }
            model.apply(.nextChannel, screen: size)
        }
        #expect(seen == Array(0..<16))
        #expect(FrameRenderer(tier: .ascii).render(model, width: 80, height: 24).row(1).contains("page 1/\(pages)"), "n wraps around")
        model.apply(.previousChannel, screen: size)
        #expect(FrameRenderer(tier: .ascii).render(model, width: 80, height: 24).row(1).contains("page \(pages)/\(pages)"))
        #expect(model.channel == 0, "n and N page in the grid, they do not change the channel")
    }

    @Test("g or Esc leaves the grid; + changes the block inside it; Esc on the main screen quits")
    func keys() throws {
        var model = try Self.gridModel()
        model.apply(.blockSizeUp)
        #expect(model.parameters.blockSize == 4 && model.activeScreen.kind == .grid)
        #expect(model.apply(.back) && model.activeScreen.kind == .main)
        model.apply(.toggleGrid)
        model.apply(.toggleGrid)
        #expect(model.activeScreen.kind == .main)
        model.apply(.toggleGridSource)
        #expect(model.message?.contains("press g") == true)
        #expect(model.apply(.back) == false)
    }

    @Test("the grid fits from 80x24 to 200x60 in every colour tier, 2D and 3D",
          arguments: [(80, 24), (100, 30), (120, 40), (200, 60)])
    func fits(size: (Int, Int)) throws {
        var volume = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 5), seed: 3)
        volume.apply(.toggleGrid)
        for model in [try Self.gridModel(channels: 16), volume] {
            for tier in ColorTier.allCases {
                let probe = PanelProbe(model, width: size.0, height: size.1, tier: tier)
                #expect(!probe.layout.isTooSmall)
                #expect(!probe.layout.panels.isEmpty)
                for rect in probe.layout.panels.values {
                    #expect(rect.x >= 0 && rect.x + rect.width <= size.0 && rect.y >= 2 && rect.y + rect.height <= probe.layout.messageRow)
                }
                #expect(probe.frame.row(1).contains("page "), "\(size) \(tier)")
            }
        }
    }
}
