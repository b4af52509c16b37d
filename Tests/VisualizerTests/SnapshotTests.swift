import DropBlock
import Foundation
import Testing
@testable import Visualizer

/// Plain-text frames checked into `Snapshots/`. Set `RECORD_SNAPSHOTS=1` to rewrite them
/// after an intended change (then read the diff before committing).
@Suite("Render snapshots (plain text)")
struct SnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    func check(_ name: String, _ frame: Frame) throws {
        let url = Self.folder.appendingPathComponent("\(name).txt")
        let text = frame.plainText + "\n"
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing snapshot \(url.path); run with RECORD_SNAPSHOTS=1 to create it")
            return
        }
        #expect(text == expected, "snapshot \(name) differs:\n\(text)")
    }

    let renderer = FrameRenderer(tier: .ascii)

    @Test func defaultState() throws {
        try check("default-80x24", renderer.render(try Fixtures.model(), width: 80, height: 24))
    }

    @Test func afterKeys() throws {
        var model = try Fixtures.model(preset: .torchvision)
        for key in "+}}nx" { model.apply(KeyBindings.action(for: key)!) }
        try check("torchvision-keys-100x30", renderer.render(model, width: 100, height: 30))
    }

    @Test func helpOverlay() throws {
        var model = try Fixtures.model()
        model.apply(.toggleHelp)
        try check("help-80x30", renderer.render(model, width: 80, height: 30))
    }

    @Test func sweepPanel() throws {
        var model = try Fixtures.model(preset: .timm, blockSize: 5)
        model.apply(.toggleSweep)
        try check("sweep-120x40", renderer.render(model, width: 120, height: 40))
    }

    @Test("the 3D demo at 120x40: 2x2 at 1x, seeds from other slices marked")
    func volume() throws {
        var model = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 5), seed: 3)
        for key in "..." { model.apply(KeyBindings.action(for: key)!) }
        try check("volume-120x40", renderer.render(model, width: 120, height: 40))
    }

    @Test("help paged at 60x20, first page with its more marker")
    func helpPaged() throws {
        var model = try Fixtures.model()
        model.apply(.toggleHelp, screen: ScreenSize(width: 60, height: 20))
        try check("help-paged-60x20", renderer.render(model, width: 60, height: 20))
    }

    @Test("the channel grid: shared mask at 80x24, per-channel on a 16-channel file at 100x30 (page 2)")
    func grid() throws {
        var model = try Fixtures.model(dropProb: 0.3)
        model.apply(.toggleGrid)
        try check("grid-80x24", renderer.render(model, width: 80, height: 24))
        var file = try Fixtures.model(preset: .torchvision, dropProb: 0.3, input: Fixtures.smallInput(height: 20, width: 20, channels: 16))
        let size = ScreenSize(width: 100, height: 30)
        for key in "gn" { file.apply(KeyBindings.action(for: key)!, screen: size) }
        try check("grid-per-channel-100x30", renderer.render(file, width: 100, height: 30))
    }

    @Test("the presets side by side: the fixture at 80x24, the 3D demo (timm, tf and kerascv cannot run) at 120x40")
    func presets() throws {
        var model = try Fixtures.model(dropProb: 0.3)
        model.apply(.togglePresets)
        try check("presets-80x24", renderer.render(model, width: 80, height: 24))
        var volume = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 5), seed: 3)
        volume.apply(.togglePresets)
        try check("presets-3d-120x40", renderer.render(volume, width: 120, height: 40))
    }

    @Test("block size across stages: the embedded sample at 120x40 with torchvision block 7; a single array at 80x24")
    func stages() throws {
        var model = try VizModel(input: try StagesScreenTests.embedded(), parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7, preset: .torchvision))
        model.apply(.toggleStages)
        try check("stages-torchvision-120x40", renderer.render(model, width: 120, height: 40))
        var single = try Fixtures.model(dropProb: 0.3)
        single.apply(.toggleStages)
        try check("stages-single-80x24", renderer.render(single, width: 80, height: 24))
    }

    @Test("seed mode: two seeds by hand with timm block 4 at 100x30")
    func seedMode() throws {
        var model = try Fixtures.model(preset: .timm, blockSize: 4)
        for key in KeyBindings.parse("i<left><left> <down><down><down><right><right><right><right> <up>") ?? [] {
            model.apply(KeyBindings.action(for: key)!)
        }
        try check("seed-mode-timm-100x30", renderer.render(model, width: 100, height: 30))
    }

    @Test("the walk-through's gamma step with torchvision at 100x30")
    func walkThrough() throws {
        var model = try Fixtures.model(preset: .torchvision)
        for key in "ttt" { model.apply(KeyBindings.action(for: key)!) }
        try check("walk-gamma-torchvision-100x30", renderer.render(model, width: 100, height: 30))
    }

    @Test func tooSmall() throws {
        try check("too-small-30x10", renderer.render(try Fixtures.model(), width: 30, height: 10))
    }

    @Test("rendering is deterministic and pure")
    func deterministic() throws {
        let a = renderer.render(try Fixtures.model(), width: 90, height: 30)
        let b = renderer.render(try Fixtures.model(), width: 90, height: 30)
        #expect(a == b)
        let colour = FrameRenderer(tier: .truecolor).render(try Fixtures.model(), width: 90, height: 30)
        #expect(colour.cells.contains { $0.glyph == "▀" && $0.fg != nil })
    }
}
