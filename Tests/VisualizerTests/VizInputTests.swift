import DropBlock
import Testing
@testable import Visualizer

@Suite("Visualizer input of every rank")
struct VizInputTests {
    @Test("a rank-2 (H, W) tensor is one sample of one channel")
    func rankTwo() throws {
        let plane = try Tensor(shape: [5, 7], storage: (0..<35).map { Float($0) / 35 })
        let input = try VizInput(name: "plane", tensor: plane)
        #expect(input.tensor.shape == [1, 1, 5, 7] && input.tensor.storage == plane.storage)
        #expect(!input.is3D && input.batch == 1 && input.channels == 1 && input.height == 5 && input.width == 7)
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3))
        #expect(model.view.result?.output.shape == [1, 1, 5, 7])
        #expect(StatusLine.fields(model: model).contains("channel=0/1"))
    }

    @Test("a rank-3 (C, H, W) tensor is one sample of C channels")
    func rankThree() throws {
        let stack = try Tensor(shape: [3, 6, 4], storage: (0..<72).map { Float($0 % 11) })
        let input = try VizInput(name: "stack", tensor: stack)
        #expect(input.tensor.shape == [1, 3, 6, 4] && input.tensor.storage == stack.storage)
        #expect(!input.is3D && input.batch == 1 && input.channels == 3 && input.height == 6 && input.width == 4)
        var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.3, blockSize: 3))
        model.apply(.previousChannel)
        #expect(model.channel == 2 && StatusLine.fields(model: model).contains("channel=2/3"))
    }

    @Test("ranks 4 and 5 are taken as they are")
    func ranksFourAndFive() throws {
        let batch = try Tensor(shape: [2, 1, 3, 3], repeating: 1)
        #expect(try VizInput(name: "b", tensor: batch).tensor == batch)
        let volume = try Tensor(shape: [1, 2, 3, 4, 4], repeating: 1)
        let input = try VizInput(name: "v", tensor: volume)
        #expect(input.tensor == volume && input.is3D && input.depth == 3)
    }
}
