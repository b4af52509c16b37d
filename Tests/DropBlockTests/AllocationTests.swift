import AllocationCounter
import DropBlock
import Testing

#if DEBUG
private let optimisedBuild = false
#else
private let optimisedBuild = true
#endif

/// The buffer API's promise: with a reused workspace, a steady-state pass allocates nothing.
/// Counted by wrapping malloc in the test executable (glibc only), on the calling thread.
///
/// Optimised builds only: at -Onone the compiler boxes captured variables and closure
/// contexts that the optimiser keeps on the stack, so a debug pass allocates a few dozen
/// small blocks. `.ci/run` runs this suite with `swift test -c release`.
@Suite("Steady-state passes allocate nothing", .enabled(if: allocation_counter_available() != 0 && optimisedBuild))
struct AllocationTests {
    @Test("in place and into a buffer, every preset", arguments: Preset.allCases, [1, 2])
    func noAllocation(preset: Preset, threads: Int) throws {
        let shape = preset == .tf ? [4, 8, 12, 12] : [4, 8, 12, 10]
        let count = shape.reduce(1, *)
        var x = try Tensor(shape: shape, storage: (0..<count).map { Float($0 % 7) })
        var output = try Tensor(shape: shape)
        let layer = DropBlock2D(dropProb: 0.3, blockSize: 3, preset: preset)
        var generator = SeededGenerator(seed: 5)
        var workspace = DropBlockWorkspace()
        // Warm-up: the workspace grows to the shape once.
        _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: threads)
        _ = try layer.forward(x, into: &output, generator: &generator, workspace: &workspace, threads: threads)

        allocation_counter_start()
        for _ in 0..<5 {
            _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: threads)
            _ = try layer.forward(x, into: &output, generator: &generator, workspace: &workspace, threads: threads)
        }
        let allocations = allocation_counter_stop()
        #expect(allocations == 0, "\(allocations) allocations in 10 passes")
    }

    @Test("3D in place")
    func noAllocation3D() throws {
        var x = try Tensor(shape: [2, 3, 6, 7, 8], repeating: 1)
        let layer = DropBlock3D(dropProb: 0.2, blockSize: 3)
        var generator = SeededGenerator(seed: 9)
        var workspace = DropBlockWorkspace()
        _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: 1)
        allocation_counter_start()
        for _ in 0..<5 { _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: 1) }
        let allocations = allocation_counter_stop()
        #expect(allocations == 0, "\(allocations) allocations in 5 passes")
    }

    /// The counter itself must see an allocation, or a zero above would prove nothing.
    @Test("the counter sees an array being made")
    func counterWorks() {
        allocation_counter_start()
        let array = [Int](repeating: 3, count: 100)
        let allocations = allocation_counter_stop()
        #expect(array.count == 100)
        #expect(allocations >= 1)
    }
}
