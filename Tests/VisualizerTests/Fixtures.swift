import DropBlock
import Visualizer

/// Small deterministic inputs for the visualizer tests.
enum Fixtures {
    /// `(2, 3, 12, 12)`: smooth ramps and a bump, different per channel and sample.
    static func smallInput(height: Int = 12, width: Int = 12, channels: Int = 3) throws -> VizInput {
        var storage: [Float] = []
        for n in 0..<2 {
            for c in 0..<channels {
                for y in 0..<height {
                    for x in 0..<width {
                        let bump = Float(max(0, 6 - abs(x - width / 2) - abs(y - height / 2)))
                        storage.append(Float((x * (c + 1) + y * (n + 1)) % 13) / 12 + bump / 6)
                    }
                }
            }
        }
        return try VizInput(name: "fixture", tensor: Tensor(shape: [2, channels, height, width], storage: storage))
    }

    static func model(preset: Preset = .dropblock, blockSize: Int = 3, dropProb: Double = 0.2,
                      input: VizInput? = nil, schedule: Schedule? = nil) throws -> VizModel {
        try VizModel(input: input ?? smallInput(), parameters: DropBlockParameters(dropProb: dropProb, blockSize: blockSize, preset: preset),
                     seed: 7, schedule: schedule)
    }
}
