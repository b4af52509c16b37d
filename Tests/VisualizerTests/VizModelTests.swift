import DropBlock
import Foundation
import GoldenSupport
import Testing
@testable import Visualizer

@Suite("View model: every key's action")
struct VizModelTests {
    /// Every key the README's table and the help overlay promise, with its action. Written out
    /// here rather than read from `KeyBindings`, so that a changed binding fails.
    static let expectedBindings: [(Character, VizAction)] = [
        ("q", .quit), ("\u{1B}", .back), ("?", .toggleHelp),
        ("+", .blockSizeUp), ("-", .blockSizeDown),
        ("]", .dropProb(0.01)), ("[", .dropProb(-0.01)), ("}", .dropProb(0.1)), ("{", .dropProb(-0.1)),
        (" ", .newDraw), ("s", .schedulerStep), ("r", .schedulerReset), ("a", .toggleAutoplay),
        ("m", .nextPreset), ("c", .toggleCalibrated), ("e", .toggleTraining),
        ("n", .nextChannel), ("N", .previousChannel), ("j", .nextSample), ("k", .previousSample),
        (".", .nextSlice), (",", .previousSlice), ("x", .toggleDropoutRow), ("v", .toggleSweep),
        ("z", .toggleZoom), ("d", .toggleChanceMap), ("g", .toggleGrid), ("o", .toggleGridSource), ("p", .togglePresets), ("b", .toggleStages), ("i", .toggleSeedMode), ("0", .clearSeeds), ("t", .walkNext), ("T", .walkBack), ("l", .nextArray), ("L", .previousArray), ("w", .writeDraw), (ArrowKey.up, .pan(dx: 0, dy: -1)), (ArrowKey.down, .pan(dx: 0, dy: 1)),
        (ArrowKey.left, .pan(dx: -1, dy: 0)), ("h", .pan(dx: -1, dy: 0)), ("\n", .newDraw), ("\r", .newDraw), (ArrowKey.right, .pan(dx: 1, dy: 0)),
    ]

    @Test("every key maps to its action, and no other key is bound")
    func everyKeyMapsToItsAction() {
        for (key, action) in Self.expectedBindings {
            #expect(KeyBindings.action(for: key) == action, "key \(key.debugDescription)")
        }
        let bound = KeyBindings.all.flatMap(\.keys)
        // No key is bound twice, and every bound key is one of the above.
        #expect(Set(bound).count == bound.count)
        #expect(Set(bound) == Set(Self.expectedBindings.map(\.0)))
        #expect(KeyBindings.action(for: "Z") == nil)
    }

    @Test("the README's key table lists exactly the bound keys")
    func readmeListsEveryKey() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex(of: "| key | action |"), "no key table in README.md")
        var listed: [Character] = []
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count > 2 else { continue }
            for token in cells[1].replacingOccurrences(of: "`", with: "").split(separator: "/") {
                let name = token.trimmingCharacters(in: .whitespaces)
                switch name {
                case "space": listed.append(" ")
                case "enter": listed += ["\n", "\r"]
                case "arrows": listed += [ArrowKey.up, ArrowKey.down, ArrowKey.left, ArrowKey.right]
                default: listed += Array(name)
                }
            }
            if cells[2].contains("Esc") { listed.append("\u{1B}") }
        }
        #expect(Set(listed) == Set(KeyBindings.all.flatMap(\.keys)), "README keys \(listed)")
        #expect(listed.count == Set(listed).count, "a key is listed twice: \(listed)")
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

    /// Round 25: on an 8x16x16 volume torchvision clips every block above 7 to the even 8, and
    /// `+` said `block size is at most 16 (the map size)` at block 7.
    @Test("+ at the largest block a preset runs says the preset's reason, not the map size")
    func largestRunnableBlock() throws {
        let volume = try Tensor(shape: [1, 2, 8, 16, 16], storage: (0..<4096).map { Float($0 % 7) })
        var model = try VizModel(input: try VizInput(name: "volume", tensor: volume),
                                 parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7, preset: .torchvision))
        model.apply(.blockSizeUp)
        #expect(model.parameters.blockSize == 7)
        #expect(model.message == "block 7 is the largest torchvision runs here: torchvision clips block 9 to the map's smallest side, 8, and needs an odd block size: use 7 or less",
                "\(model.message ?? "none")")
        // Where the map is the limit, the map size is still the reason.
        var flat = try Fixtures.model(blockSize: 12)
        flat.apply(.blockSizeUp)
        #expect(flat.message?.contains("at most 12 (the map size)") == true, "\(flat.message ?? "none")")
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
        // Unwrapped: two nil results would compare equal and prove nothing.
        let first = try #require(a.view.result?.keepMask)
        #expect(first == b.view.result?.keepMask)
        a.apply(.newDraw)
        #expect(a.draw == 1)
        let second = try #require(a.view.result?.keepMask)
        #expect(second != first)
        b.apply(.newDraw)
        #expect(second == b.view.result?.keepMask)
    }

    /// Against the values the real `dropblock` package's LinearScheduler produced, not against
    /// our LinearScheduler (whose linspace `Schedule` reuses, so it would agree with any bug).
    @Test("s steps exactly like the dropblock package's LinearScheduler, r resets")
    func schedulerMatchesGoldenVectors() throws {
        let cases = try Golden.cases("scheduler")
        #expect(!cases.isEmpty)
        for golden in cases {
            let start = try #require(golden.raw["start_value"]?.double)
            let stop = try #require(golden.raw["stop_value"]?.double)
            let steps = try #require(golden.raw["nr_steps"]?.int)
            let initial = try #require(golden.raw["initial_drop_prob"]?.double)
            let expected = golden.doubles("drop_prob_after_each_step")
            var model = try Fixtures.model(dropProb: initial, schedule: try Schedule(start: start, stop: stop, steps: steps))
            var seen: [Double] = []
            for _ in expected {
                model.apply(.schedulerStep)
                seen.append(model.parameters.dropProb)
            }
            #expect(seen == expected, "schedule \(start)->\(stop) over \(steps)")
            #expect(StatusLine.fields(model: model).contains("step=\(min(expected.count, steps))/\(steps)"))
            model.apply(.schedulerReset)
            // r returns to launch, and an explicit schedule launches at its START.
            #expect(model.parameters.dropProb == start && model.schedule.index == 0)
            model.apply(.schedulerStep)
            #expect(model.parameters.dropProb == expected.first, "first step after a reset")
        }
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
        // keras-cv on a square map allows only the centre, whose unclipped block covers it all.
        for preset in [Preset.torchvision, .tf, .kerascv] {
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
        // keras-cv's infinite gamma (block 14 on 13: a zero denominator) seeds every unit: edge-clipped blocks.
        let infinite = try Fixtures.model(preset: .kerascv, blockSize: 14, dropProb: 0.5, input: odd)
        #expect(StatusLine.fields(model: infinite).contains("block>=map:blocks_clipped_at_the_map_edges"))
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
        #expect(model.parameters.preset == .kerascv)
        #expect(model.message?.contains("tf") == true)
        model.apply(.nextPreset)
        #expect(model.parameters.preset == .dropblock)
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
        #expect(model.main.extras.contains(.dropoutRow) && model.view.dropout != nil)
        model.apply(.toggleSweep)
        #expect(model.main.extras.contains(.sweep) && model.view.sweep.count == 12)
        model.apply(.toggleHelp)
        #expect(model.modal == .help(page: 0))
        // A preset of odd sizes only has a bar for each odd size and no empty column for an
        // even one (round 23: torchvision's even labels sat under gaps).
        let odd = VizView.sweepPoints(input: model.input, parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3, preset: .torchvision))
        #expect(odd.map(\.blockSize) == Array(stride(from: 1, through: 12, by: 2)) && odd.allSatisfy { $0.expected != nil }, "\(odd.map(\.blockSize))")
        // Nor for sizes it cannot run where it runs others (round 25: on an 8x16x16 volume 9-15
        // clip to the even 8, and their blank bars read as "expected 0").
        let volume = try VizInput(name: "v", tensor: try Tensor(shape: [1, 1, 8, 16, 16], repeating: 1))
        let shallow = VizView.sweepPoints(input: volume, parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3, preset: .torchvision))
        #expect(shallow.map(\.blockSize) == [1, 3, 5, 7], "\(shallow.map(\.blockSize))")
        // A preset that runs no size keeps its columns, every one empty (tf on a non-square map).
        let flat = try VizInput(name: "f", tensor: try Tensor(shape: [1, 1, 6, 9], repeating: 1))
        let none = VizView.sweepPoints(input: flat, parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3, preset: .tf))
        #expect(none.count == 9 && none.allSatisfy { $0.expected == nil }, "\(none.map(\.blockSize))")
    }

    /// The row's own gamma is the realized rate by construction, so check what it draws: single
    /// units (every seed drops exactly itself), a fresh mask, at the realized rate within 4
    /// binomial standard errors, on an input where the realized rate is far from p.
    @Test("the dropout row drops single units at the realized rate")
    func dropoutComparison() throws {
        let side = 96
        let ones = try VizInput(name: "ones", tensor: Tensor(shape: [1, 1, side, side], repeating: 1))
        var model = try Fixtures.model(preset: .dropblock, blockSize: 7, dropProb: 0.5, input: ones)
        model.apply(.toggleDropoutRow)
        let result = try #require(model.view.result)
        let dropout = try #require(model.view.dropout)
        let units = Double(side * side)
        let realized = result.droppedFraction
        let se = (realized * (1 - realized) / units).squareRoot()
        // The case must tell p and the realized rate apart, or the check below proves nothing.
        #expect(abs(realized - 0.5) > 8 * se, "realized \(realized) too close to p")
        #expect(abs(dropout.droppedFraction - realized) <= 4 * se, "dropout \(dropout.droppedFraction) vs realized \(realized)")
        let dropped = dropout.keepMask.storage.filter { $0 == 0 }.count
        #expect(dropped == dropout.seedCount, "block size 1: \(dropped) units dropped by \(dropout.seedCount) seeds")
        #expect(dropout.keepMask.shape == result.keepMask.shape && dropout.keepMask != result.keepMask)
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
        for text in ["0:1", "0:2:5", "0:0.5:-1", "a:0.5:3"] {
            #expect {
                try Schedule.parse(text)
            } throws: { error in
                guard case DropBlockError.invalidSchedule = error else { return false }
                return true
            }
        }
    }
    /// Esc in the zoom quit the visualizer (the zoom is a view, and Esc leaves views); a
    /// block-size step over an even size read like a refusal; `--keys` could not spell Esc.
    @Test("Esc leaves the zoom before it quits; the odd-block step says what it did; --keys spells <esc> and <enter>")
    func zoomEscapeAndMessages() throws {
        var model = try Fixtures.model(preset: .torchvision, blockSize: 3)
        model.apply(.toggleZoom)
        #expect(model.main.zoom != nil)
        #expect(model.apply(.back) == true && model.main.zoom == nil, "Esc leaves the zoom")
        #expect(model.apply(.back) == false, "then quits")
        model.apply(.blockSizeUp)
        #expect(model.parameters.blockSize == 5 && model.message == "block 3 -> 5: torchvision takes odd sizes only", "\(String(describing: model.message))")
        #expect(KeyBindings.parse("z<esc><enter><up>") == ["z", "\u{1B}", "\r", ArrowKey.up])
        #expect(KeyBindings.parse("<escape>") == nil)
    }
}

