import Dispatch
import Synchronization

/// `threads` workers that take chunks in submission order and score them.
///
/// `submit` never blocks; the caller keeps at most `capacity` chunks submitted and not yet
/// written.
final class ScoringWorkers: @unchecked Sendable {
    let capacity: Int
    /// Submitted chunks no worker has taken yet (at most `capacity`), and whether `finish`
    /// was called. A taken chunk leaves the queue at once, so it is freed once written.
    private let queue = Mutex<(chunks: [Chunk], finished: Bool)>(([], false))
    private let available = DispatchSemaphore(value: 0)
    private let stopped = DispatchGroup()
    private let count: Int

    init(scan: GenomeScan, capacity: Int) {
        self.capacity = capacity
        let scorer = scan.scorer, options = scan.options, windowLength = scan.windowLength
        count = max(1, options.threads)
        for _ in 0..<count {
            stopped.enter()
            DispatchQueue.global().async { [self] in
                while let chunk = next() {
                    GenomeScan.score(chunk, scorer: scorer, options: options, precision: options.precision, windowLength: windowLength)
                    chunk.scoredSignal.signal()
                }
                stopped.leave()
            }
        }
    }

    func submit(_ chunk: Chunk) {
        queue.withLock { $0.chunks.append(chunk) }
        available.signal()
    }

    /// The next chunk to score, or nil once `finish` was called and the queue is empty.
    private func next() -> Chunk? {
        while true {
            available.wait()
            let chunk = queue.withLock { state -> Chunk?? in
                if !state.chunks.isEmpty { return .some(state.chunks.removeFirst()) }
                return state.finished ? .some(nil) : nil
            }
            if let chunk { return chunk }
        }
    }

    /// Lets the workers score what is queued, then stop; waits for them.
    func finish() {
        let first = queue.withLock { state -> Bool in
            defer { state.finished = true }
            return !state.finished
        }
        guard first else { return }
        for _ in 0..<count { available.signal() }
        stopped.wait()
    }
}
