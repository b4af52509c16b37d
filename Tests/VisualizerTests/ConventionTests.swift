import DropBlock
import Testing
@testable import Visualizer

/// One convention everywhere: HxW shapes, 0-based channel/sample/slice (issue 11, items 9, 10).
@Suite("One convention: HxW and 0-based")
struct ConventionTests {
    @Test("a (1, 1, 3, 200) map is titled 3x200, as the header and NumPy say")
    func heightByWidth() throws {
        let input = try VizInput(name: "wide", tensor: Tensor(shape: [1, 1, 3, 200], repeating: 1))
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3), seed: 1)
        let probe = PanelProbe(model, width: 240, height: 40)
        #expect(probe.title(.input)?.contains("3x200") == true, "\(probe.title(.input) ?? "")")
        #expect(probe.title(.keepMask)?.contains("3x200") == true)
        #expect(!probe.frame.plainText.contains("200x3"))
    }

    @Test("channel, sample and slice are 0-based on screen, as on the command line")
    func zeroBased() throws {
        let input = try Fixtures.smallInput()
        let model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3), seed: 1, channel: 2)
        let fields = StatusLine.fields(model: model)
        #expect(fields.contains("channel=2/3") && fields.contains("sample=0/2"), "\(fields)")
        let probe = PanelProbe(model, width: 120, height: 40)
        #expect(probe.title(.input)?.hasPrefix("input c2") == true, "\(probe.title(.input) ?? "")")

        var volume = try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.2, blockSize: 3))
        volume.apply(.nextSlice)
        #expect(StatusLine.fields(model: volume).contains("slice=1/16"))
        #expect(PanelProbe(volume, width: 200, height: 60).title(.input)?.contains("slice 1") == true)
    }
}
