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
