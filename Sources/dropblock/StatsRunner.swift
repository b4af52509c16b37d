import DropBlock
import Foundation

/// Makes `dropblock stats`' rows on several threads. Rows are independent (each study draws
/// from its own seeded streams), so each is made whole on one thread and put in its own place:
/// the table is the same, row for row and digit for digit, whatever the thread count. Threads
/// take the next row as they finish one, since rows differ a thousandfold in cost.
final class StatsRunner: @unchecked Sendable {
    /// One row to make: the study's arguments, and the arrays the row stands for.
    struct Job: Sendable {
        let preset: Preset
        let spatial: [Int]
        let blockSize: Int
        let dropProb: Double
        let stage: String?
        let sameSize: [String]
    }

    private let jobs: [Job]
    private let samples: Int, seed: UInt64
    // Guarded by `lock`: the next job to take, the rows made, and the progress line.
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var rows: [StatsRow?]
    private var progress: StatsProgress

    /// A runner for `jobs`, each measured with `samples` draws of `seed`, reporting to `progress`.
    init(jobs: [Job], samples: Int, seed: UInt64, progress: StatsProgress) {
        (self.jobs, self.samples, self.seed) = (jobs, samples, seed)
        self.progress = progress
        rows = Array(repeating: nil, count: jobs.count)
    }

    /// Every row, in the jobs' order, made on up to `threads` threads.
    func run(threads: Int) -> [StatsRow] {
        let workers = max(1, min(threads, jobs.count))
        // Threads left over (fewer rows than threads) go to each row's passes.
        let inner = max(1, threads / workers)
        if workers == 1 {
            work(threads: inner)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in self.work(threads: inner) }
        }
        progress.finish()
        return rows.compactMap { $0 }
    }

    /// Takes jobs until none is left, each row's passes on `threads` threads.
    private func work(threads: Int) {
        while let index = take() {
            let job = jobs[index]
            let study = DropRateStudy(preset: job.preset, spatial: job.spatial, blockSize: job.blockSize, dropProb: job.dropProb,
                                      samples: samples, seed: seed, stage: job.stage, threads: threads)
            let row = StatsRow(study: study, sameSize: job.sameSize)
            lock.lock()
            rows[index] = row
            done += 1
            progress.update(done: done)
            lock.unlock()
        }
    }

    private func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < jobs.count else { return nil }
        next += 1
        return next - 1
    }
}
