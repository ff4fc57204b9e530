import Dispatch

/// Hard-negative mining (as in object detection since Sung & Poggio 1998, and in DeepSEA-style
/// genome models): scan fresh background DNA on both strands with the current model and keep
/// the windows it scores highest as label-0 examples.
///
/// Background is drawn in stretches of `stretchLength` bases, each with its own composition
/// (`BackgroundSampler`). On each strand of a stretch, hits are thinned greedily from the
/// highest: a hit within `spacing` bases of a kept one is dropped, so that one region
/// gives a few examples at different offsets rather than dozens of near copies. Background
/// DNA also holds real sites at the genome's rate; `labelledSites` keeps those out.
/// The highest `maximumAdded` of all kept hits are returned. A round stops early once
/// ten times that many candidates are found.
public struct HardNegativeMiner: Sendable {
    public var sampler: BackgroundSampler
    public var bases: Int
    public var threshold: Float
    public var maximumAdded: Int
    /// Thinning distance; nil: the window length, so one window per region and strand.
    public var spacing: Int?
    /// Distance between the starts of the windows scanned.
    public var step = 1
    /// Windows holding one of these k-mers are not mined (see `LabelledSiteKmers`).
    public var labelledSites: LabelledSiteKmers?
    /// Bases per background stretch, each with its own composition.
    public var stretchLength = 1 << 16

    public init(sampler: BackgroundSampler, bases: Int, threshold: Float, maximumAdded: Int, spacing: Int? = nil,
                step: Int = 1, labelledSites: LabelledSiteKmers? = nil, stretchLength: Int = 1 << 16) {
        self.sampler = sampler
        self.bases = bases
        self.threshold = threshold
        self.maximumAdded = maximumAdded
        self.spacing = spacing
        self.step = step
        self.labelledSites = labelledSites
        self.stretchLength = stretchLength
    }

    /// The mined windows (in the orientation they were scored, so a − strand hit is the
    /// reverse complement) and the round's counts. `windowLength` is the model's input.
    /// Windows scoring at or above `ceiling` (see `Trainer.miningCeiling`) are left out.
    public func mine(finder: any WindowHitFinding, windowLength: Int, threads: Int, ceiling: Float? = nil,
              random: inout MersenneTwister) -> (windows: [[UInt8]], report: MiningReport) {
        let started = ContinuousClock.now
        let count = max(1, (bases + stretchLength - 1) / stretchLength)
        // Each stretch has its own generator, seeded from the caller's, so that stretches can
        // be drawn and scanned on any thread and still give the same bytes.
        let seeds = (0..<count).map { _ in random.nextUInt32() }
        let scanThreshold = min(threshold, 0.5)
        let results = Locked<[StretchResult]>(Array(repeating: StretchResult(), count: count))
        let workers = max(1, threads)
        let sampler = sampler, stretchLength = stretchLength, threshold = threshold, step = step, labelledSites = labelledSites
        let spacing = spacing ?? windowLength
        // Stretches go in groups; once a group leaves `enough` candidates the round stops,
        // so that a young model that fires everywhere does not cost a full scan.
        let group = 16 * workers, enough = 10 * maximumAdded
        var scannedStretches = 0, candidatesSoFar = 0
        while scannedStretches < count, candidatesSoFar < enough {
            let first = scannedStretches, last = min(count, first + group)
            DispatchQueue.concurrentPerform(iterations: min(workers, last - first)) { worker in
                var index = first + worker
                while index < last {
                    var generator = MersenneTwister(seed: seeds[index])
                    let stretch = sampler.stretch(length: stretchLength, random: &generator)
                    /// The window as the model scored it: − strand hits reverse-complemented.
                    func read(_ hit: WindowHit) -> [UInt8] {
                        let window = Array(stretch[hit.start..<(hit.start + windowLength)])
                        return hit.reverse ? ReverseComplement.of(window) : window
                    }
                    let hits = finder.hits(in: stretch, step: step, threshold: scanThreshold)
                    var candidates = hits.filter { $0.probability >= threshold }
                    var result = StretchResult()
                    if let ceiling {
                        let before = candidates.count
                        candidates.removeAll { $0.probability >= ceiling }
                        result.likePositives = before - candidates.count
                    }
                    if let labelledSites {
                        let before = candidates.count
                        candidates.removeAll { labelledSites.occurs(in: read($0)) }
                        result.excluded = before - candidates.count
                    }
                    result.scanned = stretch.count >= windowLength ? 2 * ((stretch.count - windowLength) / step + 1) : 0
                    result.called = hits.count { $0.probability >= 0.5 }
                    result.candidates = candidates.count + result.excluded + result.likePositives
                    result.kept = HardNegativeMiner.thin(candidates, spacing: spacing).map { ($0.probability, read($0)) }
                    results.withLock { $0[index] = result }
                    index += workers
                }
            }
            candidatesSoFar += results.withLock { $0[first..<last].reduce(0) { $0 + $1.candidates } }
            scannedStretches = last
        }
        let perStretch = results.withLock { Array($0[..<scannedStretches]) }
        var report = MiningReport(round: 0, rounds: 0, afterEpoch: 0, bases: scannedStretches * stretchLength, windowsScanned: 0,
                                  windowsCalled: 0, candidates: 0, excluded: 0, likePositives: 0, added: 0, poolSize: 0,
                                  seconds: 0)
        var kept: [(stretch: Int, rank: Int, probability: Float)] = []
        for (index, result) in perStretch.enumerated() {
            report.windowsScanned += result.scanned
            report.windowsCalled += result.called
            report.candidates += result.candidates
            report.excluded += result.excluded
            report.likePositives += result.likePositives
            for (rank, entry) in result.kept.enumerated() { kept.append((index, rank, entry.probability)) }
        }
        kept.sort { a, b in
            if a.probability != b.probability { return a.probability > b.probability }
            return a.stretch != b.stretch ? a.stretch < b.stretch : a.rank < b.rank
        }
        let windows = kept.prefix(maximumAdded).map { perStretch[$0.stretch].kept[$0.rank].window }
        report.added = windows.count
        report.seconds = (ContinuousClock.now - started).seconds
        return (windows, report)
    }

    /// One stretch's counts and its thinned hits, highest first, as windows.
    private struct StretchResult {
        var scanned = 0
        var called = 0
        var candidates = 0
        var excluded = 0
        var likePositives = 0
        var kept: [(probability: Float, window: [UInt8])] = []
    }

    /// Greedy thinning per strand: highest first, dropping hits within `spacing` of a kept one.
    package static func thin(_ hits: [WindowHit], spacing: Int) -> [WindowHit] {
        let sorted = hits.sorted { a, b in
            if a.probability != b.probability { return a.probability > b.probability }
            if a.start != b.start { return a.start < b.start }
            return !a.reverse && b.reverse
        }
        var keptStarts: [Bool: [Int]] = [false: [], true: []]
        var kept = [WindowHit]()
        for hit in sorted where !(keptStarts[hit.reverse] ?? []).contains(where: { abs($0 - hit.start) < spacing }) {
            kept.append(hit)
            keptStarts[hit.reverse, default: []].append(hit.start)
        }
        return kept
    }
}
