import DropBlock
@testable import Visualizer

/// Reads panels back out of a rendered frame: titles, and the glyphs inside a panel.
struct PanelProbe {
    let model: VizModel
    let frame: Frame
    let layout: VizLayout

    init(_ model: VizModel, width: Int, height: Int, tier: ColorTier = .ascii) {
        self.model = model
        let renderer = FrameRenderer(tier: tier)
        frame = renderer.render(model, width: width, height: height)
        layout = renderer.layout(model, width: width, height: height)
    }

    /// The title drawn in the top border of `kind`'s panel.
    func title(_ kind: PanelID) -> String? {
        guard let rect = layout.panels[kind] else { return nil }
        let row = Array(frame.row(rect.y))
        let inside = layout.style == .boxed ? String(row[(rect.x + 1)..<(rect.x + rect.width - 1)]) : String(row[rect.x..<(rect.x + rect.width)])
        let border: Set<Character> = ["-", "─", "+", "┌", "┐", "┬", "┼", "├", "┤"]
        let trimmed = inside.drop { border.contains($0) || $0 == " " }.reversed().drop { border.contains($0) || $0 == " " }.reversed()
        return String(trimmed)
    }

    /// The cells inside `kind`'s panel that the map covers, row by row.
    func mapCells(_ kind: PanelID) -> [[Cell]] {
        guard let rect = layout.panels[kind], let scale = layout.scale else { return [] }
        let origin = layout.mapOrigin(rect)
        return (0..<scale.rows).map { r in (0..<scale.columns).map { c in frame[origin.x + c, origin.y + r] } }
    }

    /// The number that ends with `%` in a title, as a fraction.
    static func percent(in title: String) -> Double? {
        guard let word = title.split(separator: " ").first(where: { $0.hasSuffix("%") }) else { return nil }
        return Double(word.dropLast()).map { $0 / 100 }
    }
}
