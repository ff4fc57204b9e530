import GenomeIO
import Model
import Tracks

/// What `scan --shard I/N` writes for the BED-family formats: the windows of its shard that
/// pass, with their exact probabilities (and p-values, against the whole genome's
/// background), for `merge` to turn into exactly the output of one scan of the whole
/// genome: regions are merged only once the shards' windows are laid end to end, and
/// q-values need every shard's tests.
///
///     #annotate-shard	2
///     settings	…                       as in `BackgroundFile`
///     output	format=F	threshold=T	max-p=P|-	max-q=Q|-	merge=1|0	track-line=1|0	sites=1|0	name=NAME
///     background	SHA256|-	DECOYS      the background file's digest and decoy windows (- without statistics)
///     shard	I	N
///     record	NUMBER	NAME               each record (or its part) in the shard, in order
///     w	START	FORWARD	REVERSE[	FORWARD_P	REVERSE_P][	FORWARD_SITE	REVERSE_SITE]
///                                        a passing window (. on a strand that does not pass);
///                                        with sites=1, the site of each strand's run's best
///                                        window, START,SEQUENCE (. for the other windows)
///     length	NUMBER	LENGTH             where the record ends
///     tests	N                          windows scored, both strands counted
///     end	LINES
///
/// Probabilities and p-values are written as their shortest exact decimals.
final class ShardWriter: TrackWriter {
    let output: OutputFile
    let renderer: ThresholdRenderer
    private let header: [String]
    private let step: Int
    private let statistics: Bool
    private let sites: Bool
    /// The records that end in this shard (the others are read past where it stops).
    private let ending: Set<String>
    private var record: Int?
    private var lines = 0
    private(set) var linesWritten = 0
    private var text = ""

    init(output: OutputFile, header: [String], renderer: ThresholdRenderer, step: Int, statistics: Bool, ending: Set<String>) {
        sites = renderer.sites != nil
        self.ending = ending
        self.output = output
        self.header = header
        self.renderer = renderer
        self.step = step
        self.statistics = statistics
    }

    func begin() throws(GenomeIOError) {
        for line in header { try emit(line) }
    }

    func write(_ passing: PassingWindows, of piece: RenderedPiece) throws(GenomeIOError) {
        if piece.recordIndex != record {
            record = piece.recordIndex
            try emit("record\t\(piece.recordIndex)\t\(piece.record)")
        }
        for k in passing.windows.indices {
            let start = piece.origin + Int(passing.windows[k]) * step
            var line = "w\t\(start)\t\(ShardWriter.text(passing.forward[k]))\t\(ShardWriter.text(passing.reverse[k]))"
            if statistics { line += "\t\(passing.forwardP[k])\t\(passing.reverseP[k])" }
            if sites { line += "\t\(passing.site(k, reverse: false).shardText)\t\(passing.site(k, reverse: true).shardText)" }
            try emit(line)
            linesWritten += 1
        }
        if let length = piece.recordLength, ending.contains(piece.record) { try emit("length\t\(piece.recordIndex)\t\(length)") }
    }

    func finish(tests: Int) throws(GenomeIOError) {
        try emit("tests\t\(tests)")
        try emit("end\t\(lines + 1)")
        try output.write(text)
        text = ""
    }

    private func emit(_ line: String) throws(GenomeIOError) {
        text += line
        text += "\n"
        lines += 1
        if text.utf8.count >= 1 << 16 {
            try output.write(text)
            text = ""
        }
    }

    static func text(_ probability: Float) -> String { probability.isNaN ? "." : "\(probability)" }
}
