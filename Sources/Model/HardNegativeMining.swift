import Dispatch

/// A window of a stretch of bases that scored at or above a threshold.
public struct WindowHit: Sendable, Equatable {
    /// 0-based start of the window on the forward strand of the stretch.
    public var start: Int
    /// Scored on the reverse complement.
    public var reverse: Bool
    public var probability: Float

    public init(start: Int, reverse: Bool, probability: Float) {
        self.start = start
        self.reverse = reverse
        self.probability = probability
    }
}

/// Finds the windows of a stretch of bases that score at or above a threshold, on both
/// strands. Hard-negative mining scans generated background with it.
///
/// The windows of `bases` that start at multiples of `step` (`0, step, … ≤ count − L`) are
/// scored; the − strand scores the reverse complement. The hits' probabilities must be the model's values (the
/// same bytes for the same network and bases, whatever else runs), in any order.
public protocol WindowHitFinding: Sendable {
    func hits(in bases: [UInt8], step: Int, threshold: Float) -> [WindowHit]
}

/// Makes the hit finder for a network: the scan's kernels (Scanner's `ScanHitFinder`), or
/// the plain forward pass.
public typealias HitFinderFactory = @Sendable (Network) -> any WindowHitFinding

/// The forward pass over every window, in batches: exact for any architecture, and much
/// slower than the scan's kernels.
public struct ForwardPassHitFinder: WindowHitFinding {
    public let network: Network

    public init(network: Network) {
        self.network = network
    }

    public func hits(in bases: [UInt8], step: Int, threshold: Float) -> [WindowHit] {
        let length = network.inputLength
        guard bases.count >= length, step > 0 else { return [] }
        let windows = (bases.count - length) / step + 1, batch = 256
        var hits = [WindowHit]()
        var start = 0
        while start < windows {
            let n = min(batch, windows - start)
            for reverse in [false, true] {
                var oneHot = [Float](repeating: 0, count: n * length * 4)
                for row in 0..<n {
                    let first = (start + row) * step
                    for j in 0..<length {
                        let c = Nucleotide.code[Int(reverse ? bases[first + length - 1 - j] : bases[first + j])]
                        if c < 4 { oneHot[(row * length + j) * 4 + Int(reverse ? 3 - c : c)] = 1 }
                    }
                }
                let p = network.predict(oneHot: oneHot, count: n)
                for row in 0..<n where p[row] >= threshold {
                    hits.append(WindowHit(start: (start + row) * step, reverse: reverse, probability: p[row]))
                }
            }
            start += n
        }
        return hits
    }
}

/// What one round of hard-negative mining did, for the training log.
public struct MiningReport: Sendable {
    public var round: Int
    public var rounds: Int
    /// The epoch after which the round ran.
    public var afterEpoch: Int
    public var bases: Int
    /// Windows scored, both strands counted.
    public var windowsScanned: Int
    /// Windows at p ≥ 0.5: the current model's calls on background DNA.
    public var windowsCalled: Int
    /// Windows at or above the mining threshold, before thinning (and before exclusion).
    public var candidates: Int
    /// Candidates left out because they hold a k-mer common in the labelled positives.
    public var excluded: Int
    public var added: Int
    public var poolSize: Int
    public var seconds: Double

    /// The share of background windows the current model calls.
    public var falsePositiveRate: Double { windowsScanned > 0 ? Double(windowsCalled) / Double(windowsScanned) : 0 }

    /// `Mining 2/8 after epoch 6: 8000000 windows (4.0 Mbp background, both strands), 1234 at p >= 0.5 (FPR 1.5e-04); 5012 candidates, 40 holding a labelled site, 1000 added, pool 2000 - 0.61s`
    public var line: String {
        "Mining \(round)/\(rounds) after epoch \(afterEpoch): \(windowsScanned) windows (\(fixed(Double(bases) / 1e6, 1)) Mbp background, both strands), "
            + "\(windowsCalled) at p >= 0.5 (FPR \(scientific(falsePositiveRate))); \(candidates) candidates, \(excluded) holding a labelled site, "
            + "\(added) added, pool \(poolSize) - \(fixed(seconds, 2))s"
    }
}

/// `1.5e-04`, as `%.1e` prints.
public func scientific(_ value: Double) -> String {
    String(format: "%.1e", value)
}

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
    public func mine(finder: any WindowHitFinding, windowLength: Int, threads: Int,
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
                    if let labelledSites {
                        let before = candidates.count
                        candidates.removeAll { labelledSites.occurs(in: read($0)) }
                        result.excluded = before - candidates.count
                    }
                    result.scanned = stretch.count >= windowLength ? 2 * ((stretch.count - windowLength) / step + 1) : 0
                    result.called = hits.count { $0.probability >= 0.5 }
                    result.candidates = candidates.count + result.excluded
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
                                  windowsCalled: 0, candidates: 0, excluded: 0, added: 0, poolSize: 0, seconds: 0)
        var kept: [(stretch: Int, rank: Int, probability: Float)] = []
        for (index, result) in perStretch.enumerated() {
            report.windowsScanned += result.scanned
            report.windowsCalled += result.called
            report.candidates += result.candidates
            report.excluded += result.excluded
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

/// Reverse complements of ACGT text (case kept; other bytes unchanged).
public enum ReverseComplement {
    static let table: [UInt8] = {
        var table = (0...255).map { UInt8($0) }
        for (a, b) in zip("ACGTacgt".utf8, "TGCAtgca".utf8) { table[Int(a)] = b }
        return table
    }()

    public static func of(_ bases: [UInt8]) -> [UInt8] {
        bases.reversed().map { table[Int($0)] }
    }
}

/// The k-mers that the labelled positives share far beyond chance, which mining keeps out
/// of its negatives.
///
/// Background DNA holds real sites at the genome's rate, and a model that has learned the
/// site scores them as high as the labelled positives, so mining would label them 0. A
/// k-mer (k = the first convolution's width, the most one filter sees) that occurs in at
/// least `minimumShare` of the positives, and at least half as many as the most common one,
/// and at most a tenth as often in the negatives, is taken as (part of) the labelled site: by chance a given 12-mer is in about 2·10⁻⁶ of
/// 50-bp sequences. For a site that is a matrix rather than a word, no k-mer is that
/// common and nothing is excluded.
public struct LabelledSiteKmers: Sendable {
    public let length: Int
    /// 2-bit codes (A = 0 … T = 3), first base most significant.
    public let kmers: Set<UInt64>

    public init(positives: [[UInt8]], negatives: [[UInt8]], length: Int, minimumShare: Double = 0.02) {
        let k = min(max(length, 1), 31)
        self.length = k
        func counts(_ sequences: [[UInt8]]) -> [UInt64: Int] {
            var counts = [UInt64: Int]()
            for sequence in sequences {
                var seen = Set<UInt64>()
                LabelledSiteKmers.forEachKmer(in: sequence, length: k) { seen.insert($0) }
                for kmer in seen { counts[kmer, default: 0] += 1 }
            }
            return counts
        }
        let positiveCounts = counts(positives), negativeCounts = counts(negatives)
        // At least half as common as the most common k-mer: a 12-bp site's own 12-mer is in
        // every positive, the 12-mers shifted one base off it (site plus one flank base) in a
        // quarter each, and those must stay minable, since they are what a one-mismatch copy
        // at the site's edge holds.
        let mostCommon = positiveCounts.values.max() ?? 0
        let needed = max(3, Int((minimumShare * Double(positives.count)).rounded(.up)), (mostCommon + 1) / 2)
        var common = Set<UInt64>()
        for (kmer, count) in positiveCounts where count >= needed {
            let positiveShare = Double(count) / Double(max(positives.count, 1))
            let negativeShare = Double(negativeCounts[kmer] ?? 0) / Double(max(negatives.count, 1))
            if negativeShare * 10 <= positiveShare { common.insert(kmer) }
        }
        kmers = common
    }

    /// Whether `bases` holds one of the k-mers (ACGT only; a k-mer across another byte does not count).
    public func occurs(in bases: [UInt8]) -> Bool {
        guard !kmers.isEmpty else { return false }
        var found = false
        LabelledSiteKmers.forEachKmer(in: bases, length: length) { if kmers.contains($0) { found = true } }
        return found
    }

    static func forEachKmer(in bases: [UInt8], length: Int, _ body: (UInt64) -> Void) {
        let mask: UInt64 = length >= 32 ? ~0 : (1 << (2 * UInt64(length))) - 1
        var code: UInt64 = 0, valid = 0
        for byte in bases {
            let c = Nucleotide.code[Int(byte)]
            guard c < 4 else { valid = 0; code = 0; continue }
            code = ((code << 2) | UInt64(c)) & mask
            valid += 1
            if valid >= length { body(code) }
        }
    }
}
