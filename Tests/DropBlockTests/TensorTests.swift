import AllocationCounter
import DropBlock
import Testing

@Suite("Tensor: storage always agrees with shape")
struct TensorTests {
    /// `storage` is read-only from outside (a `storage.append` no longer compiles); these
    /// are the ways to change elements, and none can change their number.
    @Test("elements change through the subscript and the buffer, never the count")
    func safeMutation() throws {
        var t = try Tensor(shape: [2, 3], repeating: 0)
        t[4] = 7
        #expect(t[4] == 7 && t.storage[4] == 7)
        t.withUnsafeMutableBufferPointer { buffer in
            #expect(buffer.count == 6)
            for i in buffer.indices { buffer[i] += Float(i) }
        }
        #expect(t.storage == [0, 1, 2, 3, 11, 5])
        #expect(t.withUnsafeBufferPointer { $0.reduce(0, +) } == 22)
        #expect(t.count == t.shape.reduce(1, *))

        // An empty tensor hands out an empty buffer, not a dangling one.
        var empty = try Tensor(shape: [0, 4])
        empty.withUnsafeMutableBufferPointer { #expect($0.isEmpty) }
    }
}

/// Eval and p == 0 return the input; they must not build an output (or a byte mask) that is
/// then thrown away. Watched through the largest allocation the calling thread makes.
@Suite("The identity allocates no output", .enabled(if: allocation_counter_available() != 0))
struct IdentityAllocationTests {
    @Test("eval and p = 0: no allocation as large as the input; results unchanged", arguments: [false, true])
    func identity(eval: Bool) throws {
        // 16 channels share one mask: the keep mask is 1/16 of the input.
        let x = try Tensor(shape: [2, 16, 64, 64], repeating: 0.5)
        let layer = DropBlock2D(parameters: DropBlockParameters(dropProb: eval ? 0.3 : 0, blockSize: 5, isTraining: !eval))
        allocation_counter_start()
        let result = try layer.forward(x, seed: 3, options: ForwardOptions(recordSeeds: true, threads: 1))
        _ = allocation_counter_stop()
        let largest = allocation_counter_largest()
        let inputBytes = x.count * MemoryLayout<Float>.size
        #expect(largest > 0, "the counter saw the keep mask being made")
        #expect(largest < inputBytes / 4, "largest allocation \(largest) bytes for a \(inputBytes)-byte input")
        #expect(result.output == x && result.isIdentity)
        #expect(result.keepMask.shape == [2, 1, 64, 64] && result.keepMask.storage.allSatisfy { $0 == 1 })
        #expect(result.seedMask?.shape == [2, 1, 64, 64] && result.seedMask?.storage.allSatisfy { $0 == 0 } == true)
        #expect(result.summary.gamma == 0 && result.scale == 1 && result.seedCount == 0 && result.droppedFraction == 0)
    }
}
