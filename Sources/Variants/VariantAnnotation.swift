import Background
import GenomeIO
import Model
import Scoring

/// Scores every ALT allele of a VCF against the genome: the best window overlapping the
/// REF allele and the best overlapping the ALT allele on the ALT haplotype (the REF allele
/// replaced by the ALT, with window − 1 bases of the reference on each side), both
/// strands, with their p-values against the genome's background.
///
/// The VCF is streamed in batches of records scored on the workers and written in input
/// order; the FASTA is read through its faidx index one neighbourhood at a time (`ReferenceCache`).
public struct VariantAnnotation {
    let network: Network
    let fasta: IndexedFasta
    let options: VariantOptions
    /// Warnings (one line each) go here.
    let warn: (String) -> Void

    public init(network: Network, fasta path: String, options: VariantOptions, warn: @escaping (String) -> Void) throws(GenomeIOError) {
        if path != "-", let first = try? FieldReader(path: path).nextLine(), first.starts(with: Array("##fileformat=VCF".utf8)) {
            throw .notFasta(path: path, line: 1, lookalike: "this is a VCF; --fasta takes the genome and --vcf the variants (were the two swapped?)")
        }
        guard IndexedFasta.hasIndex(path) else {
            throw .badIndex(path: path + ".fai", line: nil, reason: "variants reads the FASTA through its faidx index; make one with annotate index \(path)")
        }
        self.network = network
        fasta = try IndexedFasta(path: path)
        self.options = options
        self.warn = warn
    }

    public func run(vcf path: String, output: OutputFile) throws(GenomeIOError) -> VariantSummary {
        let windowScorer = makeWindowScorer(for: network)
        // The background of the scans variants are compared with: every window, both strands.
        let backgrounds = BackgroundBuilder(network: network, scorer: windowScorer, step: 1, strands: .both, skipSoftMasked: false,
                                            threads: options.threads)
        let background: GenomeBackground
        if let file = options.background {
            background = try backgrounds.load(path: file, inputs: [fasta.path]).0
        } else {
            background = try backgrounds.make(inputs: [fasta.path])
        }
        var numbers: [String: Int] = [:]
        for (number, name) in background.recordNames.enumerated() where numbers[name] == nil { numbers[name] = number }
        let scorer = HaplotypeScorer(scorer: windowScorer, windowLength: network.inputLength)
        let renderer = VariantRenderer(background: background)
        let format = options.format
        let workers = OrderedWorkers<[VariantJob], [UInt8]>(threads: options.threads, capacity: 4 * max(options.threads, 1)) { jobs in
            VariantJob.render(jobs, scorer: scorer, renderer: renderer, format: format)
        }
        defer { workers.finish() }
        var reader = try VariantReader(path: path, fasta: fasta, windowLength: network.inputLength, numbers: numbers,
                                       strict: options.strict, warn: warn)
        try output.write(bytes: try reader.header(model: network.name, format: format))
        var batch: [VariantJob] = [], bases = 0
        func drain(waiting: Bool) throws(GenomeIOError) {
            var wait = waiting
            while let bytes = workers.next(waiting: wait) {
                try output.write(bytes: bytes)
                wait = false
            }
        }
        func submit() throws(GenomeIOError) {
            guard !batch.isEmpty else { return }
            if workers.inFlight >= workers.capacity { try drain(waiting: true) }
            workers.submit(batch)
            batch = []
            bases = 0
            try drain(waiting: false)
        }
        while let job = try reader.next() {
            batch.append(job)
            bases += job.haplotypes.reduce(0) { $0 + $1.bases.count }
            if batch.count >= 1024 || bases >= 1 << 18 { try submit() }
            if output.isClosedByReader { return reader.summary }
        }
        try submit()
        while workers.inFlight > 0 { try drain(waiting: true) }
        return reader.summary
    }
}
