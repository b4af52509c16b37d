import DropBlock
import Testing
@testable import Visualizer

/// Each preset's noise, cut from the shared field row by row, is the field value of the map
/// position every noise index names.
@Suite("Presets view noise")
struct PresetNoiseTests {
    /// Element by element: noise index `v` of map `m` takes the field at map position `v`.
    static func reference(plan: DropPlan, field: [Float], channel: Int, spatial: [Int]) -> [Float] {
        let shape = plan.noiseShape
        let noiseSpatial = Array(shape.suffix(spatial.count))
        let maps = shape.dropLast(spatial.count).reduce(1, *)
        let perMap = noiseSpatial.reduce(1, *), mapSize = spatial.reduce(1, *)
        var values = [Float](repeating: 1, count: maps * perMap)
        for m in 0..<maps {
            let source = (maps == 1 ? channel : m) * mapSize
            for index in 0..<perMap {
                var rest = index, position = 0, stride = 1
                for axis in (0..<spatial.count).reversed() {
                    position += (rest % noiseSpatial[axis]) * stride
                    rest /= noiseSpatial[axis]
                    stride *= spatial[axis]
                }
                values[m * perMap + index] = field[source + position]
            }
        }
        return values
    }

    @Test("2D and 3D, every preset, shared and per channel: the element-by-element noise", arguments: [2, 3, 4, 7])
    func rowsEqualElements(blockSize: Int) throws {
        let inputs = [try Fixtures.smallInput(height: 12, width: 9), try Fixtures.smallInput(), try SampleData.volumeDemo()]
        var checked = 0
        for input in inputs {
            var model = try VizModel(input: input, parameters: DropBlockParameters(dropProb: 0.3, blockSize: blockSize), seed: 5)
            model.apply(.nextChannel)
            let field = PresetComparison.uniformField(model: model)
            for preset in Preset.allCases {
                for sharing in [MaskSharing.shared, .perChannel] {
                    var parameters = model.parameters
                    parameters.preset = preset
                    parameters.sharing = sharing
                    guard let plan = try? VizModel.plan(input: input, parameters: parameters), !plan.isIdentity else { continue }
                    let noise = try PresetComparison.noiseTensor(plan: plan, field: field, channel: model.channel, spatial: input.spatial)
                    #expect(noise.shape == plan.noiseShape)
                    #expect(noise.storage == Self.reference(plan: plan, field: field, channel: model.channel, spatial: input.spatial),
                            "\(preset) \(sharing) \(input.shape) block \(blockSize)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 12)
    }
}
