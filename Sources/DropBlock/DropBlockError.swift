import ShapeFormat

/// An error a user of the library can cause: bad parameters or input of the wrong shape.
public enum DropBlockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `drop_prob` outside `[0, 1]` or not finite.
    case invalidDropProbability(Double)
    /// A block size below 1.
    case invalidBlockSize(Int)
    /// timm's `gamma_scale` negative or not finite.
    case invalidGammaScale(Double)
    /// The input rank does not match the layer (4 for 2D, 5 for 3D).
    case wrongRank(expected: Int, shape: [Int])
    /// The preset has no implementation for this spatial rank (timm and tf are 2D only).
    case unsupportedRank(preset: Preset, spatialRank: Int)
    /// A zero-sized dimension in the input.
    case emptyDimension(shape: [Int])
    /// A negative dimension, or more elements than memory can address.
    case invalidShape([Int])
    /// A spatial axis longer than a seed position can hold (`SeedGeometry.maximumAxisLength`).
    case axisTooLong(extent: Int, limit: Int)
    /// A shape whose element count differs from the storage given.
    case storageMismatch(shape: [Int], count: Int)
    /// torchvision rejects an even block size after clipping to the map: `blockSize` as asked,
    /// `clipped` after clipping to the map's smallest side.
    case evenBlockSize(preset: Preset, blockSize: Int, clipped: Int)
    /// The TensorFlow reference supports square maps only.
    case nonSquareMap(height: Int, width: Int)
    /// An injected uniform draw whose shape is not the preset's noise shape.
    case noiseShapeMismatch(expected: [Int], got: [Int])
    /// A numbered draw whose index or sample numbers do not fit their streams (`SeedDraw`).
    case drawOutOfRange(String)
    /// An injected normal draw (timm's `with_noise` fill) whose shape is not the keep mask's.
    case normalNoiseShapeMismatch(expected: [Int], got: [Int])
    /// An injected normal draw for a layer that does not fill with noise (only timm with `withNoise` does).
    case normalNoiseWithoutWithNoise(preset: Preset)
    /// A scheduler with a negative step count or non-finite end points.
    case invalidSchedule(String)

    /// A one-line message naming what was wrong and the value given.
    public var description: String {
        switch self {
        case .invalidDropProbability(let p):
            return "drop probability must be a finite number in [0, 1], got \(p)"
        case .invalidBlockSize(let bs):
            return "block size must be at least 1, got \(bs)"
        case .invalidGammaScale(let g):
            return "gamma scale must be a finite number >= 0, got \(g)"
        case .wrongRank(let expected, let shape):
            return "expected a rank-\(expected) input \(expected == 4 ? "(N, C, H, W)" : "(N, C, D, H, W)"), got shape \(Self.format(shape))"
        case .unsupportedRank(let preset, let rank):
            return "preset \(preset.rawValue) supports \(preset.supportedSpatialRanks.map { "\($0)D" }.joined(separator: " and ")) input only, not \(rank)D"
        case .emptyDimension(let shape):
            return "input has a zero-sized dimension: shape \(Self.format(shape))"
        case .invalidShape(let shape):
            return "invalid shape \(Self.format(shape)): negative dimension or too many elements"
        case .axisTooLong(let extent, let limit):
            return "a spatial axis of \(extent) units is longer than the supported maximum of \(limit)"
        case .storageMismatch(let shape, let count):
            return "shape \(Self.format(shape)) needs \((try? Tensor.elementCount(of: shape)).map(String.init) ?? "?") elements, got \(count)"
        case .evenBlockSize(let preset, let blockSize, let clipped):
            guard blockSize != clipped else { return "\(preset.rawValue) needs an odd block size, got \(blockSize): use \(blockSize - 1)" }
            // Round 25: "the block size clipped to the map is 8" did not say why 9 became 8.
            return "\(preset.rawValue) clips block \(blockSize) to the map's smallest side, \(clipped), and needs an odd block size: "
                + "use \(clipped - 1) or less"
        case .nonSquareMap(let h, let w):
            return "the tf preset supports square maps only, got \(ShapeText.size([h, w]))"
        case .noiseShapeMismatch(let expected, let got):
            return "noise must have shape \(Self.format(expected)), got \(Self.format(got))"
        case .drawOutOfRange(let why):
            return "draw out of range: \(why)"
        case .normalNoiseShapeMismatch(let expected, let got):
            return "normal noise must have the keep mask's shape \(Self.format(expected)), got \(Self.format(got))"
        case .normalNoiseWithoutWithNoise(let preset):
            return "a normal-noise draw is used only by the timm preset with with_noise on, not by \(preset.rawValue)\(preset.rules.readsTimmOptions ? " without it" : "")"
        case .invalidSchedule(let why):
            return "invalid schedule: \(why)"
        }
    }

    static func format(_ shape: [Int]) -> String { ShapeText.tuple(shape) }
}
