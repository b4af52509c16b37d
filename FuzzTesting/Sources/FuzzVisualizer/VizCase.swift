import DropBlock
import FuzzSupport
import Visualizer

/// A visualizer session decoded from fuzzer bytes: a small 2D or 3D input, the initial
/// parameters, then keys and terminal sizes (0x0, 1x1 up to the CLI's 1000x1000).
struct VizCase {
    static let maximumElements = 4096
    static let maximumKeys = 24

    var model: VizModel
    var steps: [Step]
    var tier: ColorTier

    /// A key, or a render at a terminal size.
    enum Step {
        case key(VizAction)
        case render(width: Int, height: Int)
    }

    /// Decodes a session, or nil when the input is too large or the model refuses it.
    init?(_ bytes: inout FuzzBytes) {
        let is3D = bytes.bool()
        let shape = [bytes.int(in: 1...2), bytes.int(in: 1...3)]
            + (is3D ? [bytes.int(in: 1...6)] : []) + [bytes.int(in: 1...24), bytes.int(in: 1...24)]
        let count = shape.reduce(1, *)
        guard count <= Self.maximumElements else { return nil }
        let values = (0..<count).map { i in bytes.remaining > 0 ? bytes.finiteFloat() : Float(i % 5) }
        guard let tensor = try? Tensor(shape: shape, storage: values),
              let input = try? VizInput(name: "fuzz", tensor: tensor) else { return nil }
        var parameters = DropBlockParameters()
        parameters.preset = bytes.pick(Preset.allCases)
        parameters.blockSize = bytes.int(in: 1...48)
        parameters.dropProb = Double(bytes.byte()) / 255
        parameters.calibrated = bytes.bool()
        parameters.sharing = bytes.pick(MaskSharing.allCases)
        let schedule = bytes.bool() ? try? Schedule(start: 0, stop: parameters.dropProb, steps: bytes.int(in: 1...20)) : nil
        guard let model = try? VizModel(input: input, parameters: parameters, seed: bytes.uint64(), schedule: schedule,
                                        channel: bytes.int(in: -1...4)) else { return nil }
        self.model = model
        tier = bytes.pick(ColorTier.allCases)
        let actions = KeyBindings.all.map(\.action) + [.tick]
        let sizes = [(0, 0), (1, 1), (40, 16), (39, 16), (80, 24), (120, 40), (200, 60), (1000, 1000), (1000, 1), (1, 1000)]
        steps = []
        var renders = 0
        while bytes.remaining > 0, steps.count < Self.maximumKeys {
            let b = bytes.byte()
            if b < 224 {
                steps.append(.key(actions[Int(b) % actions.count]))
            } else if renders < 2 {
                renders += 1
                let size = b < 240 ? sizes[Int(b - 224) % sizes.count] : (bytes.int(in: 0...300), bytes.int(in: 0...120))
                steps.append(.render(width: size.0, height: size.1))
            }
        }
        if renders == 0 { steps.append(.render(width: 80, height: 24)) }
    }
}

extension VizCase: CustomStringConvertible {
    /// What `FUZZ_DESCRIBE=1` prints before a replayed input runs.
    var description: String {
        let p = model.parameters
        let values = model.input.tensor.storage
        return "input \(model.input.tensor.shape) values \(values.min() ?? 0)...\(values.max() ?? 0) preset \(p.preset) "
            + "block \(p.blockSize) p \(p.dropProb) calibrated \(p.calibrated) sharing \(p.sharing.rawValue) tier \(tier) steps \(steps)"
    }
}
