import Background
import GenomeIO
import Model
import Scoring
import Tracks

/// Streams FASTA inputs through a scorer into one output format: reads work items sized in
/// bases, scores them in parallel, and writes them in input order, as minimap2's pipeline
/// does. Output is byte-identical for any thread count and chunk size.
///
/// The calling thread reads and writes; `threads` workers score and render. Work items go
/// to the workers as soon as they are read and are written in input order as soon as they
/// and every item before them are done, so decompression, parsing, scoring and writing
/// overlap and no worker waits for a batch to drain. At most 4 items per worker are in memory.
struct ScanPipeline<Writer: TrackWriter> {
    let scorer: any WindowScorer
    let options: ScoringOptions
    let geometry: WindowGeometry
    let writer: Writer
    /// Called on the scan's thread after each written item.
    let progress: ((ScanProgress) -> Void)?

    /// With statistics: the records of the background (the genome's records but the empty
    /// ones), which this pass must find in the same order, and where the background came
    /// from (nil: the first pass of this scan, which read the same inputs).
    var background: (records: [String], path: String?)?
    /// With statistics and no background yet: the background, made from the bases as this
    /// scan reads them.
    var backgroundDuringScan: BackgroundDuringScan?

    func run(inputs: [InputSource], output: OutputFile) throws(GenomeIOError) -> ScanSummary {
        try writer.begin()
        var summary = ScanSummary()
        let chunkBases = min(max(options.chunkBases ?? scorer.preferredChunkBases, 1), ScoringOptions.maximumChunkBases)
        let (scorer, options, geometry, renderer) = (scorer, options, geometry, writer.renderer)
        let strands = writer.strands(showing: options.strands)
        let precision = options.referenceKernelOnly
            ? ScoringPrecision(threshold: nil, tallyLogits: renderer.precision.tallyLogits) : renderer.precision
        let decoyScoring = backgroundDuringScan?.scoring
        let workers = OrderedWorkers<WorkItem, (entries: [RenderedEntry<Writer.Renderer.Rendered>], decoys: [BlockDecoys])>(
            threads: options.threads, capacity: 4 * max(options.threads, 1)
        ) { item in
            (item.scored(scorer: scorer, strands: strands, skipSoftMasked: options.skipSoftMasked, precision: precision,
                         renderer: renderer),
             decoyScoring?.score(item.decoys) ?? [])
        }
        defer { workers.finish() }
        var reader: FastaReader?
        /// Writes the finished items at the head of the queue; with `waiting`, blocks for the
        /// first one. False once the reader of the output went away.
        func writeDone(waiting: Bool) throws(GenomeIOError) -> Bool {
            var wrote = false
            while let item = workers.next(waiting: waiting && !wrote) {
                backgroundDuringScan?.add(scored: item.decoys)
                for entry in item.entries {
                    try writer.write(entry.rendered, of: entry.piece)
                    summary.bases += entry.bases
                    summary.windowsScored += entry.scored
                }
                wrote = true
                if output.isClosedByReader { return false }
            }
            if wrote, let progress, let input = reader?.progress {
                progress(ScanProgress(bases: summary.bases, inputDone: input.done, inputTotal: input.total))
            }
            return true
        }
        var item = WorkItem(geometry: geometry, capacity: chunkBases + geometry.length)
        /// Hands a filled item to the workers and starts a new one.
        func submit(_ item: inout WorkItem) throws(GenomeIOError) -> Bool {
            guard !item.pieces.isEmpty else { return true }
            if workers.inFlight >= workers.capacity, !(try writeDone(waiting: true)) { return false }
            if let backgroundDuringScan { item.decoys = backgroundDuringScan.takeBlocks() }
            workers.submit(item)
            item = WorkItem(geometry: geometry, capacity: chunkBases + geometry.length)
            return try writeDone(waiting: false)
        }
        var feeder = RecordFeeder(geometry: geometry, chunkBases: chunkBases)
        /// Records with requested intervals that the input had.
        var seen: Set<String> = []
        let (records, backgroundRecords, stopped, firstNames) = try forEachRecord(inputs, opened: { reader = $0 }) { (name, number, backgroundIndex, segments, source) throws(GenomeIOError) -> Bool in
            if options.regions != nil { seen.insert(name) }
            let gathering = backgroundDuringScan
            gathering?.beginRecord(name)
            defer { gathering?.endRecord() }
            let going = try feeder.feed(name, index: number, backgroundIndex: gathering?.nextRecordIndex ?? backgroundIndex,
                                        segments: segments, from: source, into: &item, observe: gathering.map { $0.add }, submit: submit)
            if background != nil, backgroundIndex < 0, feeder.lastLength > 0 { throw backgroundMismatch(inputs, record: name) }
            summary.longestRecord = max(summary.longestRecord, feeder.lastLength)
            return going
        }
        summary.records = records
        if stopped { return summary }
        guard try submit(&item) else { return summary }
        while workers.inFlight > 0 {
            guard try writeDone(waiting: true) else { return summary }
        }
        if let regions = options.regions, let missing = regions.names.subtracting(seen).sorted().first {
            throw regions.missing(missing, input: inputs.last?.name ?? "", records: firstNames, total: records)
        }
        if let background, backgroundRecords != background.records.count {
            throw backgroundMismatch(inputs, record: background.records[backgroundRecords...].first ?? "")
        }
        try writer.finish(tests: summary.windowsScored)
        summary.linesWritten = writer.linesWritten
        return summary
    }
}

extension ScanPipeline {
    /// The error for a record that the background does not have where the scan found it.
    func backgroundMismatch(_ inputs: [InputSource], record: String) -> GenomeIOError {
        let input = inputs.last?.name ?? ""
        guard let path = background?.path else { return .inputChanged(path: input, record: record, line: 0) }
        return .badPart(path: path, line: nil, reason: "this background is of another genome than \(input): it does not have record \(MessageText.shown(record, limit: 60)) where the input has it")
    }
}
