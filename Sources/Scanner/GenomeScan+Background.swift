import Model

extension GenomeScan {
    /// What this scan's background depends on besides the genome.
    var backgroundSettings: BackgroundSettings {
        BackgroundSettings(windowLength: network.inputLength, step: scoring.step, strands: scoring.strands,
                           skipSoftMasked: scoring.skipSoftMasked, model: network.fingerprint)
    }

    /// Writes the background of the inputs (`BackgroundFile`), or with `shard` (and
    /// `scoring.regions` nil) the part of it that shard `shard.index` of `shard.count` of the
    /// one indexed input makes, for `mergeBackgrounds`. Returns the records and decoy
    /// windows it holds (decoys only for a whole genome's).
    public func writeBackground(inputs: [String], shard: (index: Int, count: Int)?, to file: OutputFile,
                                progress: ((ScanProgress) -> Void)? = nil) throws(ScannerError) -> (records: Int, decoyWindows: Int?) {
        var pass = BackgroundPass(scorer: scorer, options: scoring, geometry: geometry)
        pass.progress = progress
        if let shard, let path = inputs.first {
            let fasta = try IndexedFasta(path: path)
            let blocks = ScanRegions.shard(shard.index, of: shard.count, index: fasta.index, windowLength: 1)
            let parts = try pass.parts(of: fasta, shard: blocks)
            try BackgroundFile.write(.part(shard: shard.index, of: shard.count, parts), settings: backgroundSettings, to: file)
            return (parts.records.count, nil)
        }
        let copy = inputs.contains("-") ? try ScratchFile(purpose: "copy of stdin") : nil
        let background = try pass.run(inputs: inputs, stdinCopy: copy)
        try BackgroundFile.write(.genome(background), settings: backgroundSettings, to: file)
        return (background.recordNames.count, background.decoyWindows)
    }

    /// Adds up the background parts of every shard of one genome (in any order, each once)
    /// and writes the genome's background: the same file `writeBackground` writes for the
    /// whole genome.
    ///
    /// The parts' settings (step, strands, soft-masked bases) are the merge's; `network`
    /// must be the model they were scored with, since the small blocks' and top-up decoys
    /// are scored here.
    public static func mergeBackgrounds(paths: [String], network: Network, threads: Int?, to file: OutputFile) throws(ScannerError) -> (records: Int, decoyWindows: Int) {
        guard let first = paths.first else { throw .badPart(path: "-", line: nil, reason: "no parts to merge") }
        let settings = try BackgroundFile.read(path: first).settings
        var scoring = ScoringOptions()
        scoring.step = settings.step
        scoring.strands = settings.strands
        scoring.skipSoftMasked = settings.skipSoftMasked
        if let threads { scoring.threads = threads }
        return try GenomeScan(network: network, scoring: scoring).mergeBackgrounds(paths: paths, to: file)
    }

    private func mergeBackgrounds(paths: [String], to file: OutputFile) throws(ScannerError) -> (records: Int, decoyWindows: Int) {
        // The parts' headers first, to put them in order; then each part in turn, added up
        // as it is read, so that memory does not grow with the number of parts.
        var shards: [(number: Int, path: String)] = []
        for path in paths {
            let (settings, part) = try BackgroundFile.header(path: path)
            guard let (number, count) = part else {
                throw .badPart(path: path, line: nil, reason: "this is a whole genome's background already; merge takes the parts that annotate background --shard I/N writes")
            }
            if let difference = settings.difference(from: backgroundSettings) {
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
        let decoys = DecoyTallies(scorer: scorer, strands: scoring.strands, geometry: geometry, threads: scoring.threads)
        defer { decoys.finishWorkers() }
        let background = decoys.finish(total)
        try BackgroundFile.write(.genome(background), settings: backgroundSettings, to: file)
        return (background.recordNames.count, background.decoyWindows)
    }

    /// Reads a genome's background file and checks that it fits this scan and its input
    /// (by the input's index, when it has one); returns it with its digest.
    func loadBackground(path: String, inputs: [String]) throws(ScannerError) -> (GenomeBackground, String) {
        let (settings, content) = try BackgroundFile.read(path: path)
        guard case let .genome(background) = content else {
            throw .badPart(path: path, line: nil, reason: "this is one shard's part of a background; annotate merge joins the parts into the genome's")
        }
        if let difference = settings.difference(from: backgroundSettings) {
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
