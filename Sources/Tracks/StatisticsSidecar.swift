import Background
import GenomeIO
import Significance

/// The statistics file a scan writes beside its output (`--stats FILE`): what a merge of
/// several scans (shards of one genome) needs to recompute global p- and q-values, as
/// tab-separated lines, each starting with what it is.
///
///     #annotate-statistics	1
///     unit	LINE	P	Q	PROBABILITY	GC_BIN   one per line written (LINE counts from 1,
///                                           a track line not counted), P and Q as exact
///                                           decimals (shortest round trip), GC_BIN of the
///                                           block of the window the p-value came from
///     tests	N                              windows scored, both strands counted
///     decoy_windows	N
///     written	N
///     expected_false	X
///     class	K	GC_FROM	GC_TO	DECOYS	TAIL_FROM	TAIL_FRACTION	TAIL_SHAPE	TAIL_SCALE
///                                           (the tail of the p-values the units have: of
///                                           clusters for merged regions, else of windows)
///     bin	B	K	DECOYS	SCORE_BIN:COUNT,…	SCORE_BIN:COUNT,…
///                                           decoys of the blocks in G+C bin B (2 % wide),
///                                           by logit bin (1/128 from logit −48; `ScoreBins`):
///                                           the windows, then the signed cluster counts
///                                           (`ClusterTally`, for merged regions' p-values)
///
/// A merge adds up `tests` and each bin's decoys over the shards, pools the bins into classes
/// as one scan does (`NullClassRuns`), and ranks every shard's units by p-value.
struct StatisticsSidecar {
    let file: OutputFile
    private var line = LineBuffer()
    private(set) var units = 0

    init(file: OutputFile) throws(GenomeIOError) {
        self.file = file
        try file.write("#annotate-statistics\t1\n")
    }

    mutating func unit(p: Double, q: Double, probability: Float, gcBin: Int) throws(GenomeIOError) {
        units += 1
        try file.write("unit\t\(units)\t\(p)\t\(q)\t\(probability)\t\(gcBin)\n")
    }

    func finish(tests: Int, report: SignificanceReport, background: GenomeBackground, merged: Bool) throws(GenomeIOError) {
        try file.write("tests\t\(tests)\ndecoy_windows\t\(background.decoyWindows)\nwritten\t\(report.written)\n")
        try file.write("expected_false\t\(report.expectedFalse)\n")
        for (number, nullClass) in background.classes.enumerated() {
            let tail = (merged ? nullClass.clusterTable : nullClass.table).tail
            let tailText = tail.map { "\($0.threshold)\t\($0.fraction)\t\($0.shape)\t\($0.scale)" } ?? "-\t-\t-\t-"
            try file.write("class\t\(number)\t\(nullClass.gcPercent.lowerBound)\t\(nullClass.gcPercent.upperBound)\t\(nullClass.decoyWindows)\t\(tailText)\n")
        }
        for (bin, decoys) in background.binTallies.enumerated() where decoys.windows.windows > 0 {
            var counts: [String] = [], clusters: [String] = []
            for (k, count) in decoys.windows.counts.enumerated() where count > 0 { counts.append("\(k):\(count)") }
            for (k, count) in decoys.clusters.counts.enumerated() where count != 0 { clusters.append("\(k):\(count)") }
            try file.write("bin\t\(bin)\t\(background.classOfBin[bin])\t\(decoys.windows.windows)\t\(counts.joined(separator: ","))\t"
                           + "\(clusters.isEmpty ? "-" : clusters.joined(separator: ","))\n")
        }
    }
}
