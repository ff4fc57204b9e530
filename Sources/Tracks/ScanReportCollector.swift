import Background
import Model
import Scoring
import Significance

/// Gathers what `scan --report` shows as a BED-family scan runs, on the scan's thread: the
/// workers' logit tallies, the regions as they close (for the q-value curve and the top
/// regions, whose best windows' bases the workers captured), and the calls as they are written.
public final class ScanReportCollector {
    /// How many top regions the report shows.
    public static let top = ReportCapture.top

    private var genome = LogitHistogram()
    var background: GenomeBackground?
    var windowLength = 0
    /// The captured windows of the current record not yet claimed by a closed region, per strand, by start.
    private var pending: [[CapturedWindow]] = [[], []]
    private var pendingHead = [0, 0]
    private var pValues: [Double] = []
    private var candidates = 0
    private var best: [ReportedRegion] = []
    private var written = 0
    private var records: [(name: String, length: Int, calls: [(bin: Int, count: Int)])] = []
    public private(set) var data: ScanReportData?

    public init() {}

    /// A piece as the writer gets it.
    func piece(_ piece: RenderedPiece, passing: PassingWindows) {
        if let histogram = passing.histogram { genome.add(histogram) }
        if piece.isFirst {
            pending = [[], []]
            pendingHead = [0, 0]
            while records.count <= piece.recordIndex { records.append(("", 0, [])) }
            records[piece.recordIndex].name = piece.record
        }
        records[piece.recordIndex].length = max(records[piece.recordIndex].length, piece.recordLength ?? piece.end)
        for window in passing.captured { pending[window.reverse ? 1 : 0].append(window) }
    }

    /// A region that passed every cut but the q-value's, as it closes (in start order per strand).
    func closed(_ region: Region, chromosome: String) {
        candidates += 1
        if background != nil { pValues.append(region.pValue) }
        let strand = region.reverse ? 1 : 0
        // Windows before the region belong to regions closed before it; its own end at its last window.
        var bases: [UInt8]?
        while pendingHead[strand] < pending[strand].count, pending[strand][pendingHead[strand]].start <= region.end - windowLength {
            let window = pending[strand][pendingHead[strand]]
            if window.start == region.bestWindow { bases = window.bases }
            pendingHead[strand] += 1
        }
        if pendingHead[strand] > 4096 {
            pending[strand].removeFirst(pendingHead[strand])
            pendingHead[strand] = 0
        }
        let entry = ReportedRegion(chromosome: chromosome, start: region.start, end: region.end, reverse: region.reverse,
                                   probability: region.probability, bestWindow: region.bestWindow,
                                   pValue: background != nil ? region.pValue : nil, qValue: nil,
                                   window: bases.map { region.reverse ? ReverseComplement.of($0) : $0 }, recordIndex: region.recordIndex)
        guard best.count < ScanReportCollector.top || ScanReportCollector.precedes(entry, best[best.count - 1]) else { return }
        let at = best.firstIndex { ScanReportCollector.precedes(entry, $0) } ?? best.count
        best.insert(entry, at: at)
        if best.count > ScanReportCollector.top { best.removeLast() }
    }

    /// A written line's region, with its q-value when the scan has statistics.
    func written(_ region: Region, q: Double?) {
        written += 1
        let bin = (region.bestWindow + windowLength / 2) / ScanReportData.callBin
        if records.indices.contains(region.recordIndex) {
            if let last = records[region.recordIndex].calls.last, last.bin == bin {
                records[region.recordIndex].calls[records[region.recordIndex].calls.count - 1].count += 1
            } else {
                records[region.recordIndex].calls.append((bin, 1))
            }
        }
        if let k = best.firstIndex(where: { $0.recordIndex == region.recordIndex && $0.start == region.start && $0.reverse == region.reverse }) {
            best[k].qValue = q
            best[k].isWritten = true
        }
    }

    /// The scan's end: `tests` windows were scored.
    func finish(tests: Int) {
        let bh = BenjaminiHochberg(pValues: pValues, tests: tests)
        pValues = []
        // The written regions among the best held ones are the best written ones: q rises with p.
        data = ScanReportData(genome: genome, background: background.map { LogitHistogram(decoys: $0.classes.map(\.decoys.windows)) },
                              tests: tests, candidates: candidates, qValues: bh.ascendingQValues, records: records,
                              top: best.filter(\.isWritten), written: written)
    }

    /// The report's order: smallest p-value, then highest probability, then position.
    static func precedes(_ a: ReportedRegion, _ b: ReportedRegion) -> Bool {
        (a.pValue ?? 1, -a.probability, a.recordIndex, a.start, a.reverse ? 1 : 0) < (b.pValue ?? 1, -b.probability, b.recordIndex, b.start, b.reverse ? 1 : 0)
    }
}
