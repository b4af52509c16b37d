import DropBlock
import Foundation
import GoldenSupport
import Testing

@Suite("Golden vectors from the real libraries")
struct GoldenTests {
    @Test("every preset's golden case is reproduced exactly", arguments: ["dropblock", "torchvision", "timm", "tf"])
    func presetCases(name: String) throws {
        let cases = try Golden.cases(name)
        #expect(!cases.isEmpty, "no cases in \(name).json")
        var ran = 0, errors = 0, nanCases = 0
        for golden in cases {
            let outcome = try replay(golden)
            ran += 1
            if golden.isError {
                errors += 1
                if case .success = outcome { Issue.record("\(golden.label): expected an error, got a result") }
                continue
            }
            let result: DropBlockResult
            switch outcome {
            case .failure(let error):
                Issue.record("\(golden.label): unexpected error \(error)")
                continue
            case .success(let value):
                result = value
            }
            #expect(result.keepMask.shape == golden.ints("keep_mask_shape"), "\(golden.label): mask shape")
            #expect(result.keepMask.storage == golden.floats("keep_mask"), "\(golden.label): keep mask differs")
            if let gamma = golden.gamma {
                #expect(abs(result.gamma - gamma) <= 1e-12 * max(gamma, 1e-300), "\(golden.label): gamma \(result.gamma) vs \(gamma)")
            }
            #expect(result.output.storage.allSatisfy { $0.isFinite }, "\(golden.label): non-finite output")
            if golden.outputHasNaN {
                nanCases += 1
                #expect(result.referenceReturnsNaN, "\(golden.label): NaN case not flagged")
                #expect(result.output.storage.allSatisfy { $0 == 0 }, "\(golden.label): NaN case must give zeros")
            } else {
                let mismatch = firstMismatch(result.output.storage, golden.floats("output"))
                #expect(mismatch == nil, "\(golden.label): output differs at \(mismatch ?? 0)")
            }
        }
        print("golden \(name): \(ran) cases ran (\(errors) error cases, \(nanCases) NaN cases)")
        #expect(ran == cases.count)
    }

    @Test("the golden folder holds all four presets and the scheduler")
    func folderIsComplete() throws {
        var total = 0
        for name in ["dropblock", "torchvision", "timm", "tf", "scheduler"] {
            total += try Golden.cases(name).count
        }
        print("golden: \(total) cases in \(Golden.folder.path)")
        #expect(total >= 304)
    }

    @Test("LinearScheduler matches the dropblock package step for step")
    func scheduler() throws {
        let cases = try Golden.cases("scheduler")
        #expect(!cases.isEmpty)
        for golden in cases {
            let raw = golden.raw
            let start = raw["start_value"]?.double ?? .nan
            let stop = raw["stop_value"]?.double ?? .nan
            let steps = raw["nr_steps"]?.int ?? -1
            let initial = raw["initial_drop_prob"]?.double ?? .nan
            let expected = golden.doubles("drop_prob_after_each_step")
            var scheduler = try LinearScheduler(DropBlock2D(dropProb: initial), startValue: start, stopValue: stop, steps: steps)
            #expect(scheduler.dropProb == initial)
            var seen: [Double] = []
            for _ in expected {
                scheduler.step()
                seen.append(scheduler.dropProb)
            }
            #expect(seen == expected, "scheduler \(start)->\(stop) over \(steps)")
        }
        print("golden scheduler: \(cases.count) cases ran")
    }
}
