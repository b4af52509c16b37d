import DropBlock
import Netpbm
import SampleAssets
import Testing
@testable import Visualizer

/// Block size across stages (`b`): the embedded sample at 56, 28, 14, 7, expected = stats.
@Suite("Block size across stages")
struct StagesScreenTests {
    static func embedded(mapSize: Int = 28) throws -> VizInput {
        let image = try NetpbmImage(data: SampleAssets.photographPGM())
        return try SampleData.photographFeatures(FeatureBank.Image(width: image.width, height: image.height, pixels: image.grey), mapSize: mapSize)
    }

    static func model(preset: Preset = .dropblock, blockSize: Int = 7, dropProb: Double = 0.1, input: VizInput) throws -> VizModel {
        var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: dropProb, blockSize: blockSize, preset: preset))
        model.apply(.toggleStages)
        return model
    }

    @Test("the embedded sample's stages are its maps at 56, 28, 14 and 7, named conv2_x..conv5_x; the shown size is one of them")
    func embeddedStages() throws {
        let input = try Self.embedded(mapSize: 14)
        #expect(input.stages.map(\.name) == ["conv2_x", "conv3_x", "conv4_x", "conv5_x"])
        #expect(input.stages.map { $0.tensor.shape } == [56, 28, 14, 7].map { [2, 16, $0, $0] })
        #expect(input.stages[2].tensor == input.tensor, "the 14x14 stage is the input itself")
    }

    /// Round 25: a U-Net's stages halve the depth, and slice 10 of 32 showed slice 10 of 16 (at
    /// depth 20 of 32) and the last of 8, clamped from 10, titled `slice 7` alone.
    @Test("3D stages show the slice at the shown one's depth, titled slice k/D")
    func slicesAtTheSameDepth() throws {
        #expect(StagesScreen.slice(10, of: [32, 8, 8], in: [16, 4, 4]) == 5 && StagesScreen.slice(10, of: [32, 8, 8], in: [8, 2, 2]) == 2)
        #expect(StagesScreen.slice(31, of: [32, 8, 8], in: [8, 2, 2]) == 7 && StagesScreen.slice(0, of: [32, 8, 8], in: [8, 2, 2]) == 0)
        #expect(StagesScreen.slice(3, of: [8, 8, 8], in: [32, 4, 4]) == 14 && StagesScreen.slice(5, of: [6, 4, 4], in: [6, 2, 2]) == 5)
        #expect(StagesScreen.slice(4, of: [6, 4, 4], in: [5, 8]) == 0, "a 2D stage has one slice")
        let deep = try Tensor(shape: [1, 2, 16, 8, 8], storage: (0..<2048).map { Float($0 % 11) })
        let shallow = try Tensor(shape: [1, 2, 8, 4, 4], storage: (0..<256).map { Float($0 % 5) })
        var input = try VizInput(name: "layers:deep", tensor: deep)
        input.stages = [VizStage(name: "deep", tensor: deep), VizStage(name: "shallow", tensor: shallow)]
        var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3))
        for _ in 0..<9 { model.apply(.nextSlice) }
        model.apply(.toggleStages, screen: ScreenSize(width: 160, height: 40))
        let text = FrameRenderer(tier: .ascii).render(model, width: 160, height: 40).plainText
        #expect(text.contains("c0 slice 9/16") && text.contains("c0 slice 4/8"), "\(text)")
    }

    /// Round 25: with c every stage said expected=0.1, not the calibrated gamma one would put
    /// in a config, and the header did not say calibration was on.
    @Test("with c each stage's caption gives its calibrated gamma, stats' number, and the header says calibrated")
    func calibratedGammaPerStage() throws {
        var model = try Self.model(preset: .torchvision, input: try Self.embedded())
        model.apply(.toggleCalibrated)
        let text = FrameRenderer(tier: .ascii).render(model, width: 120, height: 40).plainText
        #expect(text.contains("torchvision  block=7  p=0.1  calibrated  c0"), "\(text)")
        for side in [56, 28, 14, 7] {
            let study = DropRateStudy(preset: .torchvision, spatial: [side, side], blockSize: 7, dropProb: 0.1, samples: 0, seed: 0)
            let gamma = StatusLine.format(try #require(study.calibratedGamma))
            #expect(text.contains("gamma=\(gamma) exp=0.1"), "\(side): \(gamma) in \(text)")
        }
    }

    /// The embedded stages' realized= are 0.08897, 0.0625, 0 and 0 at block 7: at 80 columns
    /// the short ones said `sample realized=0` beside a plain `realized=0.08897`.
    @Test("all four stages' captions say 'sample realized=' or none does, at every width")
    func realizedInOneWording() throws {
        let model = try Self.model(input: try Self.embedded())
        var both = Set<Int>()
        for width in stride(from: 40, through: 200, by: 2) {
            let text = FrameRenderer(tier: .ascii).render(model, width: width, height: 40).plainText
            let said = text.components(separatedBy: "sample realized=").count - 1
            #expect(said == 0 || said == 4, "\(width): \(said) of 4 panels say sample")
            both.insert(said)
            // The expected= line too (verification round: `expected=0.09` beside `exp=0.0843`),
            // counted above the status lines, which say expected= themselves.
            let probe = PanelProbe(model, width: width, height: 40)
            guard !probe.layout.isTooSmall else { continue }
            let panels = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(probe.layout.messageRow).joined(separator: "\n")
            let long = panels.components(separatedBy: "expected=").count - 1, short = panels.components(separatedBy: "exp=").count - 1
            #expect((long == 4 && short == 0) || (long == 0 && short == 4), "\(width): \(long) expected= and \(short) exp=")
        }
        #expect(both == [0, 4], "wide terminals say it, narrow ones do not")
    }

    @Test("every stage's title on screen is in the same wording, at every width; a warning never shows a cut number", arguments: [Preset.timm, .torchvision])
    func titlesInOneWording(preset: Preset) throws {
        let model = try Self.model(preset: preset, input: try Self.embedded())
        var checked = 0
        for width in stride(from: 40, through: 240, by: 4) {
            let probe = PanelProbe(model, width: width, height: 40)
            guard !probe.layout.isTooSmall else { continue }
            let panels = StagesScreen().panels(model, layout: probe.layout)
            // Which of the five forms (name size % dropped, name size %, size %, name %, %) each title shows.
            let forms = panels.compactMap { panel -> Int? in
                guard let rect = probe.layout.panels[panel.id], let shown = panel.title.fitted(to: probe.layout.titleWidth(rect)) else { return nil }
                let words = shown.split(separator: " ")
                let hasName = words.first.map { $0.hasPrefix("conv") } ?? false, hasSize = words.contains { $0.contains("x") && $0.first?.isNumber == true }
                return shown.hasSuffix("dropped") ? 0 : hasName && hasSize ? 1 : hasSize ? 2 : hasName ? 3 : 4
            }
            #expect(Set(forms).count <= 1, "\(preset) at \(width): titles in forms \(forms)")
            // The edge-clipping warning (7x7 at block 7) keeps its numbers whole or drops them.
            for panel in panels {
                guard let rect = probe.layout.panels[panel.id] else { continue }
                let inner = probe.layout.inner(rect).width
                for line in panel.caption.compactMap({ $0.fitted(to: inner) }) where line.contains("%") {
                    #expect(line.split(separator: " ").allSatisfy { !$0.contains("%") || $0.hasSuffix("%") || $0.hasSuffix("%,") || $0.hasSuffix("/seed,") },
                            "\(preset) at \(width): \(line)")
                }
            }
            checked += forms.count
        }
        #expect(checked > 100)
    }

    /// `expected=` is the number `dropblock stats` prints, and the closed form with the preset's own gamma.
    @Test("each stage's expected equals the closed form and stats exactly", arguments: Preset.allCases)
    func expectedIsClosedForm(preset: Preset) throws {
        let input = try Self.embedded()
        for blockSize in 1...9 {
            for p in [0.1, 0.25] {
                var model = try Self.model(preset: preset, blockSize: 3, dropProb: p, input: input)
                var parameters = model.parameters
                parameters.blockSize = blockSize
                guard (try? VizModel.validate(parameters, input: input)) != nil else { continue }
                while model.parameters.blockSize < blockSize { model.apply(.blockSizeUp) }
                while model.parameters.blockSize > blockSize { model.apply(.blockSizeDown) }
                guard model.parameters.blockSize == blockSize else { continue }
                for row in StagesScreen.rows(model: model) {
                    let study = DropRateStudy(preset: preset, spatial: row.spatial, blockSize: blockSize, dropProb: p, samples: 0, seed: 0)
                    guard let geometry = try? SeedGeometry(preset: preset, spatial: row.spatial, blockSize: blockSize) else {
                        #expect(row.expected == nil && study.error != nil, "\(preset) \(row.spatial) block \(blockSize)")
                        continue
                    }
                    let closed = geometry.expectedDropFraction(gamma: model.parameters.presetGamma(spatial: row.spatial))
                    #expect(row.expected == closed, "\(preset) \(row.spatial) block \(blockSize) p \(p)")
                    #expect(row.expected == study.expected, "\(preset) \(row.spatial) block \(blockSize) p \(p)")
                }
            }
        }
    }

    @Test("a block as large as the map: whole-channel dropout for torchvision, tf and kerascv (centre seed only), edge clipping with the expected fraction for dropblock and timm")
    func warnings() throws {
        let input = try Self.embedded()
        for preset in Preset.allCases {
            let model = try Self.model(preset: preset, input: input)
            let rows = StagesScreen.rows(model: model)
            #expect(rows.prefix(3).allSatisfy { $0.warning == nil }, "\(preset): only conv5_x (7x7) has block >= map")
            let warning = try #require(rows.last?.warning?.wordings.first, "\(preset)")
            switch preset {
            case .torchvision, .tf, .kerascv:
                #expect(warning.contains("whole-channel dropout (SpatialDropout)"), "\(warning)")
            case .dropblock, .timm:
                let expected = try #require(rows.last?.expected)
                #expect(warning.contains("clipped at the edges") && warning.contains(FrameRenderer.percent(expected)), "\(warning)")
            }
        }
        // timm block 7 at p = 0.1 on conv5_x: 93% expected; one seed drops from (4/7)^2 (a corner) to all of it.
        let timm = StagesScreen.rows(model: try Self.model(preset: .timm, input: input))
        #expect(abs((timm.last?.expected ?? 0) - 0.93) < 0.005)
        let geometry = try SeedGeometry(preset: .timm, spatial: [7, 7], blockSize: 7)
        let reach = StagesScreen.seedReach(geometry)
        #expect(abs(reach.least - 16.0 / 49) < 1e-12 && reach.most == 1)
    }

    @Test("a single array shows one panel and says how to get more")
    func singleArray() throws {
        let model = try Self.model(blockSize: 3, input: Fixtures.smallInput())
        #expect(StagesScreen.rows(model: model).count == 1)
        let frame = FrameRenderer(tier: .ascii).render(model, width: 160, height: 40)
        #expect(frame.row(1).contains("one array") && frame.row(1).contains("a file of several layers (.npz, .safetensors) shows them as stages"), "\(frame.row(1))")
        #expect(PanelProbe(model, width: 160, height: 40).layout.panels.count == 1)
    }

    @Test("every stage's title keeps its dropped percentage at every width it has a title: the map size goes first")
    func titlesKeepPercent() throws {
        let model = try Self.model(input: Self.embedded())
        var titled = 0
        for width in stride(from: 40, through: 200, by: 2) {
            for height in [24, 30, 40] {
                let probe = PanelProbe(model, width: width, height: height)
                guard !probe.layout.isTooSmall else { continue }
                for index in 0..<4 {
                    guard let title = probe.title(StagesScreen.id(index)), !title.isEmpty else { continue }
                    #expect(PanelProbe.percent(in: title) != nil, "\(width)x\(height): stage \(index) titled \(title)")
                    titled += 1
                }
            }
        }
        #expect(titled > 600)
    }

    @Test("b or Esc leaves; + changes the block inside; fits 80x24 to 200x60 in every tier",
          arguments: [(80, 24), (120, 40), (200, 60)])
    func keysAndFit(size: (Int, Int)) throws {
        var model = try Self.model(input: Self.embedded())
        model.apply(.blockSizeUp)
        #expect(model.activeScreen.kind == .stages && model.parameters.blockSize == 8)
        for tier in ColorTier.allCases {
            let probe = PanelProbe(model, width: size.0, height: size.1, tier: tier)
            #expect(probe.layout.panels.count == 4)
            for rect in probe.layout.panels.values {
                #expect(rect.x >= 0 && rect.x + rect.width <= size.0 && rect.y >= 2 && rect.y + rect.height <= probe.layout.messageRow)
            }
            #expect(probe.frame.plainText.contains("expected="), "\(size) \(tier)")
        }
        model.apply(.toggleStages)
        #expect(model.activeScreen.kind == .main)
        model.apply(.toggleStages)
        model.apply(.back)
        #expect(model.activeScreen.kind == .main)
    }
}

@Suite("Stages from a file's layers")
struct FileStagesTests {
    @Test("layers with other channel counts are stages too; a layer with fewer channels shows its last, named in the title; every share names its channel")
    func layersWithOwnChannels() throws {
        let wide = try Tensor(shape: [1, 4, 16, 16], storage: (0..<1024).map { Float($0 % 9) })
        let narrow = try Tensor(shape: [1, 2, 8, 8], storage: (0..<128).map { Float($0 % 5) })
        let otherBatch = try Tensor(shape: [2, 2, 8, 8], storage: [Float](repeating: 1, count: 256))
        var input = try VizInput(name: "layers:wide", tensor: wide)
        input.stages = [VizStage(name: "wide", tensor: wide), VizStage(name: "narrow", tensor: narrow), VizStage(name: "batch2", tensor: otherBatch)]
        #expect(input.stages.map(\.name) == ["wide", "narrow"], "same samples and rank, any channel count")
        var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3), channel: 3)
        model.apply(.toggleStages, screen: ScreenSize(width: 120, height: 40))
        let text = FrameRenderer(tier: .ascii).render(model, width: 120, height: 40).plainText
        // Every title's share names its channel (round 20: a bare `20.8%` sat above the sample's `realized=`).
        #expect(text.contains("wide 16x16 c3 ") && text.contains("narrow 8x8 c1 "), "\(text)")
        // And the caption's realized= says it is the sample's (session 14's verification).
        #expect(text.components(separatedBy: "sample realized=").count == 3, "\(text)")
        #expect(!text.contains("|realized="), "\(text)")
    }

    @Test("every stage shows the draw the main screen shows when that stage is on it, for several draws and samples")
    func stagesAreTheirMainDraws() throws {
        let first = try Tensor(shape: [2, 3, 16, 16], storage: (0..<1536).map { Float($0 % 9) })
        let second = try Tensor(shape: [2, 3, 12, 12], storage: (0..<864).map { Float($0 % 7) })
        let third = try Tensor(shape: [2, 3, 8, 8], storage: (0..<384).map { Float($0 % 5) })
        let layers = [("a", first), ("b", second), ("c", third)]
        func model(showing shown: Int, draws: Int, sample: Int) throws -> VizModel {
            var input = try VizInput(name: "layers:\(layers[shown].0)", tensor: layers[shown].1)
            input.stages = layers.map { VizStage(name: $0.0, tensor: $0.1) }
            var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3, preset: .torchvision), seed: 7)
            for _ in 0..<draws { model.apply(.newDraw) }
            for _ in 0..<sample { model.apply(.nextSample) }
            return model
        }
        for (draws, sample) in [(0, 0), (2, 1)] {
            let mains = try (0..<3).map { try #require(model(showing: $0, draws: draws, sample: sample).view.result?.keepMask) }
            for shown in 0..<3 {
                let rows = StagesScreen.rows(model: try model(showing: shown, draws: draws, sample: sample))
                for (index, row) in rows.enumerated() {
                    #expect(row.result?.keepMask == mains[index], "draw \(draws) sample \(sample): stage \(index) seen from \(shown)")
                }
            }
        }
    }

    /// Round 25: at slice 10 the titles lost the layer's name (`32x64x64 c0 slice 10 12.1%`), and
    /// a stage torchvision cannot run was titled by its size alone.
    @Test("3D titles keep the layer's name with the slice's short form; a stage that cannot run keeps its name too")
    func namesBesideSlices() throws {
        let big = try Tensor(shape: [1, 2, 32, 16, 16], storage: (0..<16384).map { Float($0 % 13) })
        let small = try Tensor(shape: [1, 2, 8, 4, 4], storage: (0..<256).map { Float($0 % 5) })
        var input = try VizInput(name: "unet:enc1", tensor: big)
        input.stages = [VizStage(name: "enc1", tensor: big), VizStage(name: "enc3", tensor: small)]
        var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.1, blockSize: 5, preset: .torchvision))
        for _ in 0..<10 { model.apply(.nextSlice) }
        model.apply(.toggleStages, screen: ScreenSize(width: 70, height: 40))
        let text = FrameRenderer(tier: .ascii).render(model, width: 70, height: 40).plainText
        #expect(text.contains("enc1 32x16x16 c0 s10/32 ") && text.contains("enc3 8x4x4 "), "\(text)")
        #expect(text.contains("cannot run at"), "\(text)")
    }
}
