import ArgumentParser
import Background
import GenomeIO
import Scan
import Scoring

#if canImport(Glibc)
import Glibc
#endif

struct Background: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the background a scan's p-values are measured against, for scans of shards or regions.",
        usage: "annotate background [<options>] [<fasta> ...]",
        discussion: """
            The background is what a scan with statistics makes in its first reading of the \
            input: decoy DNA for every 64-kbp block of every record, scored by the model (see \
            annotate scan --help). Written once, it serves every scan of the same genome with \
            the same model, --step, --strand and --skip-soft-masked (scan --background FILE), \
            so that scans of shards or regions give the p-values of a scan of the whole genome.

            With --shard I/N, only the blocks of shard I of the indexed FASTA are read, and the \
            file is that shard's part; annotate merge joins the N parts into the genome's \
            background, exactly the one a single run writes.
            """
    )

    @OptionGroup var model: ModelOptions

    @Argument(help: ArgumentHelp("FASTA files (.gz or plain); - or none for stdin.", valueName: "fasta"))
    var inputs: [String] = []

    @Option(parsing: .unconditional, help: "Distance between window starts, in bases, of the scans it is for.")
    var step = 1

    @Option(help: "Strands the scans score.")
    var strand: StrandChoice = .both

    @Flag(help: "Leave out windows that touch lowercase (soft-masked) bases, as the scans will.")
    var skipSoftMasked = false

    @Option(help: ArgumentHelp("Write the part of shard I of N (1 <= I <= N) of one indexed FASTA.", valueName: "I/N"))
    var shard: GenomeShard?

    @Option(parsing: .unconditional, help: "Worker threads (default: the number of cores).")
    var threads: Int?

    @Option(name: .shortAndLong, help: ArgumentHelp("The background file; it appears only when the run succeeds.", valueName: "file"))
    var output: String

    @Flag(help: "No summary on stderr.")
    var quiet = false

    func validate() throws {
        if step < 1 { throw ValidationError("--step must be at least 1") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024") }
        if output == "-" { throw ValidationError("-o needs a file") }
        if shard != nil, inputs.count != 1 || inputs[0] == "-" { throw ValidationError("--shard needs one indexed FASTA file (annotate index FILE), not stdin") }
    }

    func run() throws {
        try reportingErrors("background") {
            refuseOverwritingInputs("background", inputs: inputs + [model.model], outputs: [("-o", output)])
            if shard != nil, let source = inputs.first { try requireIndex(source, for: "--shard") }
            let out = try OutputFile(path: output)
            let written = try BackgroundBuilder(network: model.load(), step: step, strands: strand, skipSoftMasked: skipSoftMasked,
                                                threads: threads ?? WorkerThreads.available)
                .write(inputs: inputs.isEmpty ? ["-"] : inputs, shard: shard, to: out)
            try out.commit()
            if !quiet {
                printError("annotate background: \(written.records) records" + (written.decoyWindows.map { ", \($0) decoy windows" } ?? " (a part, for annotate merge)"))
            }
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the outputs of scans of shards into the output of one scan of the whole genome.",
        usage: "annotate merge [<options>] <file> ...",
        discussion: """
            Takes every shard's file of one scan, in any order, and writes exactly what one \
            scan of the whole genome with the same options writes: the shards' windows laid \
            end to end, merged into regions across the shards' cuts, records in the genome's \
            order, and q-values over every shard's tests. The format and options are the \
            scan's; -o FILE.gz (or --bgzip) writes BGZF with a tabix index, as scan does.

            It also joins the N parts of a background (annotate background --shard I/N) into \
            the genome's background (give the scans' --model, whose decoys it scores).

            Scanning a genome in shards, with statistics:
              annotate index genome.fa.gz
              annotate background genome.fa.gz --shard I/N -o bg.I        (each I)
              annotate merge bg.1 ... bg.N -o genome.background
              annotate scan genome.fa.gz --shard I/N --background genome.background -o scan.I   (each I)
              annotate merge scan.1 ... scan.N -o sites.bed.gz
            With --no-stats, the scans need no background. bedGraph shards are plain bedGraph \
            (the track line in shard 1 only): cat joins them. workflow/Snakefile does all of this.
            """
    )

    @OptionGroup var model: ModelOptions

    @Argument(help: ArgumentHelp("Every shard's file of one scan, or every part of one background.", valueName: "file"))
    var inputs: [String]

    @Option(parsing: .unconditional, help: "Worker threads for a background's decoys (default: the number of cores).")
    var threads: Int?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of stdout; the file appears only when the merge succeeds.", valueName: "file"))
    var output: String?

    @Flag(help: "Write BGZF with a tabix index beside a file; the default for -o FILE.gz.")
    var bgzip = false

    @Flag(help: "No summary on stderr.")
    var quiet = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give the files to merge") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024") }
    }

    func run() throws {
        try reportingErrors("merge") {
            refuseOverwritingInputs("merge", inputs: inputs + [model.model], outputs: [("-o", output)])
            guard let kind = try ShardMerge.kind(of: inputs[0]) else {
                throw GenomeIOError.badPart(path: inputs[0], line: 1, reason: "not a shard or background file of annotate (annotate scan --shard and annotate background --shard write them)")
            }
            switch kind {
            case .background:
                guard let output, output != "-" else { throw GenomeIOError.badPart(path: inputs[0], line: nil, reason: "a background is merged into a file: give -o FILE") }
                let out = try OutputFile(path: output)
                let merged = try BackgroundBuilder.merge(paths: inputs, network: model.load(), threads: threads, to: out)
                try out.commit()
                if !quiet { printError("annotate merge: \(merged.records) records, \(merged.decoyWindows) decoy windows") }
            case .shard:
                let out = try OutputFile(path: output, bgzip: bgzip || output?.hasSuffix(".gz") == true)
                let summary = try ShardMerge.run(paths: inputs, output: out)
                if out.isClosedByReader { return }
                try out.commit()
                if !quiet { printError("annotate merge: \(summary.description)") }
            }
        }
    }
}

/// Fails unless `source` has a faidx index beside it.
func requireIndex(_ source: String, for option: String) throws {
    guard IndexedFasta.hasIndex(source) else {
        throw GenomeIOError.badIndex(path: source + ".fai", line: nil, reason: "\(option) needs the input's faidx index; make one with annotate index \(source)")
    }
}

extension StrandChoice: ExpressibleByArgument {}
