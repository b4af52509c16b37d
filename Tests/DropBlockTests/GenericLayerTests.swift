import DropBlock
import Testing

/// `DropBlockND` takes its rank from the input and is the same layer as the 2D and 3D spellings.
@Suite("One entry point for any rank")
struct GenericLayerTests {
    @Test("DropBlockND gives what DropBlock2D / DropBlock3D give, for every preset and rank it supports",
          arguments: Preset.allCases)
    func sameAsFixedRank(preset: Preset) throws {
        let shapes = [[2, 3, 9, 9], [2, 2, 5, 9, 9]]
        for shape in shapes where preset.supportedSpatialRanks.contains(shape.count - 2) {
            let count = shape.reduce(1, *)
            let x = try Tensor(shape: shape, storage: (0..<count).map { Float($0 % 17) - 8 })
            var parameters = DropBlockParameters(dropProb: 0.3, blockSize: 3, preset: preset)
            parameters.calibrated = preset == .timm
            let generic = try DropBlockND(parameters: parameters).forward(x, seed: 11)
            let fixed = shape.count == 4
                ? try DropBlock2D(parameters: parameters).forward(x, seed: 11)
                : try DropBlock3D(parameters: parameters).forward(x, seed: 11)
            #expect(generic.keepMask == fixed.keepMask && generic.output == fixed.output, "\(preset) \(shape)")
            #expect(generic.keepMask.storage.contains(0), "\(preset) \(shape): nothing dropped, the check would be vacuous")
            #expect(try DropBlockND(parameters: parameters).plan(for: shape).spatial.count == shape.count - 2)
        }
    }

    @Test("DropBlockND reports a rank its preset cannot run, or an input that is no feature map, clearly")
    func rankErrors() throws {
        let volume = try Tensor(shape: [1, 1, 3, 3, 3], repeating: 1)
        #expect(throws: DropBlockError.unsupportedRank(preset: .kerascv, spatialRank: 3)) {
            try DropBlockND(preset: .kerascv).forward(volume, seed: 1)
        }
        let flat = try Tensor(shape: [4, 5], repeating: 1)
        #expect(throws: DropBlockError.wrongRank(expected: 4, shape: [4, 5])) { try DropBlockND().forward(flat, seed: 1) }
        let line = try Tensor(shape: [1, 2, 5], repeating: 1)
        #expect(throws: DropBlockError.wrongRank(expected: 4, shape: [1, 2, 5])) { try DropBlockND().forward(line, seed: 1) }
        let hyper = try Tensor(shape: [1, 1, 2, 2, 2, 2], repeating: 1)
        #expect(throws: DropBlockError.unsupportedRank(preset: .dropblock, spatialRank: 4)) { try DropBlockND().forward(hyper, seed: 1) }
    }

    @Test("the fixed-rank spellings still reject the other rank")
    func fixedRanks() throws {
        #expect(DropBlock2D().spatialRank(for: [1, 1, 2, 3, 3]) == 2 && DropBlock3D().spatialRank(for: [1, 1, 3, 3]) == 3)
        #expect(DropBlockND().spatialRank(for: [1, 1, 2, 3, 3]) == 3 && DropBlockND().spatialRank(for: [1, 1, 3, 3]) == 2)
    }
}
