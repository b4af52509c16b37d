import DropBlock
import FuzzSupport

/// One forward pass decoded from fuzzer bytes: a small 2D or 3D input, every parameter, and
/// either a seed or a replayed noise tensor. Sizes stay small (at most 4096 elements) so each
/// run takes well under a millisecond.
struct ForwardCase {
    static let maximumElements = 4096

    var is3D: Bool
    var shape: [Int]
    var parameters: DropBlockParameters
    var seed: UInt64
    var threads: Int
    var recordSeeds: Bool
    var replayNoise: Bool
    var input: Tensor

    /// Decodes a case, or nil when the sizes exceed the bound.
    init?(_ bytes: inout FuzzBytes) {
        let is3D = bytes.bool()
        self.is3D = is3D
        let spatialRank = is3D ? 3 : 2
        // Extents 0...24, with 0 rare: empty tensors are legal input.
        func extent(_ bytes: inout FuzzBytes, upTo limit: Int) -> Int {
            let raw = bytes.int(in: 0...(4 * limit))
            return raw == 0 ? 0 : 1 + raw % limit
        }
        var shape = [extent(&bytes, upTo: 3), extent(&bytes, upTo: 4)]
        for _ in 0..<spatialRank { shape.append(extent(&bytes, upTo: is3D ? 10 : 24)) }
        self.shape = shape
        guard shape.reduce(1, *) <= Self.maximumElements else { return nil }

        var parameters = DropBlockParameters()
        parameters.preset = bytes.pick(Preset.allCases)
        // Mostly small blocks; sometimes the CLI's largest, or far larger.
        let block = bytes.pick([1, 2, 3, 4, 5, 7, 9, 15, 24, 100_000, Int.max / 2, Int.max, 0, -3])
        parameters.blockSize = block < 100 ? block + bytes.int(in: 0...3) : FuzzSettings.avoidKnown ? min(block, 100_000) : block
        // Mostly a valid probability; sometimes an edge or an invalid one.
        switch bytes.byte() {
        case 0..<200: parameters.dropProb = Double(bytes.byte()) / 255
        case 200..<240: parameters.dropProb = bytes.pick([0, 1, 0.5, 1e-300, 1 - 1e-16, 0.999])
        default: parameters.dropProb = bytes.pick([-0.1, 1.5, .nan, .infinity])
        }
        parameters.isTraining = bytes.byte() >= 32
        parameters.sharing = bytes.pick(MaskSharing.allCases)
        parameters.calibrated = bytes.bool()
        parameters.timm = TimmOptions(
            gammaScale: bytes.pick([1, 0, 0.5, 2, 10, 1e300, -1, .nan]),
            coupleChannels: bytes.bool(), scaleByKeep: bytes.bool(), withNoise: bytes.bool())
        self.parameters = parameters
        seed = bytes.uint64()
        threads = bytes.int(in: 1...4)
        recordSeeds = bytes.bool()
        replayNoise = bytes.bool()
        let count = shape.reduce(1, *)
        var storage = [Float](repeating: 0, count: count)
        for i in 0..<count { storage[i] = bytes.remaining > 0 ? bytes.finiteFloat() : Float(i % 7) - 3 }
        guard let input = try? Tensor(shape: shape, storage: storage) else { return nil }
        self.input = input
    }

    /// The layer of the case's rank.
    var layer: any DropBlockLayer {
        is3D ? DropBlock3D(parameters: parameters) : DropBlock2D(parameters: parameters)
    }
}

extension ForwardCase: CustomStringConvertible {
    /// What `FUZZ_DESCRIBE=1` prints before a replayed input runs.
    var description: String {
        let p = parameters
        return "\(is3D ? "3D" : "2D") shape \(shape) preset \(p.preset) block \(p.blockSize) p \(p.dropProb) training \(p.isTraining) "
            + "sharing \(p.sharing.rawValue) calibrated \(p.calibrated) timm \(p.timm) seed \(seed) threads \(threads) "
            + "recordSeeds \(recordSeeds) replayNoise \(replayNoise)"
    }
}
