#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persistent helper threads for the engine's passes: a pass hands its workers `1..<n` to
/// helpers that wait between passes, and runs worker 0 itself (and any worker no helper has
/// taken by then).
///
/// `DispatchQueue.concurrentPerform` allocates on every call on Linux; this does not, once
/// its helpers exist (they are started the first time a pass wants that many). Hand-off and
/// completion go through one pthread mutex and two condition variables, which
/// ThreadSanitizer understands. One pass runs at a time; passes from other threads wait
/// their turn (the pool's workers are the machine's cores, not one caller's).
final class WorkerPool: @unchecked Sendable {
    /// A worker's body: `context` points at the pass's state, `index` is the worker.
    typealias Body = @convention(c) (UnsafeRawPointer, Int) -> Void

    /// The process's pool.
    static let shared = WorkerPool()

    private let passLock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `lock`.
    private var helpers = 0
    private var body: Body?
    private var context: UnsafeRawPointer?
    private var nextIndex = 0, workerCount = 0, running = 0

    private init() {
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
        pthread_mutex_lock(passLock)
        defer { pthread_mutex_unlock(passLock) }
        pthread_mutex_lock(lock)
        while helpers < workers - 1 {
            startHelper()
            helpers += 1
        }
        self.body = body
        self.context = context
        nextIndex = 1
        workerCount = workers
        running = workers - 1
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(lock)

        body(context, 0)

        pthread_mutex_lock(lock)
        // Workers no helper has taken yet (a busy machine) run here rather than wait.
        while nextIndex < workerCount {
            let index = nextIndex
            nextIndex += 1
            pthread_mutex_unlock(lock)
            body(context, index)
            pthread_mutex_lock(lock)
            running -= 1
        }
        while running > 0 { pthread_cond_wait(done, lock) }
        self.body = nil
        self.context = nil
        pthread_mutex_unlock(lock)
    }

    /// Starts one helper (allocates: only when the pool grows).
    private func startHelper() {
        let pool = Unmanaged.passUnretained(self).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { argument in
            if let argument { Unmanaged<WorkerPool>.fromOpaque(argument).takeUnretainedValue().helperLoop() }
            return nil
        }, pool)
        precondition(started == 0, "cannot start a worker thread (\(started))")
        pthread_detach(thread)
        #else
        var thread: pthread_t?
        let started = pthread_create(&thread, nil, { argument in
            Unmanaged<WorkerPool>.fromOpaque(argument).takeUnretainedValue().helperLoop()
            return nil
        }, pool)
        precondition(started == 0, "cannot start a worker thread (\(started))")
        if let thread { pthread_detach(thread) }
        #endif
    }

    /// A helper: takes the next worker index of the current pass, runs it, reports, repeats.
    private func helperLoop() {
        pthread_mutex_lock(lock)
        while true {
            while nextIndex >= workerCount { pthread_cond_wait(wake, lock) }
            let index = nextIndex
            nextIndex += 1
            guard let body, let context else { continue }
            pthread_mutex_unlock(lock)
            body(context, index)
            pthread_mutex_lock(lock)
            running -= 1
            if running == 0 { pthread_cond_signal(done) }
        }
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
