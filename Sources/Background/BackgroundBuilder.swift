import GenomeIO
import Model
import Scoring

/// Makes, writes, merges and loads a genome's background (`GenomeBackground`) for one model
/// and the settings of the scans it serves: what `annotate background` and `merge` write,
/// and what scans with statistics and `variants` measure p-values against.
public struct BackgroundBuilder: Sendable {
    let scorer: any WindowScorer
    let geometry: WindowGeometry
    let strands: StrandChoice
    let skipSoftMasked: Bool
    let threads: Int
    /// What the background depends on besides the genome.
    package let settings: BackgroundSettings

    /// A background for scans of `network` at `step` on `strands`, made on `threads` threads.
    public init(network: Network, step: Int, strands: StrandChoice, skipSoftMasked: Bool, threads: Int) {
        self.init(network: network, scorer: makeWindowScorer(for: network), step: step, strands: strands,
                  skipSoftMasked: skipSoftMasked, threads: threads)
    }

    /// The same with the scorer a scan made for `network` already.
    package init(network: Network, scorer: any WindowScorer, step: Int, strands: StrandChoice, skipSoftMasked: Bool, threads: Int) {
        self.scorer = scorer
        geometry = WindowGeometry(length: network.inputLength, step: step)
        (self.strands, self.skipSoftMasked, self.threads) = (strands, skipSoftMasked, threads)
        settings = BackgroundSettings(windowLength: network.inputLength, step: step, strands: strands,
                                      skipSoftMasked: skipSoftMasked, model: network.fingerprint)
    }

    /// Reads `inputs` and makes their background (a scan's first pass); stdin is copied to
    /// `stdinCopy`, for a scan's second reading.
    package func make(inputs: [String], stdinCopy: ScratchFile? = nil,
                      progress: ((ScanProgress) -> Void)? = nil) throws(GenomeIOError) -> GenomeBackground {
        try pass(progress: progress).run(inputs: inputs, stdinCopy: stdinCopy)
    }

    private func pass(progress: ((ScanProgress) -> Void)?) -> BackgroundPass {
        var pass = BackgroundPass(scorer: scorer, geometry: geometry, strands: strands, skipSoftMasked: skipSoftMasked, threads: threads)
        pass.progress = progress
        return pass
    }

    /// Writes the background of the inputs (`BackgroundFile`), or with `shard` the part of
    /// it that the shard's blocks of the one indexed input make, for `merge`. Returns the
    /// records and decoy windows it holds (decoys only for a whole genome's).
    public func write(inputs: [String], shard: GenomeShard?, to file: OutputFile,
                      progress: ((ScanProgress) -> Void)? = nil) throws(GenomeIOError) -> (records: Int, decoyWindows: Int?) {
        if let shard, let path = inputs.first {
            let fasta = try IndexedFasta(path: path)
            let parts = try pass(progress: progress).parts(of: fasta, shard: shard.blocks(of: fasta.index))
            try BackgroundFile.write(.part(shard: shard.index, of: shard.count, parts), settings: settings, to: file)
            return (parts.records.count, nil)
        }
        let copy = inputs.contains("-") ? try ScratchFile(purpose: "copy of stdin") : nil
        let background = try make(inputs: inputs, stdinCopy: copy, progress: progress)
        try BackgroundFile.write(.genome(background), settings: settings, to: file)
        return (background.recordNames.count, background.decoyWindows)
    }

    /// Adds up the background parts of every shard of one genome (in any order, each once)
    /// and writes the genome's background: the same file `write` writes for the
    /// whole genome.
    ///
    /// The parts' settings (step, strands, soft-masked bases) are the merge's; `network`
    /// must be the model they were scored with, since the small blocks' and top-up decoys
    /// are scored here.
    public static func merge(paths: [String], network: Network, threads: Int?, to file: OutputFile) throws(GenomeIOError) -> (records: Int, decoyWindows: Int) {
        guard let first = paths.first else { throw .badPart(path: "-", line: nil, reason: "no parts to merge") }
        let settings = try BackgroundFile.read(path: first).settings
        return try BackgroundBuilder(network: network, step: settings.step, strands: settings.strands, skipSoftMasked: settings.skipSoftMasked,
                                     threads: threads ?? WorkerThreads.available).merge(paths: paths, to: file)
    }

    private func merge(paths: [String], to file: OutputFile) throws(GenomeIOError) -> (records: Int, decoyWindows: Int) {
        // The parts' headers first, to put them in order; then each part in turn, added up
        // as it is read, so that memory does not grow with the number of parts.
        var shards: [(number: Int, path: String)] = []
        for path in paths {
            let (settings, part) = try BackgroundFile.header(path: path)
            guard let (number, count) = part else {
                throw .badPart(path: path, line: nil, reason: "this is a whole genome's background already; merge takes the parts that annotate background --shard I/N writes")
            }
            if let difference = settings.difference(from: self.settings) {
                throw .badPart(path: path, line: nil, reason: "made with other settings than \(paths[0]) (\(difference)), or with another model than this merge's --model")
            }
            guard count == paths.count else {
                throw .badPart(path: path, line: nil, reason: "this is part \(number) of \(count), and \(paths.count) files were given: merge needs every part once")
            }
            if let twin = shards.first(where: { $0.number == number }) { throw .badPart(path: path, line: nil, reason: "part \(number) is given twice (also \(twin.path))") }
            shards.append((number, path))
        }
        shards.sort { $0.number < $1.number }
        var total = BackgroundParts()
        for shard in shards {
            guard case let .part(number, _, parts) = try BackgroundFile.read(path: shard.path).content, number == shard.number else {
                throw .badPart(path: shard.path, line: nil, reason: "the file changed while it was merged")
            }
            if let problem = total.add(parts) { throw .badPart(path: shard.path, line: nil, reason: problem + ": the parts come from different genomes or shardings") }
        }
        guard let last = total.records.last, last.recordLength != nil else {
            throw .badPart(path: shards.last?.path ?? "", line: nil, reason: "the parts end inside a record: a part is missing")
        }
        let decoys = DecoyTallies(scorer: scorer, strands: strands, geometry: geometry, threads: threads)
        defer { decoys.finishWorkers() }
        let background = decoys.finish(total)
        try BackgroundFile.write(.genome(background), settings: settings, to: file)
        return (background.recordNames.count, background.decoyWindows)
    }

    /// Reads a genome's background file and checks that it fits these settings and the input
    /// (by the input's index, when it has one); returns it with its digest.
    package func load(path: String, inputs: [String]) throws(GenomeIOError) -> (GenomeBackground, String) {
        let (settings, content) = try BackgroundFile.read(path: path)
        guard case let .genome(background) = content else {
            throw .badPart(path: path, line: nil, reason: "this is one shard's part of a background; annotate merge joins the parts into the genome's")
        }
        if let difference = settings.difference(from: self.settings) {
            throw .badPart(path: path, line: nil, reason: "made with other settings than this scan (\(difference)): scan with the background's --model, --step, --strand and --skip-soft-masked")
        }
        if inputs.count == 1, inputs[0] != "-", IndexedFasta.hasIndex(inputs[0]) {
            let index = try IndexedFasta(path: inputs[0]).index
            let records = index.entries.map { "\($0.name)\t\($0.length)" }
            let backgrounds = zip(background.recordNames, background.recordLengths).map { "\($0)\t\($1)" }
            if records != backgrounds {
                let first = zip(records, backgrounds).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(records.count, backgrounds.count)
                throw .badPart(path: path, line: nil, reason: "this background is of another genome than \(inputs[0]) (their records differ from number \(first + 1) on)")
            }
        }
        return (background, SHA256.hexDigest(try ByteStream.contents(of: path)))
    }
}
