import DropBlock
import Testing

/// A pass in place gives the same bits as the pass into another buffer, for every kind of
/// value a float can hold (signed zeros, NaN, infinities, products that overflow), sparse and
/// dense masks, 2D and 3D, one and two workers, and a workspace reused across draws (maps
/// whose state changes between draws). (Written for an in-place pass that zeroed dropped units
/// while building masks, measured slower and dropped: it caught both of that pass's breaks.)
@Suite("In place and into a buffer agree bit for bit on every kind of value")
struct InPlaceBitsTests {
    /// Signs, zeros, NaN, infinities, the largest finite values (whose product with a scale
    /// above 1 overflows) and a subnormal, in a cycle that is not a multiple of a map's row.
    static let specials: [Float] = [1.5, -2.25, 0, -0.0, .nan, .infinity, -.infinity, .greatestFiniteMagnitude,
                                    -.greatestFiniteMagnitude, 1e-40, -7, 3.25, 0.125]

    static func input(shape: [Int]) throws -> Tensor {
        let count = shape.reduce(1, *)
        return try Tensor(shape: shape, storage: (0..<count).map { specials[($0 * 7 + $0 / 5) % specials.count] })
    }

    static func bits(_ tensor: Tensor) -> [UInt32] {
        tensor.withUnsafeBufferPointer { $0.map(\.bitPattern) }
    }

    /// Runs `layer` in place and into a buffer for draws 0..<draws on one workspace each;
    /// returns the number of draws checked.
    static func compare(_ layer: some DropBlockLayer, input: Tensor, draws: Int, threads: Int = 1) throws -> Int {
        var inPlaceSpace = DropBlockWorkspace(), intoSpace = DropBlockWorkspace()
        inPlaceSpace.minimumUnitsPerWorker = 64
        intoSpace.minimumUnitsPerWorker = 64
        var checked = 0
        for draw in 0..<draws {
            var x = input, output = try Tensor(shape: input.shape)
            var a = SeededGenerator(seed: UInt64(draw)), b = SeededGenerator(seed: UInt64(draw))
            let inPlace = try layer.forward(inPlace: &x, generator: &a, workspace: &inPlaceSpace, threads: threads)
            let into = try layer.forward(input, into: &output, generator: &b, workspace: &intoSpace, threads: threads)
            #expect(inPlace.scale == into.scale && inPlace.seedCount == into.seedCount)
            #expect(inPlaceSpace.keepMask() == intoSpace.keepMask(), "draw \(draw)")
            let got = bits(x), want = bits(output)
            let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(first == nil, "draw \(draw): unit \(first?.offset ?? -1) is \(first.map { Float(bitPattern: $0.element.0) } ?? 0), not \(first.map { Float(bitPattern: $0.element.1) } ?? 0)")
            checked += 1
        }
        return checked
    }

    @Test("2D, every per-channel preset, sparse and dense masks, one and two workers",
          arguments: [Preset.torchvision, .tf, .kerascv, .timm, .dropblock], [(0.1, 3), (0.9, 3), (0.5, 7), (0.3, 1), (0.5, 15)])
    func twoD(preset: Preset, setting: (Double, Int)) throws {
        let layer = DropBlock2D(dropProb: setting.0, blockSize: setting.1, preset: preset)
        let input = try Self.input(shape: [2, 6, 15, 15])
        #expect(try Self.compare(layer, input: input, draws: 6) == 6)
        #expect(try Self.compare(layer, input: input, draws: 3, threads: 2) == 3)
    }

    @Test("3D, sparse and dense", arguments: [(0.1, 3), (0.8, 3), (0.4, 5)])
    func threeD(setting: (Double, Int)) throws {
        let layer = DropBlock3D(dropProb: setting.0, blockSize: setting.1, preset: .torchvision)
        #expect(try Self.compare(layer, input: try Self.input(shape: [2, 3, 6, 8, 8]), draws: 4) == 4)
    }
}
