import DropBlock
import Foundation
import Testing
@testable import Visualizer

/// Seeds by hand (`i`): what is shown is exactly what the preset does with those seeds.
@Suite("Seed mode")
struct SeedModeTests {
    /// Moves the cursor to `(x, y)` with arrow presses and toggles a seed there.
    static func place(_ model: inout VizModel, x: Int, y: Int) throws {
        guard case .seeds(let placement) = model.modal else { Issue.record("not in seed mode"); return }
        for _ in 0..<abs(x - placement.x) { model.apply(.pan(dx: x > placement.x ? 1 : -1, dy: 0)) }
        for _ in 0..<abs(y - placement.y) { model.apply(.pan(dx: 0, dy: y > placement.y ? 1 : -1)) }
        model.apply(.newDraw)
    }

    /// The independent expansion: per the spec's table, a seed at s covers [s - lo, s - lo + k)
    /// per axis, clipped; every other channel (per-channel masks) stays kept.
    static func expectedKeep(preset: Preset, blockSize: Int, h: Int, w: Int, seeds: [(Int, Int)]) -> [Float] {
        var keep = [Float](repeating: 1, count: h * w)
        let kh: Int, kw: Int, loH: Int, loW: Int
        switch preset {
        case .dropblock:
            let lo = blockSize % 2 == 1 ? blockSize / 2 : blockSize / 2 - 1
            (kh, kw, loH, loW) = (blockSize, blockSize, lo, lo)
        case .torchvision:
            let cb = min(blockSize, min(h, w))
            (kh, kw, loH, loW) = (cb, cb, 0, 0)
        case .timm:
            (kh, kw) = (min(blockSize, h), min(blockSize, w))
            (loH, loW) = (kh / 2, kw / 2)
        case .tf:
            let cb = min(blockSize, w)
            (kh, kw, loH, loW) = (cb, cb, cb / 2, cb / 2)
        case .kerascv:
            (kh, kw, loH, loW) = (blockSize, blockSize, blockSize / 2, blockSize / 2)
        }
        for (sy, sx) in seeds {
            for y in max(0, sy - loH)..<min(h, sy - loH + kh) {
                for x in max(0, sx - loW)..<min(w, sx - loW + kw) { keep[y * w + x] = 0 }
            }
        }
        return keep
    }

    @Test("the mask is the union of the placed seeds' blocks under each preset (brute force)",
          arguments: Preset.allCases, [2, 3, 4, 5])
    func maskIsUnionOfBlocks(preset: Preset, blockSize: Int) throws {
        guard preset != .torchvision || blockSize % 2 == 1 else { return }
        var model = try Fixtures.model(preset: preset, blockSize: blockSize, dropProb: 0.2)
        model.apply(.nextChannel)
        model.apply(.toggleSeedMode)
        let geometry = try #require(model.view.plan?.geometry)
        var generator = SeededGenerator(seed: UInt64(blockSize * 10 + Preset.allCases.firstIndex(of: preset)!))
        var placed: [(Int, Int)] = []
        // Corners of the seed region (clipping, anchoring), then random positions in it.
        let rows = geometry.seedRegion[0], cols = geometry.seedRegion[1]
        var candidates = [(rows.lowerBound, cols.lowerBound), (rows.upperBound - 1, cols.upperBound - 1)]
        for _ in 0..<3 { candidates.append((rows.lowerBound + Int(generator.next() % UInt64(rows.count)), cols.lowerBound + Int(generator.next() % UInt64(cols.count)))) }
        for (y, x) in candidates where !placed.contains(where: { $0 == (y, x) }) {
            try Self.place(&model, x: x, y: y)
            placed.append((y, x))
        }
        let result = try #require(model.view.result)
        let (h, w) = (model.input.height, model.input.width)
        let expected = Self.expectedKeep(preset: preset, blockSize: blockSize, h: h, w: w, seeds: placed)
        let mask = result.keepMask
        for c in 0..<mask.shape[1] {
            let plane = Array(mask.storage[(c * h * w)..<((c + 1) * h * w)])
            let own = mask.shape[1] == 1 || c == model.channel
            #expect(plane == (own ? expected : [Float](repeating: 1, count: h * w)), "\(preset) block \(blockSize) channel \(c)")
        }
        #expect(result.seedCount == placed.count, "\(preset) block \(blockSize)")
        #expect(StatusLine.fields(model: model).contains("seeds=by_hand(\(placed.count))"))
    }

    @Test("a seed outside the allowed region is refused with the reason, naming every axis it is outside of")
    func outsideRegion() throws {
        var model = try Fixtures.model(preset: .tf, blockSize: 5)
        model.apply(.toggleSeedMode)
        try Self.place(&model, x: 0, y: 6)
        #expect(model.message?.contains("tf allows seeds only in cols 2-9") == true, "\(model.message ?? "")")
        #expect(model.view.result?.seedCount == 0)
        let frame = FrameRenderer(tier: .ascii).render(model, width: 100, height: 30)
        #expect(frame.plainText.contains("tf allows seeds only"))
        // A corner is outside both axes, and the refusal names both (round 22: it named the rows only).
        try Self.place(&model, x: 0, y: 0)
        #expect(model.message?.contains("tf allows seeds only in rows 2-9 and cols 2-9:") == true, "\(model.message ?? "")")
    }

    @Test("i enters at the centre; space toggles, 0 clears, i or Esc leaves and space draws randomly again")
    func keys() throws {
        var model = try Fixtures.model(dropProb: 0.3)
        let random = try #require(model.view.result?.keepMask)
        model.apply(.toggleSeedMode)
        guard case .seeds(let placement) = model.modal else { Issue.record("no seed mode"); return }
        #expect(placement.x == 6 && placement.y == 6)
        #expect(model.view.result?.seedCount == 0 && model.view.result?.droppedFraction == 0)
        model.apply(.newDraw)
        #expect(model.view.result?.seedCount == 1 && model.draw == 0)
        model.apply(.newDraw)
        #expect(model.view.result?.seedCount == 0, "space again removes the seed")
        model.apply(.newDraw)
        model.apply(.clearSeeds)
        #expect(model.view.result?.seedCount == 0)
        model.apply(.back)
        #expect(model.modal == .none && model.view.result?.keepMask == random)
        model.apply(.toggleSeedMode)
        model.apply(.toggleSeedMode)
        #expect(model.modal == .none)
        model.apply(.newDraw)
        #expect(model.draw == 1)
        model.apply(.clearSeeds)
        #expect(model.message?.contains("press i") == true)
    }

    @Test("a click on a map cell of the seeds panel moves the cursor there and toggles a seed; elsewhere it says where to click")
    func click() throws {
        let size = ScreenSize(width: 120, height: 40)
        var model = try Fixtures.model(dropProb: 0.3)
        model.apply(.toggleSeedMode, screen: size)
        let layout = FrameRenderer(tier: .ascii).layout(model, width: 120, height: 40)
        let rect = try #require(layout.panels[.seeds]), scale = try #require(layout.scale)
        let origin = layout.mapOrigin(rect)
        #expect(scale.upscale == 2, "12x12 at 2x: a unit is 2 columns and one cell row")
        // Unit (5, 3): columns 10-11, pixel rows 6-7, cell row 3.
        model.apply(.click(x: origin.x + 11, y: origin.y + 3), screen: size)
        guard case .seeds(let placement) = model.modal else { Issue.record("left seed mode"); return }
        #expect(placement.x == 5 && placement.y == 3 && placement.seeds == [[3, 5]])
        #expect(model.view.result?.seedCount == 1)
        model.apply(.click(x: origin.x + 10, y: origin.y + 3), screen: size)
        #expect(model.view.result?.seedCount == 0, "a second click on the same unit removes the seed")
        model.apply(.click(x: rect.x - 3, y: origin.y), screen: size)
        #expect(model.message?.contains("click a cell") == true)
        model.apply(.back, screen: size)
        model.apply(.click(x: origin.x + 11, y: origin.y + 3), screen: size)
        #expect(model.modal == .none && model.view.result?.seedCount != 1 || model.modal == .none)
    }

    /// The `X` covered the cell, so a seed just placed could not be seen (new-user round 18).
    @Test("on a seed the cursor reads O, elsewhere X, in every tier")
    func cursorOnSeed() throws {
        var model = try Fixtures.model()
        model.apply(.toggleSeedMode)
        model.apply(.newDraw)
        #expect(model.view.result?.seedCount == 1)
        for tier in ColorTier.allCases {
            let cells = PanelProbe(model, width: 120, height: 40, tier: tier).mapCells(.seeds).flatMap { $0 }
            #expect(cells.contains { $0.glyph == "O" && $0.attributes.contains(.reverse) } && !cells.contains { $0.glyph == "X" }, "\(tier)")
        }
        model.apply(.newDraw)
        #expect(model.view.result?.seedCount == 0)
        let cells = PanelProbe(model, width: 120, height: 40, tier: .ascii).mapCells(.seeds).flatMap { $0 }
        #expect(cells.contains { $0.glyph == "X" } && !cells.contains { $0.glyph == "O" })
    }

    @Test("the cursor is drawn in the seeds panel, in every tier and at 80x24 to 200x60", arguments: [(80, 24), (120, 40), (200, 60)])
    func cursorDrawn(size: (Int, Int)) throws {
        var model = try Fixtures.model()
        model.apply(.toggleSeedMode)
        for tier in ColorTier.allCases {
            let probe = PanelProbe(model, width: size.0, height: size.1, tier: tier)
            let cells = probe.mapCells(.seeds).flatMap { $0 }
            #expect(cells.contains { $0.glyph == "X" && $0.attributes.contains(.reverse) }, "\(size) \(tier)")
            #expect(!probe.mapCells(.keepMask).flatMap { $0 }.contains { $0.glyph == "X" })
        }
    }
}

@Suite("Seed mode keys: h / j / k / l move the cursor, enter toggles")
struct SeedModeKeyTests {
    @Test("in seed mode h, j, k and l move the cursor (not the sample or the array), and enter toggles a seed")
    func vimKeys() throws {
        var session = VizSession(model: try Fixtures.model(blockSize: 3, dropProb: 0.3))
        let screen = ScreenSize(width: 120, height: 40)
        for key: Character in ["i", "l", "l", "j", "k", "j", "h", "\n"] {
            session.apply(try #require(KeyBindings.action(for: key)), screen: screen)
        }
        guard case .seeds(let placement) = session.model.modal else { Issue.record("not in seed mode"); return }
        // From the centre (6, 6) of the 12x12 fixture: right 2, down 1, left 1.
        #expect(placement.x == 7 && placement.y == 7, "cursor at \(placement.x), \(placement.y)")
        #expect(placement.seeds == [[7, 7]], "enter toggled a seed at the cursor")
        #expect(session.model.sample == 0 && session.arrayIndex == 0, "j and l did not change sample or array")
        // The status line names the cursor's unit, which a downsampled map may not show moving.
        #expect(StatusLine.fields(model: session.model).contains("cursor=7,7"), "\(StatusLine.fields(model: session.model))")
    }
}

/// The cursor's unit in the expected drop's formula.
@Suite("Seed mode: the cursor's c(j) and p(j)")
struct SeedModeCoverageTests {
    /// Seed mode on a 9-wide map, 7 high (not square: an axis mixed up shows) but for tf (square maps only), with the
    /// cursor moved to (`x`, `y`) from the centre.
    static func model(preset: Preset, x: Int, y: Int) throws -> VizModel {
        let height = Self.height(preset)
        var model = try Fixtures.model(preset: preset, blockSize: 3, dropProb: 0.2, input: Fixtures.smallInput(height: height, width: 9))
        model.apply(.toggleSeedMode)
        model.apply(.pan(dx: x - 4, dy: y - height / 2))
        return model
    }

    /// Map rows for `preset`.
    static func height(_ preset: Preset) -> Int { preset == .tf ? 9 : 7 }

    /// The status line's value of `key`.
    static func field(_ key: String, _ model: VizModel) -> String? {
        StatusLine.fields(model: model).first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    @Test("c(j) at the cursor is the number of single seeds, placed by hand, whose mask drops unit j; p(j) = 1-(1-gamma)^c(j); expected is the mean of p(j)",
          arguments: Preset.allCases)
    func coverage(preset: Preset) throws {
        // c(j) counted from the preset's own masks: one hand-placed seed at each position in turn.
        let units = 9 * Self.height(preset)
        var counted = [Int](repeating: 0, count: units)
        for s in 0..<units {
            var model = try Self.model(preset: preset, x: s % 9, y: s / 9)
            model.apply(.newDraw)
            guard case .seeds(let placement) = model.modal, !placement.seeds.isEmpty else { continue }  // outside the region
            let mask = try #require(model.view.result?.keepMask.storage)
            for j in 0..<units where mask[j] == 0 { counted[j] += 1 }
        }
        let plan = try #require(try Self.model(preset: preset, x: 0, y: 0).view.plan)
        var meanDrop = 0.0
        for j in 0..<units {
            let model = try Self.model(preset: preset, x: j % 9, y: j / 9)
            #expect(Self.field("c(j)", model) == "\(counted[j])", "\(preset) unit \(j % 9),\(j / 9)")
            let p = 1 - pow(1 - plan.gamma, Double(counted[j]))
            #expect(Self.field("p(j)", model) == StatusLine.format(p), "\(preset) unit \(j % 9),\(j / 9)")
            meanDrop += p / Double(units)
        }
        #expect(abs(meanDrop - plan.expectedDropFraction) < 1e-12, "\(preset): mean p(j) \(meanDrop), expected \(plan.expectedDropFraction)")
        #expect(counted.min() != counted.max(), "\(preset): the edges are covered less")
    }
}
