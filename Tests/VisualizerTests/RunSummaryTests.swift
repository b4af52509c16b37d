import DropBlock
import Testing
@testable import Visualizer

/// `RunSummary`: the fields `apply`'s summary line and the status line share.
@Suite("One summary formatter: apply's line and the status line, same keys and spellings")
struct RunSummaryTests {
    /// The keys of `fields` (a flag is its own key).
    static func keys(_ fields: [String]) -> [String] {
        fields.map { String($0.split(separator: "=", maxSplits: 1)[0]) }
    }

    /// The shared fields of `model`'s shown pass, as the status line writes numbers.
    static func shared(_ model: VizModel) -> [String] {
        RunSummary.fields(parameters: model.parameters, plan: model.view.plan, summary: model.view.result?.summary,
                          digits: StatusLine.digits)
    }

    /// Models that show each kind of field: plain, calibrated, every unit dropped, 3D.
    static func models() throws -> [VizModel] {
        var calibrated = DropBlockParameters(dropProb: 0.9, blockSize: 11, preset: .torchvision)
        calibrated.calibrated = true
        var everything = DropBlockParameters(dropProb: 1, blockSize: 5, preset: .dropblock)
        everything.calibrated = true
        return [
            try Fixtures.model(),
            try VizModel(input: try Fixtures.smallInput(), parameters: calibrated, seed: 7),
            try VizModel(input: try Fixtures.smallInput(height: 5, width: 5), parameters: everything, seed: 9),
            try VizModel(input: try SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.3, blockSize: 5), seed: 3),
        ]
    }

    @Test("the exact scale reads back as the very float, and whole numbers have no .0")
    func exactScale() {
        #expect(RunSummary.exact(1) == "1" && RunSummary.exact(2) == "2")
        var generator = SeededGenerator(seed: 4)
        for _ in 0..<1000 {
            let value = 1 + generator.nextUniformFloat() * 3
            #expect(Float(RunSummary.exact(value)) == value, "\(value)")
        }
    }

    @Test("the status line is the shared fields, in their order, with the viewer's own between them")
    func statusLineHasTheSharedFields() throws {
        for model in try Self.models() {
            let status = StatusLine.fields(model: model)
            var rest = status[...]
            for field in Self.shared(model) {
                guard let at = rest.firstIndex(of: field) else {
                    Issue.record("\(field) missing or out of order in \(status)")
                    break
                }
                rest = rest[(at + 1)...]
            }
        }
    }

    @Test("the order: preset, shape, the parameters and rates, the caller's measurements, scale, its details, the flags")
    func order() throws {
        let model = try Fixtures.model()
        let fields = RunSummary.fields(parameters: model.parameters, plan: model.view.plan, summary: model.view.result?.summary,
                                       digits: 6, shape: [2, 3, 12, 12], measured: ["measured=1"], details: ["detail=2"])
        #expect(Self.keys(fields) == ["preset", "shape", "block", "drop_prob", "gamma", "expected", "realized", "measured", "scale", "detail"])
        #expect(fields[1] == "shape=(2,3,12,12)" && fields[3] == "drop_prob=0.2")
    }

    @Test("calibration and an all-dropped pass are flags at the end, spelled one way")
    func flags() throws {
        let models = try Self.models()
        #expect(Self.shared(models[0]).allSatisfy { $0.contains("=") })
        #expect(Self.shared(models[1]).last == "calibrated", "\(Self.shared(models[1]))")
        #expect(Array(Self.shared(models[2]).suffix(2)) == ["calibrated", "all_dropped(reference=NaN,output=0)"], "\(Self.shared(models[2]))")
    }

    @Test("numbers have the caller's significant digits", arguments: [(4, "0.1235"), (6, "0.123457")])
    func digits(digits: Int, text: String) {
        #expect(RunSummary.number(0.123456789, digits: digits) == text)
    }

    /// Verification round: the walk-through's `expected = ... = 1` was 0.9999..., rounded.
    @Test("a number that is not 1 never reads as 1: it gets the digits it needs")
    func neverAFalseOne() {
        #expect(RunSummary.number(0.99996, digits: 4) == "0.99996")
        #expect(RunSummary.number(1.00002, digits: 4) == "1.00002" && RunSummary.number(-0.99999, digits: 2) == "-0.99999")
        #expect(RunSummary.number(1, digits: 4) == "1" && RunSummary.number(0.96, digits: 1) == "0.96")
        #expect(RunSummary.number(0.9996, digits: 4) == "0.9996" && RunSummary.number(0.99, digits: 1) == "0.99")
        let title = PanelTitle.number("expected", short: "exp", 0.999_999_7)
        #expect(!title.wordings.contains { $0.hasSuffix("=1") } && title.wordings.first == "expected=0.9999997", "\(title.wordings)")
    }
}
