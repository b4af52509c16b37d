import DropBlock
import Foundation
import Testing
@testable import Visualizer

/// A file's input decoded one sample at a time shows exactly what the whole tensor shows, and
/// decodes a sample only when the shown sample changes.
@Suite("Visualizer input decoded on demand")
struct LazyInputTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var loaded: [Int] = []
        func record(_ n: Int) { lock.lock(); loaded.append(n); lock.unlock() }
        var samples: [Int] { lock.lock(); defer { lock.unlock() }; return loaded }
    }

    @Test("frames, samples and the whole tensor equal the in-memory input's; only shown samples are decoded")
    func samewise() throws {
        let shape = [4, 3, 12, 12]
        var values = (0..<shape.reduce(1, *)).map { Float(($0 * 31) % 97) / 48 - 0.5 }
        values[100] = .nan
        let stored = values
        let whole = try VizInput(name: "x", tensor: try Tensor(shape: shape, storage: values))
        let counter = Counter()
        let sampleSize = shape.dropFirst().reduce(1, *)
        let lazy = try VizInput(name: "x", shape: shape, nonFiniteCount: 1, hasNegative: true) { n in
            counter.record(n)
            return Array(stored[(n * sampleSize)..<((n + 1) * sampleSize)])
        }
        let params = DropBlockParameters(dropProb: 0.2, blockSize: 3)
        var a = try VizModel(input: whole, parameters: params, seed: 4)
        var b = try VizModel(input: lazy, parameters: params, seed: 4)
        let renderer = FrameRenderer(tier: .ascii)
        for action in [VizAction.newDraw, .nextSample, .nextSample, .previousSample, .nextChannel, .toggleGrid] {
            a.apply(action)
            b.apply(action)
            #expect(renderer.render(a, width: 160, height: 50).cells == renderer.render(b, width: 160, height: 50).cells, "\(action)")
        }
        #expect(Set(counter.samples) == [0, 1, 2], "decoded only the samples shown: \(counter.samples)")
        // Bit patterns: the NaN is equal to itself there.
        #expect(lazy.tensor.storage.map(\.bitPattern) == whole.tensor.storage.map(\.bitPattern) && lazy.tensor.shape == whole.tensor.shape)
        #expect(lazy.nonFiniteCount == whole.nonFiniteCount && lazy.hasNegative == whole.hasNegative)
        #expect(lazy.sample(3) == whole.sample(3))
    }

    @Test("a loader that fails shows zeros, and bad shapes are refused")
    func failures() throws {
        struct Gone: Error {}
        let input = try VizInput(name: "x", shape: [2, 1, 4, 4], nonFiniteCount: 0, hasNegative: false) { _ in throw Gone() }
        #expect(input.sample(1).storage == [Float](repeating: 0, count: 16))
        #expect(throws: DropBlockError.self) { try VizInput(name: "x", shape: [4, 4], nonFiniteCount: 0, hasNegative: false) { _ in [] } }
        #expect(throws: DropBlockError.self) { try VizInput(name: "x", shape: [1, 0, 4, 4], nonFiniteCount: 0, hasNegative: false) { _ in [] } }
    }
}
