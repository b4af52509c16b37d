import DropBlock
import Testing
@testable import Visualizer

/// Help and hints fit (issue 11, item 5).
@Suite("Help overlay and hint line")
struct HelpTests {
    static func helpModel(width: Int, height: Int) throws -> VizModel {
        var model = try Fixtures.model()
        model.apply(.toggleHelp, screen: ScreenSize(width: width, height: height))
        return model
    }

    @Test("at 80x24 the help shows every key at once, in columns")
    func everyKeyAt80x24() throws {
        let model = try Self.helpModel(width: 80, height: 24)
        let text = FrameRenderer(tier: .ascii).render(model, width: 80, height: 24).plainText
        for binding in KeyBindings.all { #expect(text.contains(binding.help), "missing \(binding.label)") }
        #expect(!text.contains("more"))
        #expect(HelpOverlay(width: 80, height: 24).columns >= 2)
        // One page has no marker: its title says how to close it (round 23).
        #expect(text.contains("keys (? or Esc closes)"), "\(text)")
    }

    /// The help named neither `h` (left, and the seed cursor's left) nor Enter (a new draw).
    @Test("the help names every key the visualizer answers to")
    func everyKeyNamed() throws {
        let text = FrameRenderer(tier: .ascii).render(try Self.helpModel(width: 200, height: 60), width: 200, height: 60).plainText
        for binding in KeyBindings.all {
            for key in binding.keys where key.isLetter || key.isPunctuation || key.isSymbol || key.isNumber {
                #expect(binding.label.contains(key) || binding.help.contains(key), "\(key) of \(binding.label)")
            }
            if binding.keys.contains("\n") { #expect(binding.label == "Enter") }
            #expect(text.contains(binding.label), "\(binding.label)")
        }
    }

    @Test("smaller terminals page the help with a visible more marker", arguments: [(40, 16), (60, 20), (50, 24), (70, 18)])
    func pages(size: (Int, Int)) throws {
        let (width, height) = size
        var model = try Self.helpModel(width: width, height: height)
        let overlay = HelpOverlay(width: width, height: height)
        #expect(overlay.pageCount > 1, "\(size)")
        var seen = ""
        for page in 0..<overlay.pageCount {
            #expect(model.modal == .help(page: page))
            let frame = FrameRenderer(tier: .ascii).render(model, width: width, height: height)
            let text = frame.plainText
            seen += text
            if page + 1 < overlay.pageCount {
                #expect(text.contains("-- more: ? for page \(page + 2)/\(overlay.pageCount) --"), "\(size) page \(page)")
            } else {
                // The last page says how to close it (it said nothing, and its box was a row shorter).
                #expect(text.contains("-- ? or Esc closes --"), "\(size) last page")
            }
            model.apply(.toggleHelp, screen: ScreenSize(width: width, height: height))
        }
        #expect(model.modal == .none, "the last ? closes the help")
        for binding in KeyBindings.all { #expect(seen.contains(binding.help), "\(size): \(binding.label) on no page") }
    }

    /// Round 24: paged to 3/3 at 40x20, then resized to 100x30 (one page), the overlay drew an
    /// empty box: page 3 of a help that now has one.
    @Test("a page kept from a smaller terminal shows the last page there is, and ? then closes")
    func pageAfterResize() throws {
        var model = try Self.helpModel(width: 40, height: 20)
        let small = ScreenSize(width: 40, height: 20)
        #expect(HelpOverlay(width: 40, height: 20).pageCount >= 3)
        model.apply(.toggleHelp, screen: small)
        model.apply(.toggleHelp, screen: small)
        #expect(model.modal == .help(page: 2))
        let text = FrameRenderer(tier: .ascii).render(model, width: 100, height: 30).plainText
        for binding in KeyBindings.all { #expect(text.contains(binding.help), "\(binding.label) missing after the resize") }
        #expect(HelpOverlay(width: 100, height: 30).shownPage(2) == 0 && HelpOverlay(width: 40, height: 20).shownPage(2) == 2)
        model.apply(.toggleHelp, screen: ScreenSize(width: 100, height: 30))
        #expect(model.modal == .none, "? on the one page there is closes the help")
    }

    /// Without colour the box lost its reverse video, and the panels beside it ran into its text.
    @Test("without colour the help box is outlined, and no panel shows inside it", arguments: [(80, 24), (100, 30), (40, 16)])
    func outlinedInASCII(size: (Int, Int)) throws {
        let (width, height) = size
        let lines = FrameRenderer(tier: .ascii).render(try Self.helpModel(width: width, height: height), width: width, height: height)
            .plainText.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        // The title row holds "| keys", the box's left edge then its title; the top edge is the row above.
        let titleRow = try #require(lines.firstIndex { String($0).contains("| keys") }, "\(size): no outlined title")
        let title = String(lines[titleRow])
        let left = try #require(title.range(of: "| keys").map { title.distance(from: title.startIndex, to: $0.lowerBound) })
        let right = try #require(lines[titleRow].lastIndex(of: "|")), top = titleRow - 1
        #expect(right > left + 10)
        #expect(lines[top][left] == "+" && lines[top][right] == "+", "\(size): \(String(lines[top]))")
        #expect(lines[top][(left + 1)..<right].allSatisfy { $0 == "-" }, "\(size): \(String(lines[top]))")
        let bottom = try #require(lines.indices.first { $0 > titleRow && lines[$0].count > right && lines[$0][left] == "+" },
                                  "\(size): no bottom edge")
        #expect(lines[bottom][right] == "+" && lines[bottom][(left + 1)..<right].allSatisfy { $0 == "-" }, "\(size)")
        for row in top...bottom {
            if row > top && row < bottom {
                #expect(lines[row][left] == "|" && lines[row][right] == "|", "\(size) row \(row)")
                // Inside: text, never a panel's border.
                #expect(!lines[row][(left + 1)..<right].contains("|"), "\(size) row \(row): \(String(lines[row]))")
            }
            // Beside the box, on its rows: nothing (a panel's border beside its edge read as a doubled line).
            let beside = lines[row][..<left] + (lines[row].count > right + 1 ? lines[row][(right + 1)...] : [])
            #expect(beside.allSatisfy { $0 == " " }, "\(size) row \(row): \(String(lines[row]))")
        }
    }

    @Test("the hint line ends with '? all keys' and never cuts a word", arguments: Array(stride(from: 10, through: 200, by: 3)))
    func hintLine(width: Int) {
        let hint = KeyBindings.hint(width: width)
        #expect(hint.count <= width)
        #expect(hint.hasSuffix("? all keys"))
        let words = hint.dropLast("? all keys".count).components(separatedBy: "  ").filter { !$0.isEmpty }
        for word in words { #expect(KeyBindings.hintWords.contains(word), "\(width): cut hint '\(word)'") }
    }
}
