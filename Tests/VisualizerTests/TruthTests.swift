import Foundation
import DropBlock
import Testing
@testable import Visualizer

/// Every panel's numbers describe exactly what that panel shows (issue 11, items 1, 2, 12).
@Suite("Numbers match pictures")
struct TruthTests {
    /// `(1, 4, 14, 14)`: four different channels.
    static func fourChannels() throws -> VizInput {
        var storage: [Float] = []
        for c in 0..<4 { for y in 0..<14 { for x in 0..<14 { storage.append(Float((x * (c + 2) + y * 3) % 11) / 10) } } }
        return try VizInput(name: "four", tensor: Tensor(shape: [1, 4, 14, 14], storage: storage))
    }

    /// The dropped fraction of a mask plane, counted directly.
    static func dropped(_ mask: Tensor, channel: Int, slice: Int = 0) -> Double {
        let selection = MapSelection(shape: mask.shape, channel: channel, slice: slice)
        let plane = mask.storage[selection.plane]
        return Double(plane.filter { $0 == 0 }.count) / Double(plane.count)
    }

    @Test("per-channel presets: each channel's mask title gives that channel's own fraction", arguments: [Preset.torchvision, .tf])
    func perChannelTitles(preset: Preset) throws {
        var model = try VizModel(input: try Self.fourChannels(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3, preset: preset), seed: 1)
        var fractions: Set<String> = []
        for channel in 0..<4 {
            let mask = try #require(model.view.result?.keepMask)
            let own = Self.dropped(mask, channel: channel)
            let probe = PanelProbe(model, width: 160, height: 40)
            let title = try #require(probe.title(.keepMask))
            let shown = try #require(PanelProbe.percent(in: title), "\(title)")
            #expect(abs(shown - own) <= 0.0005 + 1e-12, "channel \(channel): title \(title), own \(own)")
            #expect(StatusLine.fields(model: model).contains("channel_dropped=\(StatusLine.format(own))"))
            // The seeds title counts this channel's seeds.
            let seeds = try #require(model.view.result?.seedMask)
            let own_seeds = seeds.storage[MapSelection(shape: seeds.shape, channel: channel, slice: 0).plane].filter { $0 > 0 }.count
            #expect(probe.title(.seeds)?.contains("n=\(own_seeds) ") == true, "\(probe.title(.seeds) ?? "")")
            fractions.insert(title)
            model.apply(.nextChannel)
        }
        #expect(fractions.count > 1, "every channel titled alike: \(fractions)")
    }

    @Test("3D: each slice's mask title gives the slice's fraction; status has slice_dropped")
    func sliceTitles() throws {
        var model = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 5), seed: 2)
        var titles: Set<String> = []
        for slice in 0..<16 {
            let mask = try #require(model.view.result?.keepMask)
            let own = Self.dropped(mask, channel: model.channel, slice: slice)
            let probe = PanelProbe(model, width: 200, height: 60)
            let title = try #require(probe.title(.keepMask))
            let shown = try #require(PanelProbe.percent(in: title), "\(title)")
            #expect(abs(shown - own) <= 0.0005 + 1e-12, "slice \(slice): \(title) vs \(own)")
            #expect(StatusLine.fields(model: model).contains("slice_dropped=\(StatusLine.format(own))"))
            titles.insert(title)
            model.apply(.nextSlice)
        }
        #expect(titles.count > 1)
    }

    @Test("3D: every dropped unit of a slice lies in a block whose seed the seeds panel marks")
    func everyBlockHasItsSeed() throws {
        let model = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.4, blockSize: 5), seed: 5)
        var sliced = model
        for _ in 0..<16 {
            let probe = PanelProbe(sliced, width: 240, height: 80)
            #expect(probe.layout.scale?.downscale == 1)
            let seeds = probe.mapCells(.seeds).flatMap { $0 }
            let masks = probe.mapCells(.keepMask).flatMap { $0 }
            let anyDropped = masks.contains { $0.glyph != "." }
            if anyDropped { #expect(seeds.contains { $0.glyph == "o" || $0.glyph == "+" }, "slice \(sliced.slice): blocks without a seed") }
            #expect(probe.title(.seeds)?.contains("n=\(sliced.view.stats.seeds)") == true)
            sliced.apply(.nextSlice)
        }
        // Some slice shows a seed from another slice.
        var any = false
        var m = model
        for _ in 0..<16 { any = any || m.view.stats.nearbySeeds > 0; m.apply(.nextSlice) }
        #expect(any)
    }

    @Test("downsampled masks show each cell's exact dropped share, not the max, and hold the title's area",
          arguments: [200, 203])
    func downsampledShares(side: Int) throws {
        let input = try VizInput(name: "big", tensor: Tensor(shape: [1, 1, side, side], repeating: 1))
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7), seed: 3)
        let probe = PanelProbe(model, width: 120, height: 40)
        let scale = try #require(probe.layout.scale)
        #expect(scale.downscale > 1)
        let title = try #require(probe.title(.keepMask))
        let fraction = try #require(PanelProbe.percent(in: title))
        // Decode each glyph back to an interval of shares and weigh it by the pixels it draws:
        // every pixel stands for the same area, also where the side is no multiple of the factor.
        var low = 0.0, high = 0.0, units = 0.0
        for (r, row) in probe.mapCells(.keepMask).enumerated() {
            for cell in row {
                let weight = 2 * r + 1 < scale.height ? 2.0 : 1.0
                let (a, b) = Self.interval(cell.glyph)
                low += a * weight
                high += b * weight
                units += weight
            }
        }
        #expect(units == Double(scale.width * scale.height))
        // 203 is a multiple of the factor (7) at this size; 200 leaves the last pixels partial units.
        #expect((side % scale.downscale == 0) == (side == 203), "the case with edge units must have them")
        #expect(low / units <= fraction + 0.0005 && fraction - 0.0005 <= high / units, "title \(fraction), shown in [\(low / units), \(high / units)]")
        // Max pooling would mark most cells: now most cells are '.'.
        let cells = probe.mapCells(.keepMask).flatMap { $0 }
        #expect(Double(cells.filter { $0.glyph == "." }.count) / Double(cells.count) > 0.3)
    }

    @Test("downsampled output panels hold their title's dropped share: x all dropped, 1-9 tenths",
          arguments: [Preset.torchvision, .dropblock], [60, 61])
    func downsampledOutputShares(preset: Preset, side: Int) throws {
        var generator = SeededGenerator(seed: 8)
        let values = (0..<(4 * side * side)).map { _ in generator.nextUniformFloat() }
        let input = try VizInput(name: "big", tensor: Tensor(shape: [1, 4, side, side], storage: values))
        var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.3, blockSize: 7, preset: preset), seed: 3)
        model.apply(.toggleGrid)
        let probe = PanelProbe(model, width: 120, height: 40)
        let scale = try #require(probe.layout.scale)
        #expect(scale.downscale > 1)
        for c in 0..<4 {
            let title = try #require(probe.title(PanelID("c\(c)")))
            let fraction = try #require(PanelProbe.percent(in: title))
            var low = 0.0, high = 0.0, units = 0.0
            for (r, row) in probe.mapCells(PanelID("c\(c)")).enumerated() {
                for cell in row {
                    let weight = 2 * r + 1 < scale.height ? 2.0 : 1.0
                    // The image's own glyphs stand for no dropped unit.
                    let (a, b) = cell.glyph == "x" ? (1.0, 1.0) : cell.glyph.isNumber ? Self.interval(cell.glyph) : (0, 0)
                    low += a * weight
                    high += b * weight
                    units += weight
                }
            }
            #expect(units == Double(scale.width * scale.height))
            #expect(side % scale.downscale == (side == 60 ? 0 : 1), "the case with edge units must have them")
            #expect(low / units <= fraction + 0.0005 && fraction - 0.0005 <= high / units,
                    "\(preset) c\(c): title \(fraction), drawn in [\(low / units), \(high / units)]")
        }
    }

    @Test("in colour a downsampled output pixel blends its kept units' heat to dropped by its share")
    func outputColourBlend() throws {
        // Left pixel: one of four units dropped, the kept ones 0.6; right: all kept; below: all dropped, half.
        let values: [Float] = [-1, 0.6, 0.2, 0.2] + [0.6, 0.6, 0.2, 0.2] + [-1, -1, -1, 0.4] + [-1, -1, -1, 0.4]
        let map = PixelMap(width: 4, height: 4, values: values, kind: .masked)
        let scale = MapScale(upscale: 1, downscale: 2, width: 2, height: 2)
        let renderer = FrameRenderer(tier: .truecolor)
        let left = renderer.outputCell(map, column: 0, top: 0, bottom: 1, scale: scale)
        #expect(left.fg == RGB.mix(renderer.palette.dropped, renderer.palette.heat(0.6), 0.75))
        #expect(left.bg == renderer.palette.dropped)
        let right = renderer.outputCell(map, column: 1, top: 0, bottom: 1, scale: scale)
        #expect(right.fg == renderer.palette.heat(0.2))
        #expect(right.bg == RGB.mix(renderer.palette.dropped, renderer.palette.heat(0.4), 0.5))
    }

    @Test("with 256, 16 or 8 colours a mixed cell is a shade over the kept colour, never a rounded blend",
          arguments: [ColorTier.ansi256, .ansi16, .ansi8])
    func mixedCellsShade(tier: ColorTier) throws {
        // One of four units dropped over a low value: a 256-colour blend rounded this to the value's own colour.
        let values: [Float] = [-1, 0.1, 0.1, 0.1]
        let map = PixelMap(width: 2, height: 2, values: values, kind: .masked)
        let scale = MapScale(upscale: 1, downscale: 2, width: 1, height: 1)
        let renderer = FrameRenderer(tier: tier)
        let output = renderer.outputCell(map, column: 0, top: 0, bottom: nil, scale: scale)
        #expect(output.glyph == "░" && output.fg == renderer.palette.dropped && output.bg == renderer.palette.heat(0.1), "\(tier): \(output)")
        let mask = PixelMap(width: 2, height: 2, values: [0, 1, 1, 1], kind: .keepMask)
        let cell = renderer.maskCell(mask, column: 0, top: 0, bottom: nil, scale: scale)
        #expect(cell.glyph == "░" && cell.fg == renderer.palette.dropped && cell.bg == renderer.palette.kept, "\(tier): \(cell)")
    }

    /// The dropped shares a mask glyph stands for.
    static func interval(_ glyph: Character) -> (Double, Double) {
        switch glyph {
        case ".": return (0, 0)
        case "#": return (1, 1)
        case "1": return (0, 0.15)
        case "9": return (0.85, 1)
        default:
            let d = Double(String(glyph)) ?? -1
            return (d / 10 - 0.05, d / 10 + 0.05)
        }
    }

    @Test("the ASCII value ramp uses no glyph that marks dropped units, tenths or non-finite values")
    func rampAvoidsMarks() {
        let marks = Set("#x!123456789")
        #expect(FrameRenderer.asciiRamp.allSatisfy { !marks.contains($0) }, "\(String(FrameRenderer.asciiRamp))")
        #expect(FrameRenderer.asciiRamp.count == 10 && FrameRenderer.asciiRamp.first == " " && FrameRenderer.asciiRamp.last == "@")
    }

    @Test("share glyphs: any dropped unit gives at least 1, any kept unit at most 9")
    func shareGlyphs() {
        #expect(FrameRenderer.shareGlyph(dropped: 0, total: 100) == ".")
        #expect(FrameRenderer.shareGlyph(dropped: 1, total: 100) == "1")
        #expect(FrameRenderer.shareGlyph(dropped: 99, total: 100) == "9")
        #expect(FrameRenderer.shareGlyph(dropped: 100, total: 100) == "#")
        #expect(FrameRenderer.shareGlyph(dropped: 1, total: 2) == "5")
        #expect(FrameRenderer.shareGlyph(dropped: 26, total: 100) == "3")
    }

    @Test("in colour a downsampled mask pixel blends kept to dropped by its share")
    func colourBlend() throws {
        let values: [Float] = [1, 1, 0, 1] + [1, 1, 1, 1] + [0, 0, 0, 0] + [0, 0, 0, 0]
        let map = PixelMap(width: 4, height: 4, values: values, kind: .keepMask)
        let scale = MapScale(upscale: 1, downscale: 2, width: 2, height: 2)
        let renderer = FrameRenderer(tier: .truecolor)
        let cell = renderer.maskCell(map, column: 1, top: 0, bottom: 1, scale: scale)
        #expect(cell.fg == RGB.mix(renderer.palette.dropped, renderer.palette.kept, 0.75))
        #expect(cell.bg == renderer.palette.dropped)
    }

    @Test("the legend names the seeds panel's colour for where no seed may fall, in every tier", arguments: ColorTier.allCases)
    func legendNamesOutside(tier: ColorTier) throws {
        let legend = Legend(tier: tier, palette: Palette(tier: tier), is3D: false, roles: [.seed, .region, .outside, .kept, .dropped])
        let text = legend.text(width: 160)
        #expect(text.contains(tier.usesColor ? "outside it" : "blank outside it"), "\(tier): \(text)")
        if tier.usesColor {
            // Its swatch is the seeds panel's colour for those units.
            let segments = legend.segments(width: 160)
            let index = try #require(segments.firstIndex { $0.text.contains("outside it") })
            #expect(segments[index - 1].fg == Palette(tier: tier).outside)
        }
    }

    @Test("every legend swatch shows on a dark terminal: a black one stands on a plate", arguments: ColorTier.allCases)
    func swatchesVisible(tier: ColorTier) throws {
        guard tier.usesColor else { return }
        let palette = Palette(tier: tier)
        let legend = Legend(tier: tier, palette: palette, is3D: true, hasNonFinite: true)
        let swatches = legend.segments(width: 400).filter { $0.text == "█" || $0.text == "▄" }
        #expect(swatches.count >= 7, "\(tier): \(swatches)")
        func bright(_ c: RGB?) -> Bool { c.map { max($0.r, $0.g, $0.b) >= 40 } ?? false }
        for swatch in swatches {
            // Seen on a black background: the swatch's colour, or the plate around it.
            #expect(bright(swatch.fg) || (swatch.text == "▄" && bright(swatch.bg)), "\(tier): \(swatch)")
        }
        // The seeds panel's outside is black in every tier, so it has a plate.
        #expect(swatches.contains { $0.fg == palette.outside && $0.text == "▄" && $0.bg == palette.border })
    }

    @Test("the legend names `outside` only where the seeds panel has such units; a narrow one keeps dropped, zero and high first",
          arguments: ColorTier.allCases)
    func legendNamesWhatIsDrawn(tier: ColorTier) throws {
        for preset in [Preset.dropblock, .torchvision] {
            let model = try Fixtures.model(preset: preset, blockSize: 5, dropProb: 0.3)
            let legend = FrameRenderer(tier: tier).render(model, width: 200, height: 40).row(try #require(PanelProbe(model, width: 200, height: 40).layout.messageRow))
            // dropblock seeds everywhere; torchvision only where a whole block fits.
            #expect(legend.contains("outside") == (preset == .torchvision), "\(tier) \(preset): \(legend)")
        }
        let legend = Legend(tier: tier, palette: Palette(tier: tier), is3D: false, roles: [.seed, .region, .outside, .kept, .dropped, .tenths, .droppedOutput, .zero, .high])
        let narrow = legend.segments(width: 40).map(\.text).joined()
        // ASCII names high by its heat ramp, blank to `@`, which at 40 columns no longer fits
        // beside the dropped marks; at 60 it does, before kept (whose `.` the ramp shares).
        #expect(narrow.contains("dropped") && (tier == .ascii || narrow.contains("high")), "\(tier): \(narrow)")
        if tier == .ascii {
            let sixty = legend.segments(width: 60).map(\.text).joined()
            #expect(sixty.contains(".:-=+*&%@") && sixty.contains("blank"), "\(sixty)")
        }
        #expect(!narrow.contains("outside"), "\(tier): \(narrow)")
    }

    @Test("a legend too long for its row keeps whole entries, and its share note, at every width", arguments: ColorTier.allCases)
    func legendWholeEntries(tier: ColorTier) {
        let legend = Legend(tier: tier, palette: Palette(tier: tier), is3D: true, roles: Set(LegendRole.allCases), hasNonFinite: true)
        // Every entry any wording has, as text without its separating spaces.
        func entries(_ segments: [Legend.Segment]) -> [String] {
            // Colour: each name and each part of the note is a segment of its own; ASCII: one
            // segment, entries two spaces apart.
            let parts = tier.usesColor ? segments.filter { $0.text != "█" }.map(\.text) : segments.flatMap { $0.text.components(separatedBy: "  ") }
            return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let known = Set(legend.wordings().flatMap { entries($0) })
        for width in 8...200 {
            let segments = legend.segments(width: width)
            #expect(Legend.length(segments) <= width, "\(tier) at \(width)")
            #expect(entries(segments).allSatisfy { known.contains($0) }, "\(tier) at \(width): \(entries(segments)) has a cut entry")
            if tier.usesColor {
                let text = segments.map(\.text).joined()
                #expect(text.contains("blend") || text.contains("░▒▓"), "\(tier) at \(width): no share note in \(text)")
            }
        }
    }

    @Test("the legend names the mask's share encoding in every tier", arguments: ColorTier.allCases)
    func legendNamesShares(tier: ColorTier) throws {
        let frame = FrameRenderer(tier: tier).render(try Fixtures.model(), width: 120, height: 40)
        let text = frame.plainText
        #expect(text.contains(tier.usesColor ? "share" : "1-9 tenths dropped"), "\(tier)")
    }
}
