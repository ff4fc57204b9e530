import Model

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
