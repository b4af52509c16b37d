import DropBlock
import Testing
@testable import Visualizer

/// A session over several arrays: `l`/`L` move and keep the state; `w` goes to the writer.
@Suite("Visualizer sessions: l / L between arrays, w to write the draw")
struct VizSessionTests {
    struct Arrays: VizInputSource {
        let inputs: [VizInput]
        var arrayNames: [String] { inputs.map(\.name) }
        func load(_ index: Int) throws -> VizInput { inputs[index] }
    }

    struct Writer: VizDrawWriter {
        func write(_ model: VizModel) throws -> String { "/tmp/draws/\(model.input.name)-\(model.draw).npz" }
    }

    static func input(_ name: String, height: Int, width: Int) throws -> VizInput {
        try VizInput(name: name, tensor: Tensor(shape: [1, 2, height, width], storage: (0..<(2 * height * width)).map { Float($0 % 7) }))
    }

    @Test("l and L move between arrays, keep parameters, seed, draw and the channel where it exists, and skip one the preset cannot run on")
    func moves() throws {
        let arrays = Arrays(inputs: [try Self.input("a", height: 9, width: 9), try Self.input("wide", height: 4, width: 9),
                                     try Self.input("c", height: 11, width: 11),
                                     try VizInput(name: "d", tensor: Tensor(shape: [1, 1, 9, 9], storage: (0..<81).map { Float($0 % 5) }))])
        let model = try VizModel(input: arrays.inputs[0], parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3, preset: .tf), seed: 4)
        var session = VizSession(model: model, source: arrays, writer: Writer())
        let screen = ScreenSize(width: 120, height: 40)
        session.apply(.newDraw, screen: screen)
        session.apply(.nextChannel, screen: screen)
        session.apply(.nextArray, screen: screen)
        // tf needs a square map: "wide" is skipped, and the message says so.
        #expect(session.arrayIndex == 2 && session.model.input.name == "c")
        #expect(session.model.message?.contains("skipped wide") == true, "\(String(describing: session.model.message))")
        #expect(session.model.parameters.preset == .tf && session.model.parameters.dropProb == 0.3 && session.model.seed == 4)
        // The channel stays where the other array has it (comparing one channel across layers).
        #expect(session.model.draw == 1 && session.model.channel == 1)
        session.apply(.previousArray, screen: screen)
        #expect(session.arrayIndex == 0 && session.model.input.name == "a" && session.model.channel == 1)
        session.apply(.writeDraw, screen: screen)
        #expect(session.model.message == "wrote /tmp/draws/a-1.npz (draw 1, sample 0)")
        // One with a single channel starts at its first; the zoom stays on (it closed, silently).
        session.apply(.toggleZoom, screen: screen)
        session.apply(.previousArray, screen: screen)
        #expect(session.model.input.name == "d" && session.model.channel == 0 && session.model.main.zoom != nil)
        // The draw on show is the one a fresh model of that array makes.
        var fresh = try VizModel(input: arrays.inputs[3], parameters: session.model.parameters, seed: 4)
        fresh.apply(.newDraw)
        #expect(session.model.view.result?.output == fresh.view.result?.output && session.model.view.result != nil)
        #expect(session.apply(.quit, screen: screen) == false)
    }

    @Test("w in the presets view says the file holds the status line's draw, not the view's other columns")
    func writeFromPresets() throws {
        let arrays = Arrays(inputs: [try Self.input("a", height: 9, width: 9)])
        let model = try VizModel(input: arrays.inputs[0], parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3, preset: .timm), seed: 4)
        var session = VizSession(model: model, source: arrays, writer: Writer())
        let screen = ScreenSize(width: 120, height: 40)
        session.apply(.writeDraw, screen: screen)
        #expect(session.model.message == "wrote /tmp/draws/a-0.npz (draw 0, sample 0)")
        session.apply(.togglePresets, screen: screen)
        session.apply(.writeDraw, screen: screen)
        #expect(session.model.message == "wrote /tmp/draws/a-0.npz (draw 0, sample 0) (the status line's timm draw, not the presets view's other columns)",
                "\(String(describing: session.model.message))")
        // Round 22: at 80 columns the caveat was the part cut off; a shorter wording keeps it.
        for width in [80, 60, 40] {
            let line = FrameRenderer(tier: .ascii).render(session.model, width: width, height: 30).plainText.split(separator: "\n")
                .first { $0.hasPrefix("wrote ") }.map(String.init) ?? ""
            #expect(line.contains("a-0.npz") && line.contains("the status line's") && !line.contains("..."), "\(width): \(line)")
        }
    }

    @Test("a model alone, or a one-array source, says it has one array")
    func oneArray() throws {
        var session = VizSession(model: try VizModel(input: Self.input("only", height: 5, width: 5), parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3)))
        session.apply(.nextArray, screen: ScreenSize(width: 80, height: 24))
        #expect(session.model.message == "this input has one array" && session.arrayIndex == 0)
    }
}
