import Model

/// How `variants` writes its results.
public enum VariantFormat: String, Sendable, CaseIterable {
    /// The input VCF with INFO fields added (`VariantFields`).
    case vcf
    /// One row per ALT allele.
    case tsv
}

public struct VariantOptions: Sendable {
    public var format = VariantFormat.vcf
    /// A REF that does not match the FASTA is an error instead of a warning.
    public var strict = false
    public var threads = ScoringOptions().threads
    /// The genome's background (`annotate background`); nil: made from the FASTA first.
    public var background: String?
    public init() {}
}

/// What `variants` read and wrote.
public struct VariantSummary: Sendable, Equatable {
    public var records = 0
    public var allelesScored = 0
    public var symbolicSkipped = 0
    public var referenceMismatches = 0
    public var missingChromosome = 0
    public var outsideRecord = 0

    public var description: String {
        "\(records) records, \(allelesScored) alleles scored; \(symbolicSkipped) symbolic or * alleles skipped, "
            + "\(referenceMismatches) records whose REF differs from the FASTA, \(missingChromosome) on chromosomes the FASTA lacks, "
            + "\(outsideRecord) outside their chromosome"
    }
}

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

    public init(network: Network, fasta path: String, options: VariantOptions, warn: @escaping (String) -> Void) throws(ScannerError) {
        guard IndexedFasta.hasIndex(path) else {
            throw .badIndex(path: path + ".fai", line: nil, reason: "variants reads the FASTA through its faidx index; make one with annotate index \(path)")
        }
        self.network = network
        fasta = try IndexedFasta(path: path)
        self.options = options
        self.warn = warn
    }

    public func run(vcf path: String, output: OutputFile) throws(ScannerError) -> VariantSummary {
        var scoring = ScoringOptions()
        scoring.threads = options.threads
        let scan = GenomeScan(network: network, scoring: scoring)
        let background: GenomeBackground
        if let file = options.background {
            background = try scan.loadBackground(path: file, inputs: [fasta.path]).0
        } else {
            background = try BackgroundPass(scorer: scan.scorer, options: scoring, geometry: scan.geometry).run(inputs: [fasta.path], stdinCopy: nil)
        }
        var numbers: [String: Int] = [:]
        for (number, name) in background.recordNames.enumerated() where numbers[name] == nil { numbers[name] = number }
        let scorer = HaplotypeScorer(scorer: scan.scorer, windowLength: network.inputLength)
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
        func drain(waiting: Bool) throws(ScannerError) {
            var wait = waiting
            while let bytes = workers.next(waiting: wait) {
                try output.write(bytes: bytes)
                wait = false
            }
        }
        func submit() throws(ScannerError) {
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

/// One record to score: its line, its haplotypes (REF first, then each ALT that is a
/// sequence), and which allele each ALT haplotype is.
struct VariantJob: Sendable {
    let line: VariantLine
    var haplotypes: [Haplotype]
    /// For each ALT allele, the index of its haplotype, or nil when it is skipped.
    var alternates: [Int?]
    var effect: VariantEffect

    /// Scores a batch of records (on a worker) and writes their lines. The reference around
    /// records near each other on one chromosome (a sorted VCF) is laid out and scored once.
    static func render(_ jobs: [VariantJob], scorer: HaplotypeScorer, renderer: VariantRenderer, format: VariantFormat) -> [UInt8] {
        var haplotypes: [Haplotype] = [], queries: [(haplotype: Int, windows: Range<Int>)] = [], firsts: [Int] = []
        var shared: (chromosome: String, haplotype: Int)?
        let length = scorer.windowLength
        for job in jobs {
            firsts.append(queries.count)
            guard let reference = job.haplotypes.first else { continue }
            let end = reference.start + reference.bases.count
            if let current = shared, current.chromosome == job.line.chromosome, reference.start >= haplotypes[current.haplotype].start,
               reference.start <= haplotypes[current.haplotype].start + haplotypes[current.haplotype].bases.count {
                let segment = haplotypes[current.haplotype]
                let segmentEnd = segment.start + segment.bases.count
                if end > segmentEnd { haplotypes[current.haplotype].bases += reference.bases[(segmentEnd - reference.start)...] }
            } else {
                shared = (job.line.chromosome, haplotypes.count)
                haplotypes.append(reference)
            }
            let segment = haplotypes[shared?.haplotype ?? 0]
            queries.append((shared?.haplotype ?? 0, (reference.start - segment.start)..<max(reference.start - segment.start, end - segment.start - length + 1)))
            for alternate in job.haplotypes.dropFirst() {
                queries.append((haplotypes.count, 0..<max(0, alternate.bases.count - length + 1)))
                haplotypes.append(alternate)
            }
        }
        let best = scorer.best(haplotypes, queries: queries)
        var out: [UInt8] = []
        for (job, first) in zip(jobs, firsts) {
            var effect = job.effect
            if !job.haplotypes.isEmpty {
                let reference = best[first]
                effect.alleles = job.alternates.map { index in
                    index.map { .scored(reference: reference, alternate: best[first + $0]) } ?? .skipped
                }
            }
            switch format {
            case .vcf: out += renderer.vcfLine(job.line, effect)
            case .tsv: out += renderer.tsvLines(job.line, effect)
            }
        }
        return out
    }
}

/// One variant's window, as `explain --variant` shows it: the same window on the REF and
/// the ALT haplotype, as the model read it (reverse-complemented on the − strand).
public struct VariantWindow: Sendable {
    public let reference: [UInt8]
    public let alternate: [UInt8]
    /// 1-based start of the window, and its strand.
    public let start: Int
    public let reverse: Bool
    /// The best windows of the two haplotypes (the window shown is the better of them).
    public let best: (reference: BestWindow?, alternate: BestWindow?)
    public let referenceMismatch: Bool
}

extension VariantAnnotation {
    /// The window to explain for one variant (`chromosome:position:REF:ALT`, 1-based): the
    /// best window of the REF or the ALT haplotype, whichever scores higher, read on both.
    public func window(of variant: String) throws(ScannerError) -> VariantWindow {
        let parts = variant.split(separator: ":", omittingEmptySubsequences: false)
        let length = network.inputLength
        guard parts.count == 4, let position = Int(parts[1]), position >= 1, position < 1 << 48,
              let parsed = VariantLine.parse(Array("\(parts[0])\t\(position)\t.\t\(parts[2])\t\(parts[3])\t.\t.\t.".utf8)).0,
              let alternate = parsed.alternates.first, parsed.alternates.count == 1, VariantLine.isSequence(alternate) else {
            throw .badRegion(path: fasta.path, region: variant, reason: "a variant is CHROM:POS:REF:ALT, 1-based, with REF and ALT made of A, C, G, T and N")
        }
        let reference = ReferenceCache(fasta: fasta)
        guard let record = reference.length(of: parsed.chromosome) else {
            throw .badRegion(path: fasta.path, region: variant, reason: "no record of that name in the FASTA")
        }
        let start = position - 1, end = start + parsed.reference.count
        guard end <= record else { throw .badRegion(path: fasta.path, region: variant, reason: "REF lies outside the record (\(record) bp)") }
        let from = max(0, start - (length - 1)), to = min(record, end + length - 1)
        let context = Array(try reference.bases(parsed.chromosome, from: from, to: to))
        let genome = context[(start - from)..<(end - from)]
        let haplotypes = [Haplotype(bases: context, start: from),
                          Haplotype(bases: Array(context[..<(start - from)]) + alternate + Array(context[(end - from)...]), start: from)]
        let best = HaplotypeScorer(scorer: GenomeScan(network: network).scorer, windowLength: length).best(haplotypes)
        guard let shown = [best[0], best[1]].compactMap({ $0 }).max(by: { $0.probability < $1.probability }) else {
            throw .badRegion(path: fasta.path, region: variant, reason: "no window around it can be scored (N or other letters)")
        }
        func read(_ haplotype: Haplotype) -> [UInt8] {
            let offset = min(max(shown.start - haplotype.start, 0), max(haplotype.bases.count - length, 0))
            let bases = haplotype.bases[offset..<min(offset + length, haplotype.bases.count)].map { $0 & 0xDF }
            return shown.reverse ? ReverseComplement.of(bases) : bases
        }
        return VariantWindow(reference: read(haplotypes[0]), alternate: read(haplotypes[1]), start: shown.start + 1, reverse: shown.reverse,
                             best: (best[0], best[1]), referenceMismatch: !genome.elementsEqual(parsed.reference, by: { $0 & 0xDF == $1 & 0xDF }))
    }
}
