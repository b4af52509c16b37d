import DropBlock
import Testing
@testable import Visualizer

/// The presets side by side (`p`): one shared draw, each column its own rules and numbers.
@Suite("Presets side by side")
struct PresetsScreenTests {
    static func model(blockSize: Int = 3, dropProb: Double = 0.3, input: VizInput? = nil) throws -> VizModel {
        var model = try Fixtures.model(blockSize: blockSize, dropProb: dropProb, input: input)
        model.apply(.togglePresets)
        return model
    }

    @Test("each column's gamma is its preset's formula and what `stats` prints; expected too",
          arguments: [(3, 0.1), (5, 0.3), (12, 0.2), (1, 0.05)])
    func gammaAndExpected(blockSize: Int, p: Double) throws {
        let model = try Self.model(blockSize: blockSize, dropProb: p)
        let comparison = PresetComparison.compute(model: model)
        #expect(comparison.columns.map(\.preset) == Preset.allCases)
        for column in comparison.columns {
            let study = DropRateStudy(preset: column.preset, spatial: model.input.spatial, blockSize: blockSize, dropProb: p, samples: 0, seed: 0)
            guard let result = column.result, let plan = column.plan else {
                #expect(study.error != nil && column.error != nil, "\(column.preset) did not run: \(column.error ?? "")")
                continue
            }
            var parameters = model.parameters
            parameters.preset = column.preset
            #expect(result.gamma == parameters.presetGamma(spatial: model.input.spatial), "\(column.preset)")
            #expect(result.gamma == study.gamma, "\(column.preset): stats gamma \(study.gamma ?? -1)")
            #expect(plan.expectedDropFraction == study.expected, "\(column.preset): stats expected \(study.expected ?? -1)")
        }
    }

    @Test("the header says the columns are not the status line's draw, at every width from 60 to 200, 2D and 3D",
          arguments: [60, 80, 100, 120, 200])
    func headerDisclaimsStatusLine(width: Int) throws {
        let wide = try Self.model(blockSize: 12, dropProb: 0.125, input: try Fixtures.smallInput(height: 30, width: 30, channels: 16))
        var deep = try VizModel(input: SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 5), seed: 1)
        deep.apply(.togglePresets)
        for model in [try Self.model(), wide, deep] {
            let header = FrameRenderer(tier: .ascii).render(model, width: width, height: 30).row(1)
            #expect(header.contains("not the status line's"), "\(width): \(header)")
        }
    }

    @Test("every column's seeds title keeps its n= count: titles drop words and letters, never the number",
          arguments: [(80, 24), (100, 30), (120, 40), (200, 60)])
    func seedCountsStay(width: Int, height: Int) throws {
        for preset in [Preset.dropblock, .torchvision] {
            var model = try Fixtures.model(preset: preset, dropProb: 0.3)
            model.apply(.togglePresets)
            let probe = PanelProbe(model, width: width, height: height, tier: .ascii)
            for column in Preset.allCases {
                let title = try #require(probe.title(PresetsScreen.seedsID(column)), "\(column)")
                #expect(title.contains("n="), "\(width)x\(height) current \(preset): \(column) title \(title)")
            }
        }
    }

    @Test("the seeds titles read in one form across the row at every width: all say `seeds` or none does, all name or none does")
    func seedTitlesAlike() throws {
        for preset in [Preset.dropblock, .torchvision] {
            var model = try Fixtures.model(preset: preset, dropProb: 0.3)
            model.apply(.togglePresets)
            var forms = Set<String>()
            for width in stride(from: 40, through: 240, by: 2) {
                let probe = PanelProbe(model, width: width, height: 40, tier: .ascii)
                let titles = try Preset.allCases.map { try #require(probe.title(PresetsScreen.seedsID($0)), "\(width): \($0)") }
                let seeds = Set(titles.map { $0.contains(" seeds ") }), named = Set(titles.map { !$0.hasPrefix("n=") })
                #expect(seeds.count == 1 && named.count == 1, "\(width), current \(preset): \(titles)")
                // Down to a two-letter code; bare counts only under a header that names the columns.
                let header = FrameRenderer(tier: .ascii).render(model, width: width, height: 40).row(1)
                #expect(named == [true] || header.contains("db tv ti tf kc"), "\(width): \(titles) under \(header) names no preset")
                // A name is cut only where its own whole form does not fit.
                for (column, title) in zip(Preset.allCases, titles) where title.contains(". n=") {
                    let whole = "\(column.rawValue) \(title.split(separator: " ").last ?? "")"
                    let panel = try #require(probe.layout.panels[PresetsScreen.seedsID(column)])
                    #expect(whole.count > probe.layout.titleWidth(panel), "\(width): \(title) cut though \(whole) fits")
                }
                forms.insert("\(seeds) \(named)")
            }
            // The widths reach both the word `seeds` and the bare names.
            #expect(forms.count >= 2, "\(forms)")
        }
    }

    @Test("m on the 3D demo names the skipped presets once with their shared reason, whole at 120 columns")
    func skippedMessageFits() throws {
        var volume = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 5), seed: 3)
        volume.apply(.nextPreset)
        volume.apply(.nextPreset)
        let message = try #require(volume.message)
        #expect(message == "skipped timm, tf, kerascv (supports 2D input only, not 3D)", "\(message)")
        let frame = FrameRenderer(tier: .ascii).render(volume, width: 120, height: 40)
        #expect((0..<40).contains { frame.row($0).hasPrefix(message) })
    }

    @Test("with c every column shows its calibrated gamma, and the expectations agree on p")
    func calibrated() throws {
        var model = try Self.model(blockSize: 5, dropProb: 0.2)
        model.apply(.toggleCalibrated)
        for column in PresetComparison.compute(model: model).columns {
            let plan = try #require(column.plan, "\(column.preset)")
            let calibration = try #require(plan.calibration)
            #expect(column.result?.gamma == calibration.gamma)
            #expect(abs(plan.expectedDropFraction - 0.2) < 1e-9, "\(column.preset): \(plan.expectedDropFraction)")
        }
    }

    /// The seeds each column shows are exactly where its own rule holds on the one shared u,
    /// inside its own seed region: the same u at the same position in every column.
    @Test("one shared uniform draw: every column seeds where its rule holds on the same u", arguments: [3, 4, 7])
    func sharedDraw(blockSize: Int) throws {
        var model = try Self.model(blockSize: blockSize, dropProb: 0.6)
        model.apply(.nextChannel)
        let field = PresetComparison.uniformField(model: model)
        let (h, w) = (model.input.height, model.input.width)
        var seedSets: [Preset: Set<Int>] = [:]
        for column in PresetComparison.compute(model: model).columns {
            guard let result = column.result, let geometry = column.plan?.geometry, let seeds = result.seedMask else { continue }
            let selection = MapSelection(shape: seeds.shape, channel: model.channel, slice: 0)
            let shown = Set((0..<(h * w)).filter { seeds.storage[selection.plane.lowerBound + $0] > 0 })
            var expected: Set<Int> = []
            let gamma = Float(result.gamma)
            for y in geometry.seedRegion[0] {
                for x in geometry.seedRegion[1] {
                    let u = field[model.channel * h * w + y * w + x]
                    let seed = [.tf, .kerascv].contains(column.preset) ? Float(1 - result.gamma) + u < 1 : u < gamma
                    if seed { expected.insert(y * w + x) }
                }
            }
            #expect(!expected.isEmpty, "\(column.preset): no seeds, the check proves nothing")
            #expect(shown == expected, "\(column.preset) block \(blockSize)")
            seedSets[column.preset] = shown
        }
        // dropblock and timm allow every position and share gamma's order: the smaller gamma's seeds are a subset.
        if let a = seedSets[.dropblock], let b = seedSets[.timm] { #expect(a.isSubset(of: b) || b.isSubset(of: a)) }
    }

    @Test("each mask title is its own column's dropped fraction of the channel", arguments: [0, 1, 2])
    func maskTitles(channel: Int) throws {
        var model = try Self.model(blockSize: 3, dropProb: 0.5)
        for _ in 0..<channel { model.apply(.nextChannel) }
        let probe = PanelProbe(model, width: 160, height: 50)
        for column in PresetComparison.compute(model: model).columns {
            let mask = try #require(column.result?.keepMask)
            let selection = MapSelection(shape: mask.shape, channel: model.channel, slice: 0)
            let own = Double(mask.storage[selection.plane].filter { $0 == 0 }.count) / Double(selection.planeCount)
            let title = try #require(probe.title(PresetsScreen.maskID(column.preset)))
            let shown = try #require(PanelProbe.percent(in: title))
            #expect(abs(shown - own) <= 0.0005 + 1e-12, "\(column.preset): \(title) vs \(own)")
        }
    }

    /// Round 24: at 40x20, `11.6%` did not fit a six-cell column and three of five mask titles
    /// showed no share at all, beside two that did.
    @Test("at 40 and 46 columns every mask title keeps its share, whole percent where a tenth does not fit", arguments: [40, 46])
    func narrowMaskTitles(width: Int) throws {
        var model = try Fixtures.model()
        model.apply(.togglePresets)
        let probe = PanelProbe(model, width: width, height: 20, tier: .ascii)
        var rounded = 0
        for column in PresetComparison.compute(model: model).columns {
            let mask = try #require(column.result?.keepMask)
            let selection = MapSelection(shape: mask.shape, channel: model.channel, slice: 0)
            let own = Double(mask.storage[selection.plane].filter { $0 == 0 }.count) / Double(selection.planeCount)
            let title = try #require(probe.title(PresetsScreen.maskID(column.preset)), "\(column.preset) at \(width)")
            let shown = try #require(PanelProbe.percent(in: title), "\(column.preset) at \(width): '\(title)' has no share")
            let whole = !title.contains(".")
            if whole { rounded += 1 }
            #expect(abs(shown - own) <= (whole ? 0.005 : 0.0005) + 1e-12, "\(column.preset): \(title) vs \(own)")
        }
        #expect(width > 40 || rounded > 0, "40 columns needs the whole-percent wording somewhere")
    }

    /// Round 25: in 3D a column said `n=6` over a panel that also drew 12 seeds of other slices,
    /// which the main screen counts as `+12`.
    @Test("in 3D each seeds title counts the other slices' seeds whose blocks reach the shown slice, as +k")
    func otherSliceSeeds() throws {
        let volume = try Tensor(shape: [1, 2, 16, 16, 16], storage: (0..<8192).map { Float($0 % 13) })
        var model = try Self.model(blockSize: 5, dropProb: 0.3, input: try VizInput(name: "v", tensor: volume))
        for _ in 0..<8 { model.apply(.nextSlice) }
        let probe = PanelProbe(model, width: 160, height: 50, tier: .ascii)
        var withOthers = 0
        for column in PresetComparison.compute(model: model).columns {
            guard let result = column.result, let seeds = result.seedMask, let geometry = column.plan?.geometry,
                  let reach = VizView.depthReach(geometry: geometry, slice: model.slice) else { continue }
            // Seeds of channel 0 in the slices in reach, other than the shown one.
            let plane = 16 * 16, channel = seeds.shape[1] == 1 ? 0 : model.channel
            let others = reach.filter { $0 != model.slice && (0..<16).contains($0) }.reduce(0) { total, slice in
                let start = (channel * 16 + slice) * plane
                return total + seeds.storage[start..<(start + plane)].filter { $0 != 0 }.count
            }
            let title = try #require(probe.title(PresetsScreen.seedsID(column.preset)))
            #expect(others == 0 ? !title.contains("+") : title.hasSuffix("+\(others)"), "\(column.preset): '\(title)', \(others) in other slices")
            if others > 0 { withOthers += 1 }
        }
        #expect(withOthers > 0, "some column has seeds in other slices")
    }

    @Test("a whole percentage never reads 0% or 100% for a share that is not")
    func roughPercent() {
        #expect(FrameRenderer.roughPercent(0) == "0%" && FrameRenderer.roughPercent(1) == "100%")
        #expect(FrameRenderer.roughPercent(0.001) == "<1%" && FrameRenderer.roughPercent(0.996) == ">99%")
        #expect(FrameRenderer.roughPercent(0.125) == "13%" && FrameRenderer.roughPercent(0.116) == "12%" && FrameRenderer.roughPercent(0.005) == "1%")
    }

    @Test("a preset that cannot run keeps its column and says why")
    func cannotRun() throws {
        let wide = try Self.model(input: Fixtures.smallInput(height: 8, width: 12))
        let text = FrameRenderer(tier: .ascii).render(wide, width: 120, height: 40).plainText
        #expect(text.contains("cannot run:"))
        #expect(text.contains("square"), "tf on a non-square map says why:\n\(text)")
        var volume = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 5), seed: 3)
        volume.apply(.togglePresets)
        let columns = PresetComparison.compute(model: volume).columns
        #expect(columns.filter { $0.error != nil }.map(\.preset) == [.timm, .tf, .kerascv])
        #expect(columns.first { $0.preset == .timm }?.error?.contains("3D") == true || columns.first { $0.preset == .timm }?.error?.contains("rank") == true)
    }

    @Test("p or Esc leaves; + changes the block inside; fits 80x24 to 200x60 in every tier",
          arguments: [(80, 24), (120, 40), (200, 60)])
    func keysAndFit(size: (Int, Int)) throws {
        var model = try Self.model()
        model.apply(.blockSizeUp)
        #expect(model.activeScreen.kind == .presets && model.parameters.blockSize == 4)
        for tier in ColorTier.allCases {
            let probe = PanelProbe(model, width: size.0, height: size.1, tier: tier)
            #expect(probe.layout.panels.count == 2 * Preset.allCases.count)
            for rect in probe.layout.panels.values {
                #expect(rect.x >= 0 && rect.x + rect.width <= size.0 && rect.y >= 2 && rect.y + rect.height <= probe.layout.messageRow)
            }
            #expect(probe.frame.plainText.contains("expected="), "\(size) \(tier)")
        }
        model.apply(.togglePresets)
        #expect(model.activeScreen.kind == .main)
        model.apply(.togglePresets)
        model.apply(.back)
        #expect(model.activeScreen.kind == .main)
    }
}
