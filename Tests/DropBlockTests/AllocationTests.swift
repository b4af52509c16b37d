import AllocationCounter
import DropBlock
import Foundation
import Testing

#if DEBUG
private let optimisedBuild = false
#else
private let optimisedBuild = true
#endif

/// Allocations by every thread of the process while `body` runs, the fewest of `attempts`
/// windows. Other tests running at the same time allocate too, and would be counted; an
/// allocation that `body` itself makes shows in every window, so the minimum still sees it.
private func allocations(attempts: Int = 5, _ body: () throws -> Void) rethrows -> Int {
    var fewest = Int.max
    for _ in 0..<attempts where fewest > 0 {
        allocation_counter_start()
        defer { fewest = min(fewest, allocation_counter_stop()) }
        try body()
    }
    return fewest
}

/// Allocation counting. The counter is one process-wide window, so everything that opens one
/// lives in this serialized suite: two windows at once would reset and close each other.
@Suite("Allocation counting", .serialized, .enabled(if: allocation_counter_available() != 0))
struct AllocationTests {}

extension AllocationTests {
    /// The buffer API's promise: with a reused workspace, a steady-state pass allocates nothing,
    /// on the calling thread or on the engine's workers. Counted by wrapping malloc in the test
    /// executable (glibc only), across all threads.
    ///
    /// Optimised builds only: at -Onone the compiler boxes captured variables and closure
    /// contexts that the optimiser keeps on the stack, so a debug pass allocates a few dozen
    /// small blocks. `.ci/run` runs this suite with `swift test -c release`.
    @Suite("Steady-state passes allocate nothing", .enabled(if: optimisedBuild))
    struct SteadyState {
        /// Big enough for two workers at a threshold of 64K units each (set below), so that the
        /// two-thread cases really run worker threads.
        static let shape = [4, 8, 64, 64]

        @Test("in place and into a buffer, every preset", arguments: Preset.allCases, [1, 2])
        func noAllocation(preset: Preset, threads: Int) throws {
            let count = Self.shape.reduce(1, *)
            var x = try Tensor(shape: Self.shape, storage: (0..<count).map { Float($0 % 7) })
            var output = try Tensor(shape: Self.shape)
            let layer = DropBlock2D(dropProb: 0.3, blockSize: 3, preset: preset)
            var generator = SeededGenerator(seed: 5)
            var workspace = DropBlockWorkspace()
            workspace.minimumUnitsPerWorker = 1 << 16
            // Warm-up: the workspace grows to the shape once.
            _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: threads)
            _ = try layer.forward(x, into: &output, generator: &generator, workspace: &workspace, threads: threads)

            let counted = try allocations {
                for _ in 0..<5 {
                    _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: threads)
                    _ = try layer.forward(x, into: &output, generator: &generator, workspace: &workspace, threads: threads)
                }
            }
            // Threaded passes too: the engine's workers are persistent (`WorkerPool`), started
            // by the warm-up pass.
            #expect(counted == 0, "\(counted) allocations in 10 passes with \(threads) threads")
        }

        /// r50's last stage: 7x7 maps with bs 7, one mask per channel, where maps are dropped
        /// whole (the engine's batched loop lists changed maps in stack memory).
        @Test("maps dropped whole, per channel", arguments: [Preset.torchvision, .tf], [1, 2])
        func wholeMaps(preset: Preset, threads: Int) throws {
            let shape = [4, 512, 7, 7], count = shape.reduce(1, *)
            var x = try Tensor(shape: shape, storage: (0..<count).map { Float($0 % 7) })
            let layer = DropBlock2D(dropProb: 0.3, blockSize: 7, preset: preset)
            var generator = SeededGenerator(seed: 5)
            var workspace = DropBlockWorkspace()
            // Two workers on these 100K units when asked for two.
            workspace.minimumUnitsPerWorker = 1 << 15
            _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: threads)
            let counted = try allocations {
                for _ in 0..<5 { _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: threads) }
            }
            #expect(counted == 0, "\(counted) allocations in 5 passes with \(threads) threads")
        }

        @Test("3D in place")
        func noAllocation3D() throws {
            var x = try Tensor(shape: [2, 3, 6, 7, 8], repeating: 1)
            let layer = DropBlock3D(dropProb: 0.2, blockSize: 3)
            var generator = SeededGenerator(seed: 9)
            var workspace = DropBlockWorkspace()
            _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: 1)
            let counted = try allocations {
                for _ in 0..<5 { _ = try layer.forward(inPlace: &x, generator: &generator, workspace: &workspace, threads: 1) }
            }
            #expect(counted == 0, "\(counted) allocations in 5 passes")
        }
    }

    /// A zero above proves nothing unless the counter sees allocations, on this thread and on others.
    /// Any build: other tests' allocations can only raise the counts checked here.
    @Suite("The allocation counter")
    struct Counter {
        @Test("the counter sees an array being made")
        func counterWorks() {
            allocation_counter_start()
            let array = [Int](repeating: 3, count: 100)
            let allocations = allocation_counter_stop()
            #expect(array.count == 100)
            #expect(allocations >= 1)
        }

        /// Where another thread's 100 allocations go until they are freed after the window.
        struct Slots: @unchecked Sendable {
            let base: UnsafeMutablePointer<UnsafeMutableRawPointer?>
        }

        @Test("the counter sees allocations made on another thread")
        func counterSeesOtherThreads() {
            let slots = Slots(base: .allocate(capacity: 100))
            defer { slots.base.deallocate() }
            let go = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                go.wait()
                for i in 0..<100 { slots.base[i] = malloc(64) }
                done.signal()
            }
            allocation_counter_start()
            go.signal()
            done.wait()
            let allocations = allocation_counter_stop()
            for i in 0..<100 { free(slots.base[i]) }
            #expect(allocations >= 100, "\(allocations) counted")
        }
    }
}
