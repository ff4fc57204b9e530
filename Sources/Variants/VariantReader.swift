import GenomeIO
import Model

/// Reads a VCF for `variants` (plain, gzip or BGZF): passes its header through with the
/// added fields declared, and turns each data line into a `VariantJob` with the reference
/// around it, checking its REF against the FASTA.
struct VariantReader {
    let path: String
    private let lines: FieldReader
    private let reference: ReferenceCache
    private let windowLength: Int
    private let numbers: [String: Int]
    private let strict: Bool
    private let warn: (String) -> Void
    private(set) var summary = VariantSummary()
    private var missing: Set<String> = []
    private var warnings = 0
    static let warningLimit = 100
    /// The first data line, read with the header.
    private var pending: [UInt8]?

    init(path: String, fasta: IndexedFasta, windowLength: Int, numbers: [String: Int], strict: Bool,
         warn: @escaping (String) -> Void) throws(GenomeIOError) {
        self.path = path
        lines = try FieldReader(path: path)
        reference = ReferenceCache(fasta: fasta)
        self.windowLength = windowLength
        self.numbers = numbers
        self.strict = strict
        self.warn = warn
    }

    private var name: String { path == "-" ? "stdin" : path }

    /// Reads the header and returns it with the fields' declarations before `#CHROM` (and
    /// any earlier declarations of them left out); for TSV, the column names.
    mutating func header(model: String, format: VariantFormat) throws(GenomeIOError) -> [UInt8] {
        var out: [UInt8] = []
        guard let first = try lines.nextLine(), first.starts(with: Array("##fileformat=VCF".utf8)) else {
            throw .badVariant(path: name, line: 1, reason: "not VCF: a VCF starts with a ##fileformat=VCFv4.x line")
        }
        out += first + [0x0A]
        var contigs: Set<String> = []
        let contig = Array("##contig=<ID=".utf8)
        while let line = try lines.nextLine() {
            if line.starts(with: contig) {
                let id = line.dropFirst(contig.count).prefix { $0 != 0x2C && $0 != 0x3E }
                contigs.insert(String(decoding: id, as: UTF8.self))
            }
            if line.starts(with: Array("#CHROM".utf8)) {
                // The FASTA's records the header does not declare (bcftools wants every contig declared).
                for entry in reference.fasta.index.entries where !contigs.contains(entry.name) {
                    out += Array("##contig=<ID=\(entry.name),length=\(entry.length)>\n".utf8)
                }
                for declaration in VariantFields.headerLines(model: model) { out += Array(declaration.utf8) + [0x0A] }
                out += line + [0x0A]
                return format == .vcf ? out : Array((VariantRenderer.tsvHeader + "\n").utf8)
            }
            guard line.starts(with: Array("##".utf8)) else {
                throw .badVariant(path: name, line: lines.line, reason: "the header has no #CHROM line before the records")
            }
            if !VariantFields.isOurs(Array(line)) { out += line + [0x0A] }
        }
        throw .badVariant(path: name, line: lines.line, reason: "the file ends in its header: it has no #CHROM line")
    }

    /// The next record's job, or nil at the end.
    mutating func next() throws(GenomeIOError) -> VariantJob? {
        var read = try lines.nextLine()
        // Blank lines (a file that ends in two newlines) hold no record.
        while let bytes = read, bytes.isEmpty { read = try lines.nextLine() }
        guard let bytes = read else { return nil }
        let number = lines.line
        let (parsed, problem) = VariantLine.parse(Array(bytes))
        guard let line = parsed else { throw .badVariant(path: name, line: number, reason: problem ?? "not a VCF record") }
        summary.records += 1
        let place = "\(MessageText.shown(line.chromosome, limit: 60)):\(line.position)"
        var job = VariantJob(line: line, haplotypes: [], alternates: [],
                             effect: VariantEffect(alleles: line.alternates.map { _ in .skipped }, referenceMismatch: false,
                                                   backgroundIndex: numbers[line.chromosome] ?? -1))
        guard let length = reference.length(of: line.chromosome) else {
            summary.missingChromosome += 1
            if missing.insert(line.chromosome).inserted {
                warn("\(name): line \(number): chromosome \(MessageText.shown(line.chromosome, limit: 60)) is not in the FASTA; its records are written without scores")
            }
            return job
        }
        let start = line.position - 1, end = start + line.reference.count
        guard start >= 0, end <= length else {
            summary.outsideRecord += 1
            note("\(name): line \(number): \(place): REF lies outside the chromosome (\(length) bp); written without scores", number: number)
            return job
        }
        let from = max(0, start - (windowLength - 1)), to = min(length, end + windowLength - 1)
        let context = Array(try reference.bases(line.chromosome, from: from, to: to))
        let left = context[0..<(start - from)], right = context[(end - from)...]
        let genome = context[(start - from)..<(end - from)]
        if !genome.elementsEqual(line.reference, by: { $0 & 0xDF == $1 & 0xDF }) {
            job.effect.referenceMismatch = true
            summary.referenceMismatches += 1
            let message = "\(place): REF \(MessageText.shown(String(decoding: line.reference.prefix(20), as: UTF8.self), limit: 24)) differs from the FASTA's \(MessageText.shown(String(decoding: genome.prefix(20), as: UTF8.self), limit: 24))"
            if strict { throw .badVariant(path: name, line: number, reason: message + " (--strict)") }
            note("\(name): line \(number): \(message); the REF windows read the FASTA, and the record is flagged \(VariantFields.mismatch)", number: number)
        }
        job.haplotypes.append(Haplotype(bases: context, start: from))
        for allele in line.alternates {
            guard VariantLine.isSequence(allele) else {
                summary.symbolicSkipped += 1
                job.alternates.append(nil)
                continue
            }
            job.alternates.append(job.haplotypes.count)
            job.haplotypes.append(Haplotype(bases: Array(left) + allele + Array(right), start: from))
            summary.allelesScored += 1
        }
        return job
    }

    /// A warning, up to `warningLimit` of them; the summary counts them all.
    private mutating func note(_ message: String, number: Int) {
        warnings += 1
        if warnings <= VariantReader.warningLimit { warn(message) }
        if warnings == VariantReader.warningLimit { warn("\(name): further warnings like these are left out; the summary counts them") }
    }
}
