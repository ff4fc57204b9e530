import Dispatch
import Model
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `annotate scan` does with the windows it scores.
public struct ScanOptions: Sendable {
    /// Spacing of window starts, in bases; windows start at multiples of `step`.
    public var step = 1
    public var strands = StrandChoice.both
    /// Keep windows with p ≥ threshold.
    public var threshold: Float = 0.5
    /// Merge same-strand windows that overlap or touch into one region.
    public var merge = true
    public var format = OutputFormat.bed
    /// Leave out windows that touch a lowercase (soft-masked) base.
    public var skipSoftMasked = false
    public var threads = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    /// New bases per work item; consecutive chunks overlap by window − 1 bases. Nil: sized
    /// to the model's scoring cost (`WindowScorer.preferredChunkBases`), so that a record of
    /// a few hundred kbp still makes work for every thread.
    public var chunkBases: Int?
    /// The largest chunk: 16 Mbp, about 180 MB of working memory a chunk in flight (bases,
    /// codes, the scorable mask and both strands' probabilities), with 4 in flight a worker.
    public static let maximumChunkBases = 1 << 24
    /// The BED name column (default: the model's name).
    public var name: String?
    public var trackLine = false
    /// Show a progress line on stderr (the caller decides whether stderr is a terminal).
    public var showProgress = false
    /// Score every window with the reference-order kernel, instead of first proving most
    /// windows below the threshold with the fast one. The output is the same; this is slower
    /// and exists to check exactly that.
    public var referenceKernelOnly = false

    /// Reference values at or above the threshold, or for every window with bedGraph (it
    /// prints them all); the scan itself never reads the others.
    var precision: ScoringPrecision {
        format == .bedgraph || referenceKernelOnly ? .exact : ScoringPrecision(threshold: threshold, approximateBelow: false)
    }

    public init() {}
}

/// What a scan read and wrote.
public struct ScanSummary: Sendable, Equatable {
    public var records = 0
    public var bases = 0
    public var windowsScored = 0
    public var linesWritten = 0

    public var description: String {
        "\(records) records, \(bases) bases, \(windowsScored) windows scored, \(linesWritten) lines written"
    }
}

/// A piece of one record, scored as one work item.
final class Chunk: @unchecked Sendable {
    let chromosome: String
    /// The chromosome offset of `bases[0]`.
    let start: Int
    var bases: [UInt8]
    /// Set on the record's last chunk, with the record's length.
    var chromosomeLength: Int?
    let isFirst: Bool

    var firstWindow = 0
    var windows = 0
    var scored = 0
    /// The windows the writer needs, ascending (those that pass the threshold on a strand,
    /// or every scored window for bedGraph), with both strands' probabilities (NaN where
    /// not scored).
    var hits: [Int32] = []
    var hitForward: [Float] = []
    var hitReverse: [Float] = []
    /// bedGraph only: the chunk's lines, formatted by the worker, and how many.
    var lines: [UInt8] = []
    var lineCount = 0
    /// Signalled once by the worker that scored the chunk.
    let scoredSignal = DispatchSemaphore(value: 0)
    private var knownScored = false

    /// Blocks until the chunk is scored.
    func waitUntilScored() {
        if !knownScored {
            scoredSignal.wait()
            knownScored = true
        }
    }

    /// Whether the chunk is scored, without blocking.
    func isScored() -> Bool {
        if !knownScored, scoredSignal.wait(timeout: .now()) == .success { knownScored = true }
        return knownScored
    }

    init(chromosome: String, start: Int, bases: [UInt8], isFirst: Bool) {
        self.chromosome = chromosome
        self.start = start
        self.bases = bases
        self.isFirst = isFirst
    }
}

/// Streams FASTA inputs through the model: read chunks sized in bases, score them in
/// parallel with per-worker scratch, and write them in input order, as minimap2's pipeline
/// does. Output is byte-identical for any thread count and chunk size.
public final class GenomeScan {
    public let network: Network
    public let options: ScanOptions
    let scorer: any WindowScorer
    let windowLength: Int

    public init(network: Network, options: ScanOptions) {
        self.network = network
        self.options = options
        scorer = makeWindowScorer(for: network)
        windowLength = network.inputLength
    }

    /// Whether the fast shared-convolution kernel is used for this model.
    public var usesSharedConvolution: Bool { scorer is SeedWindowScorer }

    /// Bases per work item when `options.chunkBases` is nil: sized to the model's scoring cost.
    public var preferredChunkBases: Int { scorer.preferredChunkBases }

    /// The fast path's proven bound on |fast logit − reference logit| for this model, or nil
    /// when the model runs through the general forward pass.
    public var fastPathLogitErrorBound: Double? { (scorer as? SeedWindowScorer)?.fast.logitError }

    /// Scans every input in order and writes the regions to `output`.
    ///
    /// The calling thread reads and writes; `threads` workers score. Chunks go to the workers
    /// as soon as they are read and are written in input order as soon as they and every
    /// chunk before them are scored, so decompression, parsing, scoring and writing overlap
    /// and no worker waits for a batch to drain. At most 4 chunks per worker are in memory.
    public func run(inputs: [String], output: OutputFile) throws(ScannerError) -> ScanSummary {
        let writer = RegionWriter(
            output: output, format: options.format, name: options.name ?? network.name, threshold: options.threshold,
            merge: options.merge, windowLength: windowLength, step: options.step)
        if options.trackLine { try output.write(writer.trackLine()) }
        var summary = ScanSummary()
        let chunkBases = min(max(options.chunkBases ?? scorer.preferredChunkBases, 1), ScanOptions.maximumChunkBases)
        let progress = options.showProgress ? ProgressLine() : nil
        let workers = ScoringWorkers(scan: self, capacity: 4 * max(options.threads, 1))
        defer { workers.finish() }
        var pending: [Chunk] = []  // submitted, not yet written, in input order
        /// Writes the scored chunks at the head of `pending`; with `waiting`, blocks for the
        /// first one. False once the reader of the output went away.
        func writeScored(waiting: Bool, input: (done: Int, total: Int?)) throws(ScannerError) -> Bool {
            if waiting { pending.first?.waitUntilScored() }
            var wrote = false
            while let first = pending.first, first.isScored() {
                try write(first, writer: writer, summary: &summary)
                pending.removeFirst()
                wrote = true
                if output.isClosedByReader { return false }
            }
            if wrote { progress?.update(bases: summary.bases, input: input) }
            return true
        }
        for input in inputs {
            let reader = FastaReader(stream: try ByteStream(path: input))
            while let header = try reader.nextRecord() {
                summary.records += 1
                var carry = [UInt8]()
                var start = 0
                var first = true
                var length = 0
                while true {
                    var bases = carry
                    let fresh = try read(reader, appendingTo: &bases, count: chunkBases)
                    length += fresh
                    let chunk = Chunk(chromosome: header.name, start: start, bases: bases, isFirst: first)
                    first = false
                    let last = fresh < chunkBases
                    if last { chunk.chromosomeLength = length }
                    if pending.count >= workers.capacity {
                        guard try writeScored(waiting: true, input: reader.progress) else { return summary }
                    }
                    workers.submit(chunk)
                    pending.append(chunk)
                    guard try writeScored(waiting: false, input: reader.progress) else { return summary }
                    if last { break }
                    let keep = min(windowLength - 1, bases.count)
                    carry = Array(bases[(bases.count - keep)...])
                    start += bases.count - keep
                }
            }
            while !pending.isEmpty {
                guard try writeScored(waiting: true, input: reader.progress) else { return summary }
            }
        }
        progress?.finish()
        summary.linesWritten = writer.regionsWritten
        return summary
    }

    /// Appends up to `count` bases of the current record; returns how many came.
    private func read(_ reader: FastaReader, appendingTo bases: inout [UInt8], count: Int) throws(ScannerError) -> Int {
        let old = bases.count
        bases.append(contentsOf: repeatElement(0, count: count))
        var got = 0
        while got < count {
            let n = try bases.withUnsafeMutableBufferPointer { (buffer) throws(ScannerError) -> Int in
                try reader.readBases(into: UnsafeMutableBufferPointer(rebasing: buffer[(old + got)..<(old + count)]))
            }
            if n == 0 { break }
            got += n
        }
        bases.removeLast(count - got)
        return got
    }

    /// Writes one scored chunk; chunks come in input order.
    private func write(_ chunk: Chunk, writer: RegionWriter, summary: inout ScanSummary) throws(ScannerError) {
        let step = options.step
        if chunk.isFirst { writer.beginChromosome(chunk.chromosome) }
        let origin = chunk.start + chunk.firstWindow
        for k in chunk.hits.indices {
            writer.addWindow(start: origin + Int(chunk.hits[k]) * step, forward: chunk.hitForward[k], reverse: chunk.hitReverse[k])
        }
        if chunk.lineCount > 0 { try writer.write(lines: chunk.lines, count: chunk.lineCount) }
        summary.bases += chunk.bases.count - (chunk.isFirst ? 0 : min(windowLength - 1, chunk.bases.count))
        summary.windowsScored += chunk.scored
        if chunk.chromosomeLength != nil {
            try writer.finishChromosome()
        } else {
            try writer.flushReady(nextWindow: origin + chunk.windows * step)
        }
    }

    /// The probabilities of every `step`-th window of one in-memory sequence, on both
    /// strands as the options choose (NaN where a window is not scored), unrounded. Values
    /// below the threshold may come from the fast kernel (within 1e-5); the others are the
    /// values a scan writes.
    public func windowProbabilities(bases: [UInt8]) -> [(forward: Float, reverse: Float)] {
        var forward: [Float] = [], reverse: [Float] = []
        let chunk = Chunk(chromosome: "", start: 0, bases: bases, isFirst: true)
        var precision = options.precision
        precision.approximateBelow = true
        GenomeScan.score(chunk, scorer: scorer, options: options, precision: precision, windowLength: windowLength) { f, r in
            forward = Array(f)
            reverse = Array(r)
        }
        return (0..<chunk.windows).map { (forward[$0], reverse[$0]) }
    }

    /// Scores one chunk's windows (run on a worker thread) and keeps the ones the writer
    /// needs in `chunk.hits`. `inspect` sees every window's probabilities.
    static func score(
        _ chunk: Chunk, scorer: any WindowScorer, options: ScanOptions, precision: ScoringPrecision, windowLength: Int,
        inspect: ((UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void)? = nil
    ) {
        let n = chunk.bases.count
        let step = options.step
        // The first window start at or after chunk.start that is a multiple of step.
        let firstWindow = (step - chunk.start % step) % step
        let windows = n - windowLength >= firstWindow ? (n - windowLength - firstWindow) / step + 1 : 0
        chunk.firstWindow = firstWindow
        chunk.windows = windows
        guard windows > 0 else { return }
        var codes = [UInt8](repeating: 4, count: n)
        var scorable = [Bool](repeating: false, count: windows)
        var scored = 0
        let skipSoftMasked = options.skipSoftMasked
        Nucleotide.code.withUnsafeBufferPointer { table in
        chunk.bases.withUnsafeBufferPointer { bases in
        codes.withUnsafeMutableBufferPointer { codes in
        scorable.withUnsafeMutableBufferPointer { scorable in
            // Encode the bases the windows read (each window's own at steps of L or more),
            // noting in `flags` whether any is not ACGT (code 4) or, when those are skipped,
            // soft-masked (bit 3: the FASTA reader passes letters only, and 0x20 marks lowercase).
            var flags: UInt8 = 0
            let softMask: UInt8 = skipSoftMasked ? 0x20 : 0
            func encode(_ range: Range<Int>) {
                for i in range {
                    let byte = bases[i]
                    let c = table[Int(byte)]
                    codes[i] = c
                    flags |= c | (byte & softMask) >> 2
                }
            }
            if step >= windowLength {
                for w in 0..<windows { encode((firstWindow + w * step)..<(firstWindow + w * step + windowLength)) }
            } else {
                encode(firstWindow..<(firstWindow + (windows - 1) * step + windowLength))
            }
            guard flags & 0b1100 != 0 else {
                for w in 0..<windows { scorable[w] = true }
                scored = windows
                return
            }
            // Window w (bases s ..< s + L) is scorable when the last unscorable base seen by
            // its end lies before s.
            var lastBad = -1
            var w = 0
            var windowEnd = firstWindow + windowLength - 1
            for i in firstWindow..<n {
                if codes[i] > 3 || (skipSoftMasked && bases[i] >= UInt8(ascii: "a")) { lastBad = i }
                if i == windowEnd {
                    let ok = lastBad < windowEnd + 1 - windowLength
                    scorable[w] = ok
                    if ok { scored += 1 }
                    w += 1
                    if w == windows { break }
                    windowEnd += step
                }
            }
        }
        }
        }
        }
        chunk.scored = scored * (options.strands == .both ? 2 : 1)
        var forward = [Float](repeating: .nan, count: windows)
        var reverse = [Float](repeating: .nan, count: windows)
        codes.withUnsafeBufferPointer { codes in
            scorable.withUnsafeBufferPointer { scorable in
                forward.withUnsafeMutableBufferPointer { forward in
                    reverse.withUnsafeMutableBufferPointer { reverse in
                        scorer.score(codes: codes, firstWindow: firstWindow, step: step, windows: windows, scorable: scorable,
                                     strands: options.strands, precision: precision,
                                     forward: forward, reverse: reverse)
                        inspect?(UnsafeBufferPointer(forward), UnsafeBufferPointer(reverse))
                    }
                }
            }
        }
        if options.format == .bedgraph {
            // bedGraph lines do not depend on each other: the worker formats them.
            var text = LineBuffer(capacity: windows * 32)
            var count = 0
            let origin = chunk.start + firstWindow, length = chunk.chromosomeLength ?? Int.max
            for w in 0..<windows where scorable[w] {
                let p = forward[w].isNaN ? reverse[w] : forward[w]
                if !p.isNaN, text.appendBedGraph(chromosome: chunk.chromosome, windowStart: origin + w * step, windowLength: windowLength,
                                       step: step, chromosomeLength: length, probability: p) { count += 1 }
            }
            chunk.lines = text.bytes
            chunk.lineCount = count
            return
        }
        let threshold = options.threshold
        var hits: [Int32] = [], hitForward: [Float] = [], hitReverse: [Float] = []
        forward.withUnsafeBufferPointer { forward in
        reverse.withUnsafeBufferPointer { reverse in
        scorable.withUnsafeBufferPointer { scorable in
            for w in 0..<windows where scorable[w] && (forward[w] >= threshold || reverse[w] >= threshold) {
                hits.append(Int32(w))
                hitForward.append(forward[w])
                hitReverse.append(reverse[w])
            }
        }
        }
        }
        chunk.hits = hits
        chunk.hitForward = hitForward
        chunk.hitReverse = hitReverse
    }
}
