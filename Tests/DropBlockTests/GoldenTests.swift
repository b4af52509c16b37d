import DropBlock
import Foundation
import GoldenSupport
import Testing

@Suite("Golden vectors from the real libraries")
struct GoldenTests {
    @Test("every preset's golden case is reproduced exactly", arguments: ["dropblock", "torchvision", "timm", "tf", "kerascv", "timm_with_noise"])
    func presetCases(name: String) throws {
        let cases = try Golden.cases(name)
        #expect(!cases.isEmpty, "no cases in \(name).json")
        // Counts only cases whose every check passed, so the total can fall short of the file.
        var reproduced = 0, errors = 0, nanCases = 0
        for golden in cases {
            let outcome = try replay(golden)
            if golden.isError {
                errors += 1
                switch outcome {
                case .success:
                    Issue.record("\(golden.label): expected an error, got a result")
                case .failure(let error):
                    let expected = golden.expectedError
                    #expect(expected != nil, "\(golden.label): no rule of the spec explains this error case")
                    #expect(error == expected, "\(golden.label): got \(error), expected \(expected.map(String.init(describing:)) ?? "?")")
                    if error == expected { reproduced += 1 }
                }
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
            let maskShape = result.keepMask.shape == golden.ints("keep_mask_shape")
            let mask = result.keepMask.storage == golden.floats("keep_mask")
            #expect(maskShape, "\(golden.label): mask shape")
            #expect(mask, "\(golden.label): keep mask differs")
            // Every case with a result records its gamma; a missing or null one is a failure, not a skip.
            var gammaMatches = false
            if let gamma = golden.gamma {
                // keras-cv's gamma can be infinite (a block larger than the map) or negative.
                gammaMatches = result.gamma == gamma || abs(result.gamma - gamma) <= 1e-12 * max(abs(gamma), 1e-300)
                #expect(gammaMatches, "\(golden.label): gamma \(result.gamma) vs \(gamma)")
            } else {
                Issue.record("\(golden.label): no gamma in the golden case")
            }
            let finite = result.output.storage.allSatisfy { $0.isFinite }
            #expect(finite, "\(golden.label): non-finite output")
            let output: Bool
            if golden.outputHasNaN {
                nanCases += 1
                #expect(result.referenceReturnsNaN, "\(golden.label): NaN case not flagged")
                output = result.referenceReturnsNaN && result.output.storage.allSatisfy { $0 == 0 }
                #expect(output, "\(golden.label): NaN case must give zeros")
            } else {
                let mismatch = firstMismatch(result.output.storage, golden.floats("output"))
                output = mismatch == nil
                #expect(output, "\(golden.label): output differs at \(mismatch ?? 0)")
            }
            if maskShape && mask && gammaMatches && finite && output { reproduced += 1 }
        }
        print("golden \(name): \(reproduced) of \(cases.count) cases reproduced (\(errors) error cases, \(nanCases) NaN cases)")
        #expect(reproduced == cases.count)
    }

    /// timm's `with_noise` replays both draws; every case must fill some dropped unit with its
    /// normal draw, or the file would not test the fill at all.
    @Test("timm with_noise: both draws replayed, dropped units take the normal draw")
    func timmWithNoise() throws {
        let cases = try Golden.cases("timm_with_noise")
        #expect(cases.count == 31)
        var filled = 0
        for golden in cases {
            #expect(golden.raw["with_noise"]?.bool == true && golden.parameters.timm.withNoise, "\(golden.label)")
            guard case .success(let result) = try replay(golden) else {
                Issue.record("\(golden.label): replay failed")
                continue
            }
            let normal = golden.floats("normal_noise")
            let input = golden.floats("input")
            let mask = result.keepMask
            let (channels, maskChannels) = (golden.shape[1], mask.shape[1])
            let mapSize = golden.shape[2] * golden.shape[3]
            for unit in input.indices {
                let plane = unit / mapSize, n = plane / channels, c = plane % channels
                let m = (n * maskChannels + (maskChannels == 1 ? 0 : c)) * mapSize + unit % mapSize
                let expected = mask[m] == 1 ? input[unit] : normal[m]
                if result.output[unit] != expected {
                    Issue.record("\(golden.label): unit \(unit) is \(result.output[unit]), expected \(expected)")
                    break
                }
            }
            if mask.storage.contains(0) { filled += 1 }
        }
        #expect(filled >= 20, "only \(filled) cases drop anything")
    }

    @Test("the golden folder holds all five presets and the scheduler")
    func folderIsComplete() throws {
        var total = 0
        for name in ["dropblock", "torchvision", "timm", "tf", "kerascv", "scheduler", "timm_with_noise"] {
            total += try Golden.cases(name).count
        }
        print("golden: \(total) cases in \(Golden.folder.path)")
        #expect(total >= 335 + 67)
        #expect(try Golden.cases("kerascv").count == 67)
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
