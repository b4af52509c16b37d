import DropBlock
import Testing
@testable import Visualizer

/// Numbers under the presets' and the stages' maps are rounded to the room they have, never
/// cut: cutting wrote `expected=0.231` for 0.2319 and `gamma=0.00` for 0.006122.
@Suite("Caption numbers round to fit")
struct CaptionTests {
    @Test("every wording of a number is that number rounded: within half a unit of its last digit",
          arguments: [0.2319, 0.009917, 1.382, 0.0625, 12.5, 0.41449, 1, 0])
    func wordingsRound(value: Double) throws {
        let title = PanelTitle.number("expected", short: "exp", value)
        #expect(title.wordings.first == "expected=\(StatusLine.format(value))")
        #expect(title.wordings.last?.hasPrefix("exp=") == true)
        for wording in title.wordings {
            let text = try #require(wording.split(separator: "=").last.map(String.init))
            let shown = try #require(Double(text), "\(wording)")
            let decimals = text.split(separator: ".").dropFirst().first?.count ?? 0
            var unit = 1.0
            for _ in 0..<decimals { unit /= 10 }
            #expect(abs(shown - value) <= unit / 2 + 1e-12, "\(wording) for \(value)")
        }
        // Shorter and shorter, so that the narrowest panels still get a number.
        #expect(zip(title.wordings, title.wordings.dropFirst()).allSatisfy { $0.count >= $1.count }, "\(title.wordings)")
    }

    @Test("a message longer than the screen is cut at a space and ends in ' ...', never in half a word")
    func messageCut() throws {
        let text = "kerascv allows seeds only in rows 2-9: a block centred on its seed must fit (rows bounded by W, keras-cv's typo)"
        #expect(FrameRenderer.cut(text, width: 200) == text)
        for width in [20, 40, 61, 80, 100] {
            let cut = FrameRenderer.cut(text, width: width)
            #expect(cut.count <= width && cut.hasSuffix(" ..."), "\(width): \(cut)")
            // What is kept is whole words of the text.
            #expect(text.hasPrefix(String(cut.dropLast(4))) && text.dropFirst(cut.count - 4).first == " ", "\(width): \(cut)")
        }
        // On screen too: a seed refused at the edge of a non-square kerascv map.
        var model = try Fixtures.model(preset: .kerascv, blockSize: 5, dropProb: 0.2, input: Fixtures.smallInput(height: 20, width: 12))
        model.apply(.toggleSeedMode)
        for _ in 0..<9 { model.apply(.pan(dx: 0, dy: 1)) }
        model.apply(.newDraw)
        let message = try #require(model.message)
        let row = FrameRenderer(tier: .ascii).render(model, width: 80, height: 30).plainText.split(separator: "\n").first { $0.hasPrefix("kerascv allows") }
        #expect(message.count > 80 && row.map { $0.hasSuffix(" ...") } == true, "\(message) / \(row ?? "")")
    }

    @Test("on screen, every caption line of the presets and the stages is one of its wordings or blank, at every width",
          arguments: [false, true])
    func captionsNeverCut(stages: Bool) throws {
        var model = try Fixtures.model(dropProb: 0.3)
        model.apply(stages ? .toggleStages : .togglePresets)
        var checked = 0
        for width in 40...240 {
            let probe = PanelProbe(model, width: width, height: 40)
            guard !probe.layout.isTooSmall, let scale = probe.layout.scale else { continue }
            let panels = stages ? StagesScreen().panels(model, layout: probe.layout) : PresetsScreen().panels(model, layout: probe.layout)
            for panel in panels {
                guard let rect = probe.layout.panels[panel.id] else { continue }
                let inner = probe.layout.inner(rect)
                for (i, line) in panel.caption.enumerated() where scale.rows + i < inner.height {
                    let row = Array(probe.frame.row(inner.y + scale.rows + i))
                    let text = String(row[inner.x..<(inner.x + inner.width)]).trimmingCharacters(in: .whitespaces)
                    #expect(text.isEmpty || line.wordings.contains(text), "\(width): \(panel.id) shows \(text), not one of \(line.wordings)")
                    checked += text.contains("=") ? 1 : 0
                }
            }
        }
        #expect(checked > 100)
    }
}
