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
        func write(_ model: VizModel) throws -> String { "wrote draw \(model.draw) of \(model.input.name)" }
    }

    static func input(_ name: String, height: Int, width: Int) throws -> VizInput {
        try VizInput(name: name, tensor: Tensor(shape: [1, 2, height, width], storage: (0..<(2 * height * width)).map { Float($0 % 7) }))
    }

    @Test("l and L move between arrays, keep parameters, seed and draw, and skip one the preset cannot run on")
    func moves() throws {
        let arrays = Arrays(inputs: [try Self.input("a", height: 9, width: 9), try Self.input("wide", height: 4, width: 9),
                                     try Self.input("c", height: 11, width: 11)])
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
        #expect(session.model.draw == 1 && session.model.channel == 0)
        session.apply(.previousArray, screen: screen)
        #expect(session.arrayIndex == 0 && session.model.input.name == "a")
        session.apply(.writeDraw, screen: screen)
        #expect(session.model.message == "wrote draw 1 of a")
        #expect(session.apply(.quit, screen: screen) == false)
    }

    @Test("a model alone, or a one-array source, says it has one array")
    func oneArray() throws {
        var session = VizSession(model: try VizModel(input: Self.input("only", height: 5, width: 5), parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3)))
        session.apply(.nextArray, screen: ScreenSize(width: 80, height: 24))
        #expect(session.model.message == "this input has one array" && session.arrayIndex == 0)
    }
}
