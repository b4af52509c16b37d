#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Persistent helper threads for the engine's passes: a pass hands its workers `1..<n` to
/// helpers that wait between passes, and runs worker 0 itself (and any worker no helper has
/// taken by then).
///
/// `DispatchQueue.concurrentPerform` allocates on every call on Linux; this does not, once
/// its helpers exist (they are started the first time a pass wants that many). One pass runs
/// at a time; passes from other threads wait their turn (the pool's workers are the
/// machine's cores, not one caller's).
///
/// Hand-off and completion go through atomics, and each side spins on them for a bounded
/// time (`spinNanoseconds`) before it blocks on a condition variable. A forward pass is two
/// pool passes a few microseconds apart, and waking a blocked thread costs tens of
/// microseconds (a futex wake, and in a VM an interrupt to an idle virtual CPU). Measured
/// with two cores: r50-g4's per-channel forward pass took 0.64 ms with two threads when the
/// helper slept between its two jobs, 0.51 ms with the spin (1.0 ms with one thread); and a
/// 128K-unit multiply ran no faster on two threads than on one. After the spin both sides
/// block, so an idle pool costs no CPU.
final class WorkerPool: @unchecked Sendable {
    /// A worker's body: `context` points at the pass's state, `index` is the worker.
    typealias Body = @convention(c) (UnsafeRawPointer, Int) -> Void

    /// The process's pool.
    static let shared = WorkerPool()

    /// How long a helper looks for the next pass, and the caller for its helpers' end,
    /// before blocking. Long enough to span the gap between a forward pass's two pool passes
    /// and the rest of a helper's share; short enough that a pool idle between forward
    /// passes gives its core back at once.
    static let defaultSpinNanoseconds = 50_000

    /// The current pass, in one word so that a worker index is claimed for one pass only:
    /// the pass's number in the high 32 bits, the workers not yet claimed in the low 32.
    /// A claim takes index `unclaimed` and leaves `unclaimed - 1`; worker 0 is the caller's.
    private let ticket = Atomic<UInt64>(0)
    /// Claimed workers of the current pass (indices 1...) that have not finished yet.
    private let outstanding = Atomic<Int>(0)
    /// Helpers blocked (or about to block) on `wake`.
    private let sleepers = Atomic<Int>(0)
    /// Whether the caller is blocked (or about to block) on `done`.
    private let callerSleeps = Atomic<Bool>(false)
    /// Helpers that have started, which numbers them.
    private let startedHelpers = Atomic<Int>(0)

    private let spinNanoseconds: Int
    private let passLock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Only for blocking: the atomics carry the state, this orders sleeping against waking.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `passLock`.
    private var helpers = 0
    private var pass: UInt64 = 0
    // Written by the caller before it publishes a pass (`ticket`), read by a helper after it
    // has claimed a worker of that pass, which keeps the pass from ending until it reports.
    private var body: Body?
    private var context: UnsafeRawPointer?

    /// A pool whose threads spin `spinNanoseconds` before blocking (tests use 0, so that
    /// every hand-off goes through the condition variables).
    init(spinNanoseconds: Int = WorkerPool.defaultSpinNanoseconds) {
        self.spinNanoseconds = spinNanoseconds
        pthread_mutex_init(passLock, nil)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
    }

    /// Runs `body(context, i)` for every `i` in `0..<workers`, on this thread and helpers,
    /// and returns when all have finished.
    func run(workers: Int, context: UnsafeRawPointer, body: Body) {
        guard workers > 1 else {
            body(context, 0)
            return
        }
        precondition(workers <= Int(UInt32.max), "too many workers for one pass")
        pthread_mutex_lock(passLock)
        defer { pthread_mutex_unlock(passLock) }
        // A helper that cannot start (a thread limit, no memory for its stack) leaves its
        // workers to the caller, which runs every worker no helper claims.
        while helpers < workers - 1 && startHelper() {
            helpers += 1
        }
        self.body = body
        self.context = context
        pass &+= 1
        outstanding.store(workers - 1, ordering: .relaxed)
        // Sequentially consistent with the helpers' `sleepers` increment: either this sees a
        // helper going to sleep, or that helper sees the pass.
        ticket.store(pass << 32 | UInt64(workers - 1), ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(lock)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(lock)
        }

        body(context, 0)
        // Workers no helper has taken yet (a busy machine) run here rather than wait.
        while let index = claim() { finish(index, body: body, context: context) }
        waitForHelpers()
        self.body = nil
        self.context = nil
    }

    /// Claims a worker of the current pass; nil when every one is taken.
    private func claim() -> Int? {
        var current = ticket.load(ordering: .acquiring)
        while current & 0xFFFF_FFFF != 0 {
            let (exchanged, original) = ticket.weakCompareExchange(
                expected: current, desired: current - 1, successOrdering: .acquiring, failureOrdering: .acquiring)
            if exchanged { return Int(current & 0xFFFF_FFFF) }
            current = original
        }
        return nil
    }

    /// Runs a claimed worker and reports it; the last one wakes a blocked caller.
    private func finish(_ index: Int, body: Body, context: UnsafeRawPointer) {
        body(context, index)
        if outstanding.subtract(1, ordering: .sequentiallyConsistent).newValue == 0
            && callerSleeps.load(ordering: .sequentiallyConsistent) {
            pthread_mutex_lock(lock)
            pthread_cond_signal(done)
            pthread_mutex_unlock(lock)
        }
    }

    /// Returns when every claimed worker has finished: spins, then blocks.
    private func waitForHelpers() {
        if spin(spinNanoseconds, until: { outstanding.load(ordering: .acquiring) == 0 }) { return }
        pthread_mutex_lock(lock)
        callerSleeps.store(true, ordering: .sequentiallyConsistent)
        while outstanding.load(ordering: .sequentiallyConsistent) != 0 { pthread_cond_wait(done, lock) }
        callerSleeps.store(false, ordering: .relaxed)
        pthread_mutex_unlock(lock)
    }

    /// Whether `ready` became true within `nanoseconds` (checked at least once).
    ///
    /// No pause hint between loads: Swift has none, and on a core without a hyperthread
    /// sibling it would only save power.
    @inline(__always)
    private func spin(_ nanoseconds: Int, until ready: () -> Bool) -> Bool {
        if ready() { return true }
        guard nanoseconds > 0 else { return false }
        let deadline = Self.now() + nanoseconds
        while true {
            // The clock costs more than a load: look at it every few rounds.
            for _ in 0..<64 where ready() { return true }
            if Self.now() >= deadline { return ready() }
            // Lets the thread we wait for run if it shares this core: a helper woken by a
            // pass is sometimes placed on the caller's core and, spinning there, held the
            // caller off for the whole spin (measured: a pass after an idle millisecond took
            // 67 us instead of 17 on 128K units).
            sched_yield()
        }
    }

    /// Monotonic time in nanoseconds.
    private static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }

    /// Starts one helper (allocates: only when the pool grows); false when the system will
    /// not start a thread. The helper keeps the pool alive: helpers never exit, so a pool,
    /// once it has one, lives as long as the process.
    private func startHelper() -> Bool {
        let pool = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { argument in
            if let argument { Unmanaged<WorkerPool>.fromOpaque(argument).takeRetainedValue().helperLoop() }
            return nil
        }, pool)
        guard started == 0 else {
            Unmanaged<WorkerPool>.fromOpaque(pool).release()
            return false
        }
        pthread_detach(thread)
        #else
        var thread: pthread_t?
        let started = pthread_create(&thread, nil, { argument in
            Unmanaged<WorkerPool>.fromOpaque(argument).takeRetainedValue().helperLoop()
            return nil
        }, pool)
        guard started == 0 else {
            Unmanaged<WorkerPool>.fromOpaque(pool).release()
            return false
        }
        if let thread { pthread_detach(thread) }
        #endif
        return true
    }

    /// A helper: waits for a pass with unclaimed workers, claims one, runs it, repeats.
    ///
    /// Only as many helpers spin as there are other cores: more would take the caller's
    /// core while it runs worker 0, so the rest block at once.
    private func helperLoop() {
        let number = startedHelpers.add(1, ordering: .relaxed).oldValue
        let spinNanoseconds = number < ForwardOptions.allCores - 1 ? self.spinNanoseconds : 0
        while true {
            waitForWork(spinNanoseconds: spinNanoseconds)
            guard let index = claim() else { continue }
            // The claim keeps this pass alive, so its body and context are still the ones set.
            guard let body, let context else { preconditionFailure("a claimed pass has no body") }
            finish(index, body: body, context: context)
        }
    }

    /// Returns when a pass has an unclaimed worker: spins, then blocks.
    private func waitForWork(spinNanoseconds: Int) {
        if spin(spinNanoseconds, until: { ticket.load(ordering: .relaxed) & 0xFFFF_FFFF != 0 }) { return }
        pthread_mutex_lock(lock)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while ticket.load(ordering: .sequentiallyConsistent) & 0xFFFF_FFFF == 0 { pthread_cond_wait(wake, lock) }
        sleepers.subtract(1, ordering: .relaxed)
        pthread_mutex_unlock(lock)
    }
}

/// A pass's work for `WorkerPool`: a value whose `run(worker:)` does worker `worker`'s
/// share, with a C-convention entry that finds the value by address (a closure would be
/// allocated when handed to another thread).
protocol PassJob {
    /// Does worker `worker`'s share of the pass.
    func run(worker: Int)
    /// Calls `run(worker:)` on the value at `context`.
    static var body: WorkerPool.Body { get }
}
