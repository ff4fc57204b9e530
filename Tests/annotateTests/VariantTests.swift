import Foundation
import Model
import Scan
import TestSupport
import Testing
import Tracks
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `annotate variants`: each allele's best REF and ALT windows.
@Suite struct VariantTests {
    static let bcftools = ["/usr/bin/bcftools", "/usr/local/bin/bcftools"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A genome of a few records, written and indexed; its records' bases.
    static func genome(in folder: URL, records: [Int] = [60_000, 5_000, 300], seed: UInt32 = 21) throws -> (path: String, bases: [String: [UInt8]], names: [String]) {
        let path = folder.appendingPathComponent("g.fa").path
        let text = syntheticGenome(records: records, seed: seed)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Annotate.run(["index", path]).status == 0)
        var bases: [String: [UInt8]] = [:], names: [String] = [], name = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix(">") {
                name = String(line.dropFirst().split(separator: " ")[0])
                names.append(name)
                bases[name] = []
            } else {
                bases[name, default: []] += Array(line.utf8)
            }
        }
        return (path, bases, names)
    }

    static func vcf(_ records: [String], contigs: [String] = []) -> String {
        "##fileformat=VCFv4.2\n" + contigs.map { "##contig=<ID=\($0)>\n" }.joined()
            + "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Kind\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
            + records.map { $0 + "\n" }.joined()
    }

    /// The best window of `context` as a scan of it writes every window (the reference
    /// kernel, both strands; windows with anything but A, C, G, T left out): the
    /// probability, 0-based offset, and strand.
    static func best(_ context: [UInt8], scan: GenomeScan) -> (p: Float, offset: Int, reverse: Bool)? {
        var top: (p: Float, offset: Int, reverse: Bool)?
        for (offset, window) in scan.windowProbabilities(bases: context).enumerated() {
            for (p, reverse) in [(window.forward, false), (window.reverse, true)] where !p.isNaN && p > (top?.p ?? -1) {
                top = (p, offset, reverse)
            }
        }
        return top
    }

    /// The same by the network's own forward pass, one window at a time.
    static func best(_ context: [UInt8], network: Network) -> (p: Float, offset: Int, reverse: Bool)? {
        let length = network.inputLength
        guard context.count >= length else { return nil }
        var windows: [[UInt8]] = [], where_: [(Int, Bool)] = []
        let complement: [UInt8: UInt8] = [65: 84, 67: 71, 71: 67, 84: 65]
        for s in 0...(context.count - length) {
            let window = context[s..<(s + length)].map { $0 & 0xDF }
            guard window.allSatisfy({ complement[$0] != nil }) else { continue }
            windows.append(window)
            where_.append((s, false))
            windows.append(window.reversed().map { complement[$0] ?? 78 })
            where_.append((s, true))
        }
        guard !windows.isEmpty else { return nil }
        let p = network.predict(oneHot: Nucleotide.oneHot(windows), count: windows.count)
        var top = 0
        for i in p.indices where p[i] > p[top] { top = i }
        return (p[top], where_[top].0, where_[top].1)
    }

    /// For 1,000 random SNVs, MNVs, insertions, deletions and multi-allelic records, in
    /// random order and some at the records' ends, the REF and ALT scores equal the best
    /// window of the reference and of the edited sequence, built here and scanned with the
    /// reference kernel; the first 100 also by the network's forward pass, window by window.
    @Test func scoresEqualADirectScanOfTheEditedSequence() throws {
        let folder = try Scratch.directory()
        let (genome, bases, names) = try VariantTests.genome(in: folder)
        var random = MersenneTwister(seed: 77)
        let letters = Array("ACGT".utf8)
        var records: [String] = [], alleles: [(name: String, start: Int, ref: [UInt8], alt: [UInt8])] = []
        for k in 0..<1_000 {
            let name = names[random.nextInt(through: names.count - 1)]
            let sequence = bases[name] ?? []
            let kind = random.nextInt(through: 9)
            let refLength = kind < 5 ? 1 : kind < 7 ? 1 + random.nextInt(through: 5) : 1
            var start = random.nextInt(through: sequence.count - refLength)
            if k % 50 == 0 { start = k % 100 == 0 ? 0 : sequence.count - refLength }
            let ref = Array(sequence[start..<(start + refLength)]).map { $0 & 0xDF }
            guard ref.allSatisfy({ letters.contains($0) }) else { continue }
            var alts: [[UInt8]] = []
            switch kind {
            case 0..<5: alts = [[letters.first { $0 != ref[0] } ?? 65]]
            case 5: alts = [ref.map { b in letters.first { $0 != b } ?? 65 }]  // an MNV
            case 6: alts = [[ref[0]]]  // a deletion
            case 7, 8: alts = [[ref[0]] + (0...random.nextInt(through: 6)).map { _ in letters[random.nextInt(through: 3)] }]
            default: alts = [[letters.first { $0 != ref[0] } ?? 65], ref + [letters[random.nextInt(through: 3)]]]
            }
            let altText = alts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",")
            records.append("\(name)\t\(start + 1)\tv\(k)\t\(String(decoding: ref, as: UTF8.self))\t\(altText)\t.\t.\t.")
            for alt in alts { alleles.append((name, start, ref, alt)) }
        }
        let input = folder.appendingPathComponent("v.vcf").path
        try VariantTests.vcf(records).write(toFile: input, atomically: true, encoding: .utf8)
        let run = try Annotate.run(["variants", "--fasta", genome, "--vcf", input, "--format", "tsv"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(rows.count == alleles.count)
        // Contigs the input does not declare are declared from the FASTA, so that bcftools needs no index.
        #expect(try Annotate.run(["variants", "--quiet", "--fasta", genome, "--vcf", input]).stdout.contains("##contig=<ID=r0,length=60000>\n##contig=<ID=r1,length=5000>\n##contig=<ID=r2,length=300>\n##INFO"))
        let network = try Network.builtin()
        var options = ScoringOptions()
        options.referenceKernelOnly = true
        var output = OutputOptions()
        output.threshold = 0
        let scan = GenomeScan(network: network, scoring: options, output: output)
        let window = network.inputLength
        var checked = 0
        for (number, (row, allele)) in zip(rows, alleles).enumerated() {
            let sequence = bases[allele.name] ?? []
            let from = max(0, allele.start - (window - 1)), end = allele.start + allele.ref.count
            let left = Array(sequence[from..<allele.start]), right = Array(sequence[end..<min(sequence.count, end + window - 1)])
            for (context, column, strand, position) in [(left + allele.ref + right, 5, 13, 15), (left + allele.alt + right, 6, 14, 16)] {
                guard let expected = VariantTests.best(context, scan: scan) else {
                    #expect(row[column] == ".")
                    continue
                }
                if number < 100, let direct = VariantTests.best(context, network: network) {
                    #expect(abs(direct.p - expected.p) < 1e-6 && direct.offset == expected.offset && direct.reverse == expected.reverse)
                }
                let p = Float(row[column]) ?? -1
                #expect(abs(p - expected.p) < 1e-6, "\(row.prefix(5)): \(p) against \(expected.p)")
                #expect(Int(row[position]) == from + expected.offset + 1, "\(row.prefix(5))")
                #expect(row[strand] == (expected.reverse ? "-" : "+"), "\(row.prefix(5))")
                checked += 1
            }
        }
        #expect(checked > 1_900)
    }

    /// The edge cases: a REF that differs from the FASTA, symbolic and * alleles, a
    /// chromosome the FASTA lacks, a record past its chromosome's end, N around the
    /// variant, a multi-allelic record, the first and last bases, and unsorted records.
    @Test func edgeCasesAreScoredFlaggedOrCounted() throws {
        let folder = try Scratch.directory()
        let (genome, bases, _) = try VariantTests.genome(in: folder)
        let r0 = bases["r0"] ?? [], r2 = bases["r2"] ?? []
        func base(_ sequence: [UInt8], _ i: Int) -> String { String(UnicodeScalar(sequence[i] & 0xDF)) }
        let wrong = base(r0, 5000) == "A" ? "C" : "A"
        // Just past the N run that starts at base 100: some windows reach into it.
        let pastN = ((100..<1_000).first { r0[$0] & 0xDF != UInt8(ascii: "N") } ?? 200) + 3
        let records = [
            "r0\t5001\tmismatch\t\(wrong)\tG\t.\t.\tDP=3",
            "r0\t6001\tsymbolic\t\(base(r0, 6000))\t<DEL>,*\t.\t.\tSVTYPE=DEL",
            "chrX\t100\tmissing\tA\tC\t.\t.\t.",
            "r2\t300\tlast\t\(base(r2, 299))\tT,G\t.\t.\t.",
            "r2\t1\tfirst\t\(base(r2, 0))\tTT\t.\t.\t.",
            "r2\t301\toutside\tA\tC\t.\t.\t.",
            "r0\t\(pastN + 1)\tnearN\t\(base(r0, pastN))\t\(base(r0, pastN) == "A" ? "C" : "A")\t.\t.\t.",
            "r0\t10\tunsorted\t\(base(r0, 9))\t\(base(r0, 9) == "A" ? "G" : "A")\t.\t.\t.",
        ]
        let input = folder.appendingPathComponent("e.vcf").path
        try VariantTests.vcf(records, contigs: ["r0", "r1", "r2", "chrX"]).write(toFile: input, atomically: true, encoding: .utf8)
        let run = try Annotate.run(["variants", "--fasta", genome, "--vcf", input])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.count == records.count)
        func info(_ id: String) -> String { String(lines.first { $0.split(separator: "\t")[2] == id }?.split(separator: "\t")[7] ?? "") }
        // Line 9: after the fileformat, 4 contig, 2 INFO and #CHROM lines.
        #expect(run.stderr.contains("e.vcf: line 9: r0:5001: REF \(wrong) differs from the FASTA's \(base(r0, 5000))"), "\(run.stderr)")
        #expect(info("mismatch").hasPrefix("DP=3;TFBS_REF_P=") && info("mismatch").hasSuffix(";TFBS_REF_MISMATCH"))
        #expect(info("symbolic").contains("TFBS_ALT_P=.,.") && info("symbolic").hasPrefix("SVTYPE=DEL;"))
        #expect(run.stderr.contains("chromosome chrX is not in the FASTA"))
        #expect(info("missing").contains("TFBS_ALT_P=.;"))
        #expect(!info("last").contains("TFBS_ALT_P=.") && info("last").split(separator: ";").first { $0.hasPrefix("TFBS_ALT_P=") }?.split(separator: ",").count == 2)
        #expect(!info("first").contains("=."))
        #expect(run.stderr.contains("r2:301: REF lies outside the chromosome (300 bp)") && info("outside").contains("TFBS_REF_P=."))
        #expect(!info("nearN").contains("TFBS_ALT_P=.") && !info("unsorted").contains("TFBS_ALT_P=."))
        #expect(!run.stdout.contains("##contig=<ID=r2,length"), "declared contigs are not declared again")
        #expect(run.stderr.contains("8 records, 6 alleles scored; 2 symbolic or * alleles skipped, 1 records whose REF differs from the FASTA, 1 on chromosomes the FASTA lacks, 1 outside their chromosome"), "\(run.stderr)")
        let strict = try Annotate.run(["variants", "--strict", "--fasta", genome, "--vcf", input])
        #expect(strict.status == 1 && strict.stderr.split(separator: "\n").count == 1 && strict.stderr.contains("line 9: r0:5001: REF"), "\(strict.stderr)")

        if let bcftools = VariantTests.bcftools {
            let output = folder.appendingPathComponent("out.vcf").path
            #expect(try Annotate.run(["variants", "--quiet", "--fasta", genome, "--vcf", input, "-o", output]).status == 0)
            let view = try runTool(bcftools, ["view", output])
            #expect(view.status == 0 && view.err.isEmpty, "\(view.err)")
            let query = try runTool(bcftools, ["query", "-f", "%ID\t%INFO/TFBS_REF_P\t%INFO/TFBS_ALT_P\t%INFO/TFBS_DLOGIT\t%INFO/TFBS_ALT_POS\t%INFO/TFBS_REF_MISMATCH\n", output])
            #expect(query.status == 0 && query.err.isEmpty, "\(query.err)")
            let rows = query.out.split(separator: "\n").map { $0.split(separator: "\t") }
            #expect(rows.count == records.count)
            #expect(rows.first { $0[0] == "last" }.map { $0[2].split(separator: ",").count == 2 && Float($0[2].split(separator: ",")[0]) != nil } == true)
            #expect(rows.first { $0[0] == "mismatch" }?[5] == "1")
        }
    }

    /// Variants planted on a genome with planted sites: SNVs in the core of 12 sites
    /// (destroying them) and SNVs that complete 12 one-mismatch near-sites (creating them)
    /// rank above 200 SNVs at least 1 kbp from any site by |Δp|, move the logit by 8 or more,
    /// and the neutral ones stay below the bound `annotate variants --help` gives: |Δp| < 0.001
    /// (their logits may move further, deep in the background's range).
    @Test func destroyingAndCreatingVariantsRankFirst() throws {
        let folder = try Scratch.directory()
        var random = MersenneTwister(seed: 9)
        let letters = Array("ACGT".utf8), length = 130_000
        var bases = (0..<length).map { _ in letters[random.nextInt(through: 3)] }
        let site = Array("AAAGAGGAAGTT".utf8)
        func reverseComplement(_ s: [UInt8]) -> [UInt8] { s.reversed().map { [65: 84, 67: 71, 71: 67, 84: 65][$0] ?? 78 } }
        var records: [(position: Int, ref: UInt8, alt: UInt8, kind: String)] = [], planted: [Int] = []
        for k in 0..<12 {
            let forward = k % 2 == 0
            let at = 5_000 + 10_000 * k, near = at + 5_000
            bases.replaceSubrange(at..<(at + 12), with: forward ? site : reverseComplement(site))
            // The core's second G (offset 6 on the site's strand) changed: a near-site, and a destroying SNV.
            var nearSite = site
            nearSite[6] = UInt8(ascii: "C")
            bases.replaceSubrange(near..<(near + 12), with: forward ? nearSite : reverseComplement(nearSite))
            let core = forward ? 6 : 5
            records.append((at + core, bases[at + core], bases[at + core] == 84 ? 65 : 84, "destroy"))
            records.append((near + core, bases[near + core], forward ? 71 : 67, "create"))
            planted += [at, near]
        }
        while records.count < 224 {
            let position = 100 + random.nextInt(through: length - 200)
            guard planted.allSatisfy({ abs($0 - position) >= 1_000 }) else { continue }
            let ref = bases[position]
            records.append((position, ref, letters.first { $0 != ref } ?? 65, "neutral"))
        }
        records.sort { $0.position < $1.position }
        let genome = folder.appendingPathComponent("p.fa").path
        try (">chrP\n" + String(decoding: bases, as: UTF8.self) + "\n").write(toFile: genome, atomically: true, encoding: .utf8)
        #expect(try Annotate.run(["index", genome]).status == 0)
        let vcf = VariantTests.vcf(records.map { "chrP\t\($0.position + 1)\t\($0.kind)\t\(String(UnicodeScalar($0.ref)))\t\(String(UnicodeScalar($0.alt)))\t.\t.\t." })
        let input = folder.appendingPathComponent("p.vcf").path
        try vcf.write(toFile: input, atomically: true, encoding: .utf8)
        let run = try Annotate.run(["variants", "--quiet", "--fasta", genome, "--vcf", input, "--format", "tsv"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: "\t") }
        let ranked = rows.map { (kind: String($0[2]), dp: Double($0[11]) ?? .nan, dlogit: Double($0[12]) ?? .nan) }
            .sorted { abs($0.dp) > abs($1.dp) }
        #expect(ranked.count == 224)
        #expect(ranked.prefix(24).allSatisfy { $0.kind != "neutral" }, "\(ranked.prefix(26))")
        #expect(ranked.filter { $0.kind == "destroy" }.allSatisfy { $0.dlogit <= -8 && $0.dp < -0.5 })
        #expect(ranked.filter { $0.kind == "create" }.allSatisfy { $0.dlogit >= 8 && $0.dp > 0.5 })
        #expect(ranked.filter { $0.kind == "neutral" }.allSatisfy { abs($0.dp) < 0.001 })
    }

    /// `explain --variant`: the site's window on both haplotypes, as TSV rows and one SVG.
    @Test func explainShowsTheWindowOnBothHaplotypes() throws {
        let folder = try Scratch.directory()
        var random = MersenneTwister(seed: 4)
        var bases = (0..<3_000).map { _ in Array("ACGT".utf8)[random.nextInt(through: 3)] }
        bases.replaceSubrange(1_500..<1_512, with: Array("AAAGAGGAAGTT".utf8))
        let genome = folder.appendingPathComponent("x.fa").path
        try (">x\n" + String(decoding: bases, as: UTF8.self) + "\n").write(toFile: genome, atomically: true, encoding: .utf8)
        #expect(try Annotate.run(["index", genome]).status == 0)
        let svg = folder.appendingPathComponent("svg").path
        // The core's G at offset 6 (position 1507, 1-based) to T.
        let run = try Annotate.run(["explain", "--fasta", genome, "--variant", "x:1507:G:T", "--svg", svg])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: "\t") }
        #expect(rows.count == 100)
        let reference = rows.prefix(50), alternate = rows.suffix(50)
        #expect(reference.allSatisfy { $0[0].hasPrefix("x:1507:G:T REF window") } && alternate.allSatisfy { $0[0].hasPrefix("x:1507:G:T ALT window") })
        // The same window on both, differing in one base: the variant's.
        let differing = zip(reference, alternate).filter { $0[2] != $1[2] }
        #expect(differing.count == 1 && differing.first?.0[2] == "G" && differing.first?.1[2] == "T")
        let files = try FileManager.default.contentsOfDirectory(atPath: svg)
        #expect(files == ["0001_x_1507_G_T.svg"])
        let document = try Data(contentsOf: URL(fileURLWithPath: svg).appendingPathComponent(files[0]))
        #expect(XMLParser(data: document).parse())
        #expect(String(decoding: document, as: UTF8.self).contains("best REF window p = 0.9"))
        let bad = try Annotate.run(["explain", "--fasta", genome, "--variant", "x:1507:G"])
        #expect(bad.status == 1 && bad.stderr.contains("a variant is CHROM:POS:REF:ALT"))
    }
}
