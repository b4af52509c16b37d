import DropBlock
import Testing
@testable import Visualizer

/// The walk-through (`t`): captions whose numbers are the status line's.
@Suite("Walk-through")
struct WalkScreenTests {
    static func status(_ model: VizModel, _ key: String) -> String? {
        StatusLine.fields(model: model).first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    /// Step `step`'s caption as one line of text, as shown: a no-break space reads as a space.
    static func text(step: Int, _ model: VizModel) -> String {
        String(WalkScreen.caption(step: step, model: model).joined(separator: " ").map { $0 == "\u{00A0}" ? " " : $0 })
    }

    /// The number after `prefix` in `text` (up to a space, comma or closing parenthesis).
    static func number(after prefix: String, in text: String) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        let rest = text[range.upperBound...]
        let value = rest.prefix { !" ,):".contains($0) }
        return String(value.hasSuffix(".") ? value.dropLast() : value)
    }

    @Test("the caption numbers equal the status values", arguments: Preset.allCases, [false, true])
    func numbersMatchStatus(preset: Preset, calibrated: Bool) throws {
        var model = try Fixtures.model(preset: preset, blockSize: 5, dropProb: 0.3)
        if calibrated { model.apply(.toggleCalibrated) }
        model.apply(.walkNext)
        let gamma = try #require(Self.status(model, "gamma")), expected = try #require(Self.status(model, "expected"))
        let gammaStep = Self.text(step: 2, model)
        if calibrated {
            #expect(Self.number(after: "calibrated (c on): gamma=", in: gammaStep) == gamma, "\(gammaStep)")
            // The expected drop at the calibrated gamma is p, which the status line says too.
            #expect(gammaStep.contains("makes expected = p.") && expected == StatusLine.format(0.3), "\(gammaStep)")
        } else {
            // The formula's result and the expectation are the status line's gamma= and expected=.
            // dropblock's formula carries the paper's note after its value (round 24).
            let note = preset.rules.gammaOmitsSeedPositionShare ? " (a simplification of the paper's Eq. 1, preset tf)" : ""
            #expect(gammaStep.contains("= \(gamma)\(note) expected"), "\(gammaStep)")
            #expect(Self.number(after: "expected = 1 - mean_j (1-gamma)^c(j) = ", in: gammaStep) == expected, "\(gammaStep)")
        }
        let seeds = Self.text(step: 3, model)
        #expect(Self.number(after: "gamma=", in: seeds) == gamma)
        #expect(Self.number(after: "realized=", in: seeds) == Self.status(model, "realized"))
        let rescale = WalkScreen.caption(step: 4, model: model)[0]
        #expect(rescale.hasSuffix("= \(try #require(Self.status(model, "scale"))).") || rescale.contains("= \(Self.status(model, "scale") ?? "?").\n"),
                "\(rescale)")
    }

    /// In eval mode, and at p = 0, the status line says gamma=0 expected=0 (the identity); the
    /// gamma step gave training's numbers as if they were the draw's, and for keras-cv with a
    /// block one larger than the map at p = 0, `gamma = -nan` and `expected = 1`.
    @Test("the identity's gamma step says gamma=0 and expected=0, as the status line does; training's numbers are named as such",
          arguments: Preset.allCases)
    func identity(preset: Preset) throws {
        var eval = try Fixtures.model(preset: preset, blockSize: 5, dropProb: 0.3)
        eval.apply(.toggleTraining)
        eval.apply(.walkNext)
        #expect(Self.status(eval, "gamma") == "0" && Self.status(eval, "expected") == "0")
        let evalStep = Self.text(step: 2, eval)
        // Session 15: "in training," led three lines; it is said once, over training's lines.
        let lines = WalkScreen.caption(step: 2, model: eval)
        #expect(lines.first?.hasSuffix("mode=eval: the identity now (gamma=0, expected=0). In training:") == true, "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("gamma = ") == true && lines.dropFirst(2).first?.hasPrefix("expected = ") == true, "\(lines)")
        #expect(!evalStep.contains("in training,"), "\(evalStep)")
        // Round 21: "the seed probability mode=eval: ..." ran two sentences together, and the
        // calibration line offered `c` as if it changed the eval screen.
        #expect(evalStep.contains("the seed probability. mode=eval: "), "\(evalStep)")
        #expect(!evalStep.contains("calibrated") || evalStep.contains("In training: ")
                && lines.last.map { $0.hasPrefix("calibrated gamma = ") || $0.hasPrefix("no gamma reaches p") } == true, "\(evalStep)")
        // Round 21: the region step named rows and columns the (empty) seeds panel did not show.
        let evalRegion = Self.text(step: 1, eval)
        #expect(evalRegion.contains("mode=eval: the identity now, so the seeds panel shows none. In training: rows "), "\(evalRegion)")
        // Round 20: the seeds step said "a seed with probability gamma=0: n=0 this draw" as if one was drawn.
        let evalSeeds = Self.text(step: 3, eval)
        #expect(evalSeeds.contains("mode=eval: the identity now, so no seeds are drawn and nothing drops"), "\(evalSeeds)")
        #expect(!evalSeeds.contains("this draw") && !evalSeeds.contains("gamma=0"), "\(evalSeeds)")
        let evalRescale = Self.text(step: 4, eval)
        #expect(evalRescale.contains("mode=eval: the identity now: output = input, scale=1."), "\(evalRescale)")

        let input = try Fixtures.smallInput(height: 7, width: 7)
        var zero = try Fixtures.model(preset: preset, blockSize: 9, dropProb: 0, input: input)
        zero.apply(.walkNext)
        #expect(Self.status(zero, "gamma") == "0" && Self.status(zero, "expected") == "0")
        let zeroStep = Self.text(step: 2, zero)
        #expect(zeroStep.contains("At p = 0 the layer is the identity") && zeroStep.contains("gamma=0, expected=0."), "\(zeroStep)")
        #expect(!zeroStep.contains("nan"), "\(zeroStep)")
    }

    @Test("in seed mode the seeds step says the seeds were placed by hand")
    func handPlaced() throws {
        var model = try Fixtures.model()
        model.apply(.toggleSeedMode)
        model.apply(.newDraw)
        let seeds = Self.text(step: 3, model)
        #expect(seeds.contains("Seeds placed by hand (seed mode, i): n=1 in c0."), "\(seeds)")
        #expect(!seeds.contains("probability"), "\(seeds)")
    }

    @Test("each step lights its panels and dims the rest; t advances, T goes back, t after the last step or Esc leaves")
    func stepsAndKeys() throws {
        var model = try Fixtures.model()
        model.apply(.walkNext)
        let lit: [PanelID] = [.input, .seeds, .seeds, .keepMask, .output]
        for step in 0..<WalkScreen.stepCount {
            let probe = PanelProbe(model, width: 120, height: 40, tier: .truecolor)
            let rect = try #require(probe.layout.panels[lit[step]])
            #expect(probe.frame[rect.x + 2, rect.y].attributes.contains(.reverse), "step \(step + 1): \(lit[step]) title lit")
            let other = try #require(probe.layout.panels[step == 0 ? .output : .input])
            // In truecolor a dimmed panel's pixel pairs are darkened in both halves (terminals dim the foreground only).
            let pair = probe.frame[other.x + 1, other.y + 1]
            #expect(pair.bg != nil && !pair.attributes.contains(.dim), "step \(step + 1): other panels dimmed by colour")
            let ascii = PanelProbe(model, width: 120, height: 40)
            #expect(ascii.frame[other.x + 1, other.y + 1].attributes.contains(.dim), "step \(step + 1): other panels dimmed")
            #expect(probe.frame.row(1).hasPrefix("\(step + 1)/5"))
            if step + 1 < WalkScreen.stepCount { model.apply(.walkNext) }
        }
        model.apply(.walkBack)
        #expect(FrameRenderer(tier: .ascii).render(model, width: 120, height: 40).row(1).hasPrefix("4/5"))
        model.apply(.blockSizeUp)
        #expect(model.activeScreen.kind == .walk && model.parameters.blockSize == 4)
        model.apply(.walkNext)
        model.apply(.walkNext)
        #expect(model.activeScreen.kind == .main, "t after the last step leaves")
        model.apply(.walkNext)
        model.apply(.back)
        #expect(model.activeScreen.kind == .main)
        model.apply(.walkBack)
        #expect(model.message?.contains("press t") == true)
    }

    @Test("the walk-through fits 80x24 to 200x60", arguments: [(80, 24), (120, 40), (200, 60)])
    func fits(size: (Int, Int)) throws {
        var model = try Fixtures.model()
        model.apply(.walkNext)
        for step in 0..<WalkScreen.stepCount {
            let probe = PanelProbe(model, width: size.0, height: size.1)
            #expect(probe.layout.panels.count == 4, "\(size) step \(step + 1)")
            #expect(probe.layout.panels.values.allSatisfy { $0.y >= 1 + 5 && $0.y + $0.height <= probe.layout.messageRow })
            model.apply(.walkNext)
        }
    }
}

@Suite("Walk-through in every colour tier")
struct WalkScreenTierTests {
    @Test("every step renders in every tier from 80x24 to 200x60, its caption on screen, its lit titles bold", arguments: ColorTier.allCases)
    func everyTier(tier: ColorTier) throws {
        var model = try Fixtures.model(preset: .torchvision, blockSize: 3, dropProb: 0.3)
        model.apply(.walkNext)
        for step in 0..<WalkScreen.stepCount {
            for (width, height) in [(80, 24), (120, 40), (200, 60)] {
                let frame = FrameRenderer(tier: tier).render(model, width: width, height: height)
                #expect(frame.width == width && frame.height == height)
                let caption = frame.plainText.split(separator: "\n").contains {
                    $0.hasPrefix("\(step + 1)/\(WalkScreen.stepCount)") || $0.hasPrefix("step \(step + 1)/\(WalkScreen.stepCount)")
                }
                #expect(caption, "\(tier) \(width)x\(height) step \(step)")
                #expect(frame.cells.contains { $0.attributes.contains(.bold) }, "\(tier): the step's panels are lit")
                if tier.usesColor { #expect(frame.cells.contains { $0.fg != nil }, "\(tier): colour cells") }
            }
            if step + 1 < WalkScreen.stepCount { model.apply(.walkNext) }
        }
    }

    @Test("a narrow terminal gets more caption rows: every word of every step's caption is on screen at 50 and 60 columns",
          arguments: Preset.allCases, [false, true])
    func narrowCaptionsWhole(preset: Preset, calibrated: Bool) throws {
        var model = try Fixtures.model(preset: preset, blockSize: 3, dropProb: 0.3, input: Fixtures.smallInput(height: 28, width: 28))
        if calibrated { model.apply(.toggleCalibrated) }
        model.apply(.walkNext)
        for step in 0..<WalkScreen.stepCount {
            for width in [50, 60] {
                let frame = FrameRenderer(tier: .ascii).render(model, width: width, height: 30)
                let shown = frame.plainText.split(separator: "\n").prefix(1 + WalkScreen.maximumCaptionRows).joined(separator: " ")
                let words = WalkScreenTests.text(step: step, model).split(separator: " ")
                let missing = words.filter { !shown.contains($0) }
                #expect(missing.isEmpty, "\(preset) step \(step) at \(width)\(calibrated ? ", calibrated" : ""): missing \(missing)")
            }
            if step + 1 < WalkScreen.stepCount { model.apply(.walkNext) }
        }
    }

    /// Round 24: a teacher on the default preset would have taught PyPI's `p / bs^2` and its
    /// seeds-anywhere region as the paper's.
    @Test("the walk-through names the library it follows, and where it is not the paper's, says the paper's is tf's", arguments: Preset.allCases)
    func namesThePaper(preset: Preset) throws {
        let model = try Fixtures.model(preset: preset, blockSize: 7, dropProb: 0.1, input: Fixtures.smallInput(height: 28, width: 28))
        let first = WalkScreenTests.text(step: 0, model), region = WalkScreenTests.text(step: 1, model), gamma = WalkScreenTests.text(step: 2, model)
        #expect(first.contains("The steps follow \(preset.rules.library)"), "\(first)")
        if preset == .tf {
            #expect(first.contains("the paper's authors' code: its gamma is the paper's Eq. 1."), "\(first)")
            #expect(!region.contains("The paper") && !gamma.contains("paper"), "\(region) \(gamma)")
        } else {
            #expect(first.contains("(preset \(preset.rawValue)); the paper's authors' code is preset tf (m)."), "\(first)")
            // Seeds anywhere (dropblock, timm) is not the paper's region; p / bs^2 (dropblock) not its Eq. 1.
            let anywhere = [Preset.dropblock, .timm].contains(preset)
            #expect(region.contains("The paper seeds only where a whole block fits (preset tf).") == anywhere, "\(region)")
            #expect(gamma.contains("(a simplification of the paper's Eq. 1, preset tf)") == (preset == .dropblock), "\(gamma)")
        }
    }

    /// Round 24: tf's step 5 read `1 / (11585 / 12544)` beside a lit panel of 735 of 784 kept,
    /// without saying that the counts were the sample's 16 channels.
    @Test("the rescale step says what numel and kept count, and the lit channel's own count", arguments: Preset.allCases)
    func rescaleCounts(preset: Preset) throws {
        var model = try Fixtures.model(preset: preset, blockSize: 3, dropProb: 0.3)
        model.apply(.nextChannel)
        let result = try #require(model.view.result)
        let lines = WalkScreen.caption(step: 4, model: model)
        let mask = result.keepMask
        if mask.shape[1] > 1 {
            let selection = MapSelection(shape: mask.shape, channel: model.channel, slice: 0)
            let own = mask.storage[selection.plane].filter { $0 != 0 }.count
            #expect(lines[1].hasPrefix("numel and kept count all \(mask.shape[1]) channels' masks (each draws its own): c1 alone keeps \(own) of \(selection.planeCount)."),
                    "\(preset): \(lines)")
        } else {
            #expect(lines[1].hasPrefix("numel and kept count the one mask every channel shares."), "\(preset): \(lines)")
        }
        // One sample on screen, where the reference counts the batch (verification round).
        let batch = model.input.batch
        #expect(batch > 1 && lines[1].hasSuffix(" This sample alone: the reference, and dropblock apply, count all \(batch) samples."), "\(lines)")
        #expect(lines[2].contains("so that mask x scale averages 1") && !lines[2].contains("on average over draws"), "\(lines)")
        // In eval mode with calibration on, the calibration line said "(on (c): gamma=0)".
        var eval = model
        eval.apply(.toggleCalibrated)
        eval.apply(.toggleTraining)
        let gamma = WalkScreenTests.text(step: 2, eval)
        #expect(!gamma.contains("gamma=0)") && (gamma.contains("(on (c)).") || gamma.contains("(calibrated on (c))")), "\(preset): \(gamma)")
    }

    /// Round 21's verification: at 120 columns "not p =" ended one line and "0.1" began the next.
    @Test("the gamma step keeps 'p = value' on one line at every width", arguments: Preset.allCases)
    func noBreakInsideP(preset: Preset) throws {
        var model = try Fixtures.model(preset: preset, blockSize: 7, dropProb: 0.1, input: Fixtures.smallInput(height: 28, width: 28))
        model.apply(.walkNext)
        model.apply(.walkNext)
        var screen = WalkScreen()
        screen.step = 2
        var compared = 0
        for width in 30...140 {
            let lines = screen.wrapped(model, width: width)
            #expect(!lines.contains { $0.hasSuffix("not p") || $0.hasSuffix("not p =") || $0.hasPrefix("= 0.1:") || $0.hasPrefix("0.1:") }, "\(preset) at \(width): \(lines)")
            #expect(!lines.joined().contains("\u{00A0}"), "\(preset) at \(width): a no-break space reached the screen")
            if lines.contains(where: { $0.contains("p = 0.1:") }) { compared += 1 }
        }
        #expect(compared == 111, "\(preset): 'p = 0.1:' on one line at \(compared) of 111 widths")
    }

    /// The gamma step's line about the expected drop.
    static func expectedLine(_ model: VizModel) -> String {
        WalkScreenTests.text(step: 2, model)
    }

    @Test("the calibrated gamma offered is the one c applies and stats prints, kerascv's infinite gamma included", arguments: Preset.allCases)
    func calibratedPreviewIsApplied(preset: Preset) throws {
        var checked = 0
        for (height, width, blockSize) in [(7, 7, 8), (7, 11, 8), (12, 12, 5), (12, 12, 3)] {
            let input = try Fixtures.smallInput(height: height, width: width)
            // tf refuses non-square maps and torchvision even blocks: nothing to preview there.
            guard var model = try? Fixtures.model(preset: preset, blockSize: blockSize, dropProb: 0.1, input: input) else { continue }
            let offered = try #require(WalkScreenTests.number(after: "calibrated gamma = ", in: Self.expectedLine(model)), "\(Self.expectedLine(model))")
            let study = DropRateStudy(preset: preset, spatial: [height, width], blockSize: blockSize, dropProb: 0.1, samples: 0, seed: 0)
            #expect(offered == StatusLine.format(try #require(study.calibratedGamma)), "\(preset) \(height)x\(width) block \(blockSize)")
            model.apply(.toggleCalibrated)
            #expect(offered == WalkScreenTests.status(model, "gamma"), "\(preset) \(height)x\(width) block \(blockSize): c applies what was offered")
            checked += 1
        }
        #expect(checked >= 2)
    }

    @Test("kerascv's calibrated gamma at an infinite preset gamma: 0.1 on 7x7 and 0.0102 on 7x11 at block 8")
    func kerascvInfiniteGammaCalibration() throws {
        let square = try Fixtures.model(preset: .kerascv, blockSize: 8, dropProb: 0.1, input: try Fixtures.smallInput(height: 7, width: 7))
        #expect(Self.expectedLine(square).contains("calibrated gamma = 0.1 makes"), "\(Self.expectedLine(square))")
        let wide = try Fixtures.model(preset: .kerascv, blockSize: 8, dropProb: 0.1, input: try Fixtures.smallInput(height: 7, width: 11))
        #expect(Self.expectedLine(wide).contains("calibrated gamma = 0.0102 makes"), "\(Self.expectedLine(wide))")
    }

    @Test("with calibration on, the gamma step leads with the gamma the panels use, then the preset's own formula", arguments: Preset.allCases)
    func calibratedStepLeadsWithItsGamma(preset: Preset) throws {
        var checked = 0
        for (height, width, blockSize) in [(7, 7, 8), (7, 11, 8), (12, 12, 5), (12, 12, 3), (7, 11, 9)] {
            let input = try Fixtures.smallInput(height: height, width: width)
            guard var model = try? Fixtures.model(preset: preset, blockSize: blockSize, dropProb: 0.1, input: input) else { continue }
            model.apply(.toggleCalibrated)
            let lines = WalkScreen.caption(step: 2, model: model)
            let what = "\(preset) \(height)x\(width) block \(blockSize): \(lines)"
            #expect(lines[0].contains("the seed probability, calibrated (c on): "), "\(what)")
            #expect(WalkScreenTests.number(after: "gamma=", in: lines[0]) == WalkScreenTests.status(model, "gamma"), "\(what)")
            let formulaGamma = StatusLine.format(model.parameters.presetGamma(spatial: [height, width]))
            #expect(lines.count == 2 && lines[1].hasPrefix("Uncalibrated: gamma = ") && (lines[1].contains("= \(formulaGamma)\(preset.rules.gammaOmitsSeedPositionShare ? " (a simplification of the paper's Eq.\u{00A0}1, preset tf)" : ""); expected = ")
                        || lines[1].contains("= \(formulaGamma), where b = min(bs, ") || lines[1].contains("= \(formulaGamma), where kh = min(bs, H) = ")),
                    "\(what)")
            checked += 1
        }
        #expect(checked >= 2)
    }

    @Test("a dimmed panel's pixel pairs are darkened in both halves where any colour can be drawn, dimmed by attribute otherwise",
          arguments: [ColorTier.truecolor, .ansi256, .ansi16, .ansi8])
    func dimmedBothHalves(tier: ColorTier) throws {
        var model = try Fixtures.model()
        model.apply(.walkNext)
        // Step 1 lights the input; step 2 dims it. Same draw, same layout.
        let lit = PanelProbe(model, width: 120, height: 40, tier: tier)
        model.apply(.walkNext)
        let dim = PanelProbe(model, width: 120, height: 40, tier: tier)
        let litCells = lit.mapCells(.input).flatMap { $0 }, dimCells = dim.mapCells(.input).flatMap { $0 }
        #expect(litCells.count == dimCells.count && !litCells.isEmpty)
        let byColour = tier == .truecolor || tier == .ansi256
        for (a, b) in zip(litCells, dimCells) where a.bg != nil {
            if byColour {
                #expect(b.fg == a.fg.map(PanelPainter.dimmed) && b.bg == a.bg.map(PanelPainter.dimmed) && !b.attributes.contains(.dim), "\(tier): \(a) \(b)")
            } else {
                #expect(b.fg == a.fg && b.bg == a.bg && b.attributes.contains(.dim), "\(tier): \(a) \(b)")
            }
        }
    }

    @Test("the walk-through teaches right at the edges: a 3D slice's numbers are the slice's, a clipped block is named, a NaN rescale is said")
    func edgesOfTheWalk() throws {
        // 3D: the seeds step counts the slice's seeds and those reaching it, and says which fraction is whose.
        var volume = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 7), seed: 2)
        volume.apply(.nextSlice)
        let stats = volume.view.stats
        let seeds = WalkScreenTests.text(step: 3, volume)
        #expect(seeds.contains("n=\(stats.seeds) in slice \(volume.slice) of c0 (+\(stats.nearbySeeds) in other slices whose blocks reach it)"), "\(seeds)")
        #expect(seeds.contains("drops \(FrameRenderer.percent(stats.sliceDropped)) of this slice (\(FrameRenderer.percent(stats.channelDropped)) of the channel)"),
                "\(seeds)")
        #expect(!seeds.contains("this channel"))
        // A block larger than the map is clipped before the formula: the formula names it b.
        let square = try Fixtures.smallInput(height: 7, width: 7)
        func model(_ preset: Preset) throws -> VizModel { try Fixtures.model(preset: preset, blockSize: 9, dropProb: 0.1, input: square) }
        for preset in [Preset.torchvision, .tf] {
            let gamma = WalkScreen.caption(step: 2, model: try model(preset))
                .joined(separator: " ")
            #expect(gamma.contains(preset == .tf ? "b = min(bs, W) = 7" : "b = min(bs, H, W) = 7") && !gamma.contains("bs^2"), "\(preset): \(gamma)")
            // Round 24: inside the chain, `b = min(bs, W) = 7 = 0.1*7^2 ...` read as b = 0.1; the definition follows it.
            let value = StatusLine.format(try model(preset).parameters.presetGamma(spatial: [7, 7]))
            #expect(gamma.contains(" = \(value), where b = min(bs, "), "\(preset): \(gamma)")
            #expect(!gamma.contains("= 7 = "), "\(preset): \(gamma)")
        }
        // keras-cv's block 8 on 7x7: every unit drops, and the reference divides by zero.
        let all = try Fixtures.model(preset: .kerascv, blockSize: 8, dropProb: 0.1, input: square)
        #expect(all.view.result?.referenceReturnsNaN == true)
        let rescale = WalkScreenTests.text(step: 4, all)
        #expect(rescale.contains("the reference returns NaN here; this tool returns zeros") && !rescale.contains("grow by"), "\(rescale)")
    }

    @Test("the reason the expected drop is not p comes from the numbers and the preset's rules, and p itself is not contradicted")
    func expectedReason() throws {
        let square = try Fixtures.smallInput(height: 7, width: 7)
        func line(_ preset: Preset, _ blockSize: Int, _ input: VizInput) throws -> String {
            Self.expectedLine(try Fixtures.model(preset: preset, blockSize: blockSize, dropProb: 0.1, input: input))
        }
        // Block 8 on 7x7: keras-cv's denominator is zero.
        let infinite = try line(.kerascv, 8, square)
        #expect(infinite.contains("= 1 (c(j)") && infinite.contains("not p = 0.1: gamma = inf: every unit seeds, all drop (reference NaN, here zeros)."),
                "\(infinite)")
        // Block 9 on 7x7: (-1)*(-1) = 1, one centre seed covering the map: expected is p.
        let exact = try line(.kerascv, 9, square)
        #expect(exact.contains("= 0.1 (c(j)") && exact.contains("p itself.") && !exact.contains("not p"), "\(exact)")
        // Block 10 on 7x7: (-2)*(-2) = 4 counted, 1 real: a quarter of p.
        let quarter = try line(.kerascv, 10, square)
        #expect(quarter.contains("= 0.025 (c(j)")
                && quarter.contains("not p = 0.1: gamma counts (W-bs+1)(H-bs+1) = (-2)*(-2) = 4 positions, seeds fall at 1."),
                "\(quarter)")
        // One counted position is said in the singular.
        let one = try line(.timm, 7, square)
        #expect(one.contains("= 1 position, seeds fall at 49") && !one.contains("1 positions"), "\(one)")
        // Block 9 on 7x11: one factor negative, a negative gamma.
        let negative = try line(.kerascv, 9, try Fixtures.smallInput(height: 7, width: 11))
        #expect(negative.contains("= 0 (c(j)") && negative.contains("not p = 0.1: gamma < 0: no unit seeds, nothing drops."), "\(negative)")
        // Every case keeps its calibrated line on an 80x24 screen (five caption rows).
        for (blockSize, width) in [(8, 7), (9, 7), (10, 7), (9, 11), (8, 11)] {
            var model = try Fixtures.model(preset: .kerascv, blockSize: blockSize, dropProb: 0.1, input: try Fixtures.smallInput(height: 7, width: width))
            model.apply(.walkNext)
            model.apply(.walkNext)
            model.apply(.walkNext)
            let frame = FrameRenderer(tier: .ascii).render(model, width: 80, height: 24)
            #expect((1...6).contains { frame.row($0).hasPrefix("calibrated gamma = ") || frame.row($0).hasPrefix("no gamma reaches p") },
                    "block \(blockSize) on 7x\(width): \((1...6).map { frame.row($0) })")
        }
        // Elsewhere the generic reason: clipping only where a block can pass the map's edge
        // (torchvision, tf and keras-cv seed only where a whole block fits).
        for preset in Preset.allCases {
            let ordinary = try line(preset, 3, square)
            let clips = [Preset.dropblock, .timm].contains(preset)
            #expect(try SeedGeometry(preset: preset, spatial: [7, 7], blockSize: 3).blocksCanClip == clips, "\(preset)")
            // timm's gamma counts the 25 positions whose block fits; its seeds fall at all 49 (it drops more than p).
            let counts = preset == .timm ? "gamma counts (H-kh+1)(W-kw+1) = 25 positions, seeds fall at 49; " : ""
            #expect(ordinary.contains("not p = 0.1: " + counts + (clips ? "blocks overlap and clip." : "blocks overlap.")), "\(preset): \(ordinary)")
            // The seeds step says "clipped" only where blocks can be.
            let seeds = WalkScreen.caption(step: 3, model: try Fixtures.model(preset: preset, blockSize: 3, dropProb: 0.1, input: square))
                .joined(separator: " ")
            #expect(seeds.contains("block, clipped to the map:") == clips && seeds.contains("Each seed becomes a 3x3 block"), "\(preset): \(seeds)")
        }
    }
}
