import DropBlock
import Foundation
import Testing
@testable import Visualizer

/// The drop-chance panel (`d`): each unit's p(j), which averages to the expected drop.
@Suite("Drop-chance map")
struct DropChanceMapTests {
    @Test("every unit's chance is 1-(1-gamma)^c(j) of its own count; in 2D their mean is expected=, in 3D the volume's mean is",
          arguments: Preset.allCases)
    func chances(preset: Preset) throws {
        // Not square (an axis mixed up shows), but for tf, which takes square maps only.
        let height = preset == .tf ? 11 : 9
        for (blockSize, calibrated) in [(3, false), (4, true), (11, false)] {
            var parameters = DropBlockParameters(dropProb: 0.2, blockSize: blockSize, preset: preset)
            parameters.calibrated = calibrated
            guard let model = try? VizModel(input: Fixtures.smallInput(height: height, width: 11), parameters: parameters, seed: 1) else {
                continue  // a block this preset refuses
            }
            let plan = try #require(model.view.plan), geometry = try #require(plan.geometry)
            let chances = DropChanceMap(plan: plan, input: model.input, slice: 0)
            // A formula's gamma above 1 (keras-cv's at a block past the map) seeds everywhere.
            let gamma = min(max(plan.gamma, 0), 1)
            for y in 0..<height {
                for x in 0..<11 {
                    let c = geometry.coverage(at: [y, x])
                    #expect(abs(chances.chances[y * 11 + x] - (1 - pow(1 - gamma, Double(c)))) < 1e-14, "\(preset) \(blockSize) unit \(x),\(y)")
                }
            }
            let (mean, largest) = chances.summary(window: nil)
            #expect(abs(mean - plan.expectedDropFraction) < 1e-12, "\(preset) \(blockSize): \(mean) against \(plan.expectedDropFraction)")
            if largest > 0 {
                #expect(largest == chances.top)
                // Drawn on 0...top: the brightest unit is 1.
                #expect(chances.pixels.values.max() == 1 && chances.pixels.values.min() ?? -1 >= 0)
            } else {
                // No position may seed (keras-cv's row bound at block 11 on 9 rows): nothing drops.
                #expect(chances.top == 1 && MainScreen.chanceTitle(chances, model: model, window: nil).wordings[0].hasSuffix("0 everywhere"))
            }
        }
    }

    @Test("in 3D each slice's chances use its own slice count, all drawn on the volume's top, and the volume's mean is expected=")
    func volume() throws {
        let model = try VizModel(input: SampleData.volumeDemo(), parameters: DropBlockParameters(dropProb: 0.1, blockSize: 7), seed: 0)
        let plan = try #require(model.view.plan), geometry = try #require(plan.geometry)
        var sum = 0.0, tops: Set<Double> = [], largest = 0.0
        for slice in 0..<model.input.depth {
            let chances = DropChanceMap(plan: plan, input: model.input, slice: slice)
            tops.insert(chances.top)
            largest = max(largest, chances.summary(window: nil).largest)
            let (x, y) = (slice % model.input.width, (3 * slice) % model.input.height)
            let c = geometry.coverage(at: [slice, y, x])
            #expect(abs(chances.chances[y * model.input.width + x] - (1 - pow(1 - plan.gamma, Double(c)))) < 1e-14, "slice \(slice)")
            sum += chances.summary(window: nil).mean
        }
        #expect(abs(sum / Double(model.input.depth) - plan.expectedDropFraction) < 1e-12)
        // One scale for every slice, the volume's largest chance, so that slices compare.
        #expect(tops == [largest], "\(tops) against \(largest)")
    }

    @Test("eval mode and p = 0 drop nothing: every chance is 0, and the title says so")
    func identity() throws {
        var model = try Fixtures.model(blockSize: 3, dropProb: 0.2)
        model.apply(.toggleTraining)
        let chances = DropChanceMap(plan: model.view.plan, input: model.input, slice: 0)
        #expect(chances.chances.allSatisfy { $0 == 0 } && chances.top == 1)
        #expect(MainScreen.chanceTitle(chances, model: model, window: nil).wordings[0].hasSuffix(": 0 everywhere"))
    }

    @Test("d shows the panel: its map is the chances over the title's top, its mean the status line's expected=, in every tier")
    func panel() throws {
        var model = try Fixtures.model(preset: .torchvision, blockSize: 5, dropProb: 0.2, input: Fixtures.smallInput(height: 20, width: 24))
        model.apply(.toggleChanceMap)
        #expect(model.main.extras == [.chance])
        let layout = FrameRenderer(tier: .ascii).layout(model, width: 200, height: 60)
        let panel = try #require(model.main.panels(model, layout: layout).first { $0.id == .chance })
        let chances = DropChanceMap(plan: model.view.plan, input: model.input, slice: 0)
        let expected = try #require(StatusLine.fields(model: model).first { $0.hasPrefix("expected=") }).dropFirst("expected=".count)
        #expect(panel.title.wordings[0] == "drop chance p(j) 20x24 0 to \(StatusLine.format(chances.top)) mean \(expected)", "\(panel.title.wordings)")
        guard case .map(let pixels, _) = panel.content else {
            Issue.record("no map")
            return
        }
        for (value, chance) in zip(pixels.values, chances.chances) { #expect(value == Float(chance / chances.top)) }
        for tier in ColorTier.allCases {
            let frame = FrameRenderer(tier: tier).render(model, width: 200, height: 60)
            #expect(frame.plainText.contains("p(j) 20x24 0 to \(StatusLine.format(chances.top)) mean \(expected)"), "\(tier)")
        }
        model.apply(.toggleChanceMap)
        #expect(model.main.extras.isEmpty)
    }
}
