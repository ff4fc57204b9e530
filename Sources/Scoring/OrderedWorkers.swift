import Dispatch
import Model

/// `threads` workers that run `work` on each submitted job and hand the results back in
/// submission order, as values.
///
/// `submit` never blocks; the caller keeps at most `capacity` jobs submitted and not yet
/// taken back with `next`.
package final class OrderedWorkers<Job: Sendable, Result: Sendable>: Sendable {
    package let capacity: Int
    /// Jobs no worker has taken yet, with their sequence numbers, and whether `finish` was called.
    private let queue = Locked<(jobs: [(Int, Job)], finished: Bool)>(([], false))
    /// Results not yet taken back, by sequence number.
    private let results = Locked<[Int: Result]>([:])
    private let available = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let stopped = DispatchGroup()
    private let threads: Int
    private let submitted = Locked(0)
    private let taken = Locked(0)

    package init(threads: Int, capacity: Int, work: @escaping @Sendable (Job) -> Result) {
        self.capacity = capacity
        self.threads = max(1, threads)
        for worker in 0..<self.threads {
            stopped.enter()
            // A serial queue of its own per worker: such queues run on overcommit threads, so
            // a worker that waits for jobs never holds back another pool's workers (the global
            // concurrent queue gives blocked work at most one thread a core).
            DispatchQueue(label: "annotate.worker.\(worker)").async { [self] in
                while let (sequence, job) = nextJob() {
                    let result = work(job)
                    results.withLock { $0[sequence] = result }
                    done.signal()
                }
                stopped.leave()
            }
        }
    }

    /// Jobs submitted and not yet taken back.
    package var inFlight: Int { submitted.withLock { $0 } - taken.withLock { $0 } }

    package func submit(_ job: Job) {
        let sequence = submitted.withLock { count in
            defer { count += 1 }
            return count
        }
        queue.withLock { $0.jobs.append((sequence, job)) }
        available.signal()
    }

    /// The result of the oldest job not yet taken back; with `waiting`, blocks until it is
    /// ready, else nil when it is not. Nil when nothing is in flight.
    package func next(waiting: Bool) -> Result? {
        let sequence = taken.withLock { $0 }
        guard sequence < submitted.withLock({ $0 }) else { return nil }
        while true {
            if let result = results.withLock({ $0.removeValue(forKey: sequence) }) {
                taken.withLock { $0 += 1 }
                return result
            }
            guard waiting else { return nil }
            // Each finished job signals once; a signal for a later job only means looking again.
            done.wait()
        }
    }

    /// The next job to run, or nil once `finish` was called and the queue is empty.
    private func nextJob() -> (Int, Job)? {
        while true {
            available.wait()
            let job = queue.withLock { state -> (Int, Job)?? in
                if !state.jobs.isEmpty { return .some(state.jobs.removeFirst()) }
                return state.finished ? .some(nil) : nil
            }
            if let job { return job }
        }
    }

    /// Lets the workers run what is queued, then stop; waits for them.
    package func finish() {
        let first = queue.withLock { state -> Bool in
            defer { state.finished = true }
            return !state.finished
        }
        guard first else { return }
        for _ in 0..<threads { available.signal() }
        stopped.wait()
    }
}
