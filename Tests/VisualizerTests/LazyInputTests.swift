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

    /// `values` held whole, and decoded a sample at a time with each decode recorded in `counter`.
    static func inputs(shape: [Int], values: [Float], counter: Counter) throws -> (whole: VizInput, lazy: VizInput) {
        let whole = try VizInput(name: "x", tensor: try Tensor(shape: shape, storage: values))
        let sampleSize = shape.dropFirst().reduce(1, *)
        let lazy = try VizInput(name: "x", shape: shape, nonFiniteCount: whole.nonFiniteCount, hasNegative: whole.hasNegative) { n in
            counter.record(n)
            return Array(values[(n * sampleSize)..<((n + 1) * sampleSize)])
        }
        return (whole, lazy)
    }

    /// Expects models of `whole` and `lazy` to draw the same frames after each of `actions`;
    /// returns the lazy input's model.
    @discardableResult
    static func sameFrames(_ whole: VizInput, _ lazy: VizInput, seed: UInt64, after actions: [VizAction],
                           width: Int, height: Int) throws -> VizModel {
        let params = DropBlockParameters(dropProb: 0.2, blockSize: 3)
        var a = try VizModel(input: whole, parameters: params, seed: seed)
        var b = try VizModel(input: lazy, parameters: params, seed: seed)
        let renderer = FrameRenderer(tier: .ascii)
        for action in actions {
            a.apply(action)
            b.apply(action)
            #expect(renderer.render(a, width: width, height: height).cells == renderer.render(b, width: width, height: height).cells,
                    "\(action)")
        }
        return b
    }

    @Test("frames, samples and the whole tensor equal the in-memory input's; only shown samples are decoded")
    func samewise() throws {
        let shape = [4, 3, 12, 12]
        var values = (0..<shape.reduce(1, *)).map { Float(($0 * 31) % 97) / 48 - 0.5 }
        values[100] = .nan
        let counter = Counter()
        let (whole, lazy) = try Self.inputs(shape: shape, values: values, counter: counter)
        try Self.sameFrames(whole, lazy, seed: 4, after: [.newDraw, .nextSample, .nextSample, .previousSample, .nextChannel, .toggleGrid],
                            width: 160, height: 50)
        #expect(Set(counter.samples) == [0, 1, 2], "decoded only the samples shown: \(counter.samples)")
        // Bit patterns: the NaN is equal to itself there.
        #expect(lazy.tensor.storage.map(\.bitPattern) == whole.tensor.storage.map(\.bitPattern) && lazy.tensor.shape == whole.tensor.shape)
        #expect(whole.nonFiniteCount == 1 && whole.hasNegative, "the counts the lazy input is given")
        #expect(lazy.sample(3) == whole.sample(3))
    }

    /// The stages view of a single array shows the main screen's draw; it used to decode every
    /// sample of the file to build "this array" as a stage, on every frame (a 103 MB file:
    /// 0.69 s and 233 MB a frame, against 0.04 s and 30 MB for the main screen).
    @Test("the stages view of a file read a sample at a time decodes the shown sample only, and matches the whole input's")
    func stagesDecodeTheShownSample() throws {
        let shape = [4, 2, 10, 10]
        let values = (0..<shape.reduce(1, *)).map { Float(($0 * 13) % 29) / 29 }
        let counter = Counter()
        let (whole, lazy) = try Self.inputs(shape: shape, values: values, counter: counter)
        let b = try Self.sameFrames(whole, lazy, seed: 2, after: [.nextSample, .toggleStages, .newDraw, .blockSizeUp], width: 120, height: 40)
        #expect(b.activeScreen.kind == .stages)
        #expect(Set(counter.samples) == [0, 1], "decoded only the samples shown: \(counter.samples)")
        let rows = StagesScreen.rows(model: b)
        #expect(rows.count == 1 && rows[0].result?.output == b.view.result?.output, "the one row is the main screen's draw")
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
