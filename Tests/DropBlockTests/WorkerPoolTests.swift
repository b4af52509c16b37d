@testable import DropBlock
import Foundation
import Testing

/// The pool's contract: every worker of a pass runs exactly once, worker 0 on the calling
/// thread, and `run` returns only after all have finished; also with several callers at once,
/// and with no spinning, where every hand-off goes through the condition variables.
@Suite("Worker pool", .timeLimit(.minutes(1)))
struct WorkerPoolTests {
    /// One pass's record: how often each worker ran, and whether worker 0 ran on the caller.
    /// Each worker writes only its own slot, and the caller reads them after `run` returns.
    struct Tally {
        let runs: UnsafeMutablePointer<Int>
        let caller: pthread_t
        let workers: Int
        let workerZeroOnCaller: UnsafeMutablePointer<Bool>

        static let body: WorkerPool.Body = { context, worker in
            let tally = context.assumingMemoryBound(to: Tally.self).pointee
            precondition(worker >= 0 && worker < tally.workers, "worker \(worker) out of range")
            tally.runs[worker] += 1
            if worker == 0 { tally.workerZeroOnCaller.pointee = pthread_equal(pthread_self(), tally.caller) != 0 }
        }
    }

    /// Runs `passes` passes of `workers` on `pool`; returns each worker's run count (every
    /// one should be `passes`) and whether worker 0 always ran on this thread.
    static func runPasses(_ pool: WorkerPool, workers: Int, passes: Int) -> (runs: [Int], workerZeroOnCaller: Bool) {
        let runs = UnsafeMutablePointer<Int>.allocate(capacity: workers)
        runs.initialize(repeating: 0, count: workers)
        let onCaller = UnsafeMutablePointer<Bool>.allocate(capacity: 1)
        defer {
            runs.deallocate()
            onCaller.deallocate()
        }
        var always = true
        let tally = Tally(runs: runs, caller: pthread_self(), workers: workers, workerZeroOnCaller: onCaller)
        for _ in 0..<passes {
            onCaller.pointee = false
            withUnsafePointer(to: tally) { pool.run(workers: workers, context: UnsafeRawPointer($0), body: Tally.body) }
            always = always && onCaller.pointee
        }
        return (Array(UnsafeBufferPointer(start: runs, count: workers)), always)
    }

    @Test("every worker runs once per pass", arguments: [0, WorkerPool.defaultSpinNanoseconds], [1, 2, 3, 5])
    func everyWorkerOnce(spin: Int, workers: Int) {
        let pool = WorkerPool(spinNanoseconds: spin)
        let (runs, onCaller) = Self.runPasses(pool, workers: workers, passes: 500)
        #expect(runs == [Int](repeating: 500, count: workers))
        #expect(onCaller)
    }

    @Test("passes after the helpers have blocked", arguments: [0, WorkerPool.defaultSpinNanoseconds])
    func afterIdle(spin: Int) {
        let pool = WorkerPool(spinNanoseconds: spin)
        var totals = [0, 0]
        for _ in 0..<5 {
            let (runs, _) = Self.runPasses(pool, workers: 2, passes: 3)
            totals = zip(totals, runs).map { $0 + $1 }
            // Long past any spin: the helper is blocked when the next pass starts. (Not a timed
            // assertion: the counts are right however long the helper takes to wake.)
            usleep(2_000)
        }
        #expect(totals == [15, 15])
    }

    @Test("several callers at once", arguments: [0, WorkerPool.defaultSpinNanoseconds])
    func severalCallers(spin: Int) {
        let pool = WorkerPool(spinNanoseconds: spin)
        let callers = 4, workers = [2, 3, 2, 4]
        let results = UnsafeMutablePointer<(runs: [Int], workerZeroOnCaller: Bool)>.allocate(capacity: callers)
        results.initialize(repeating: ([], false), count: callers)
        defer {
            results.deinitialize(count: callers)
            results.deallocate()
        }
        let address = UInt(bitPattern: results)
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            let slot = UnsafeMutablePointer<(runs: [Int], workerZeroOnCaller: Bool)>(bitPattern: address)
            slot?[caller] = Self.runPasses(pool, workers: workers[caller], passes: 200)
        }
        for caller in 0..<callers {
            #expect(results[caller].runs == [Int](repeating: 200, count: workers[caller]), "caller \(caller)")
            #expect(results[caller].workerZeroOnCaller, "caller \(caller)")
        }
    }
}
