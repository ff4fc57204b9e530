import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `annotate explain` and `annotate motifs` through the real binary.
@Suite struct ExplainCommandTests {
    static let fasta = """
        >with_site
        CCGAGGGCTATGGTTTGGAAGTTAGAACCAAAGAGGAAGTTCTCGCGGAC
        >without
        GAGTTTATATGGCGCGAGCCTAGTGGTTTTTGTACTTGTTTGTCGCGTCG

        """

    @Test func writesOneRowPerPositionAndOneWellFormedSVGPerSequence() throws {
        let directory = try Scratch.directory()
        let svg = directory.appendingPathComponent("svg")
        let output = try Annotate.run(["explain", "-", "--svg", svg.path], stdin: Data(ExplainCommandTests.fasta.utf8))
        #expect(output.status == 0, "\(output.stderr)")
        let rows = output.stdout.split(separator: "\n")
        #expect(rows.first == "id\tposition\tbase\tdeletion\tism_A\tism_C\tism_G\tism_T\tgrad_x_input")
        #expect(rows.count == 1 + 2 * 50)
        for row in rows.dropFirst() {
            let fields = row.split(separator: "\t")
            #expect(fields.count == 9)
            #expect(fields[3...].allSatisfy { Double($0) != nil })
            // The sequence's own base has ISM 0.
            let column = 4 + (["A", "C", "G", "T"].firstIndex(of: String(fields[2])) ?? 0)
            #expect(fields[column] == "0")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: svg.path).sorted()
        #expect(files == ["0001_with_site.svg", "0002_without.svg"])
        for file in files {
            let data = try Data(contentsOf: svg.appendingPathComponent(file))
            #expect(XMLParser(data: data).parse(), "\(file) is well-formed XML")
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains("p(x) = "))
            #expect(text.contains("ISM p(mutant) − p(x)"))
        }
    }

    @Test func badInputNamesTheLine() throws {
        let output = try Annotate.run(["explain", "-"], stdin: Data("ACGT\n".utf8))
        #expect(output.status != 0)
        #expect(output.stderr.hasPrefix("annotate explain: stdin"))
        #expect(output.stderr.split(separator: "\n").count == 1)
    }
}

@Suite(.enabled(if: SeedData.isAvailable, SeedData.skipReason))
struct MotifsCommandTests {
    @Test func writesARankedTableMEMEMotifsAndLogos() throws {
        let directory = try Scratch.directory()
        let meme = directory.appendingPathComponent("motifs.meme"), logos = directory.appendingPathComponent("logos")
        let output = try Annotate.run(["motifs", "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath,
                                       "-o", meme.path, "--svg", logos.path])
        #expect(output.status == 0, "\(output.stderr)")
        let table = output.stdout.split(separator: "\n")
        #expect(table.first == "filter\trank\tconsensus\tinformation_bits\tsites\tauc_drop\tmean_abs_dp")
        #expect(table.count == 33)
        #expect(table.dropFirst().enumerated().allSatisfy { $0.element.split(separator: "\t")[1] == "\($0.offset + 1)" })
        // The MEME file: header, background, and one 12-row matrix per motif with sites, in rank order.
        let text = try String(contentsOf: meme, encoding: .utf8)
        #expect(text.hasPrefix("MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\nA "))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let motifLines = lines.indices.filter { lines[$0].hasPrefix("MOTIF ") }
        let withSites = table.dropFirst().filter { Int($0.split(separator: "\t")[4]) ?? 0 > 0 }
        #expect(motifLines.count == withSites.count)
        for (index, rankRow) in zip(motifLines, withSites) {
            #expect(lines[index].hasPrefix("MOTIF \(rankRow.split(separator: "\t")[0]) "))
            let header = lines[index + 1]
            #expect(header.hasPrefix("letter-probability matrix: alength= 4 w= 12 nsites= \(rankRow.split(separator: "\t")[4]) "))
            for row in lines[(index + 2)..<(index + 14)] {
                let values = row.split(separator: " ").compactMap { Double($0) }
                #expect(values.count == 4)
                #expect(abs(values.reduce(0, +) - 1) < 1e-5)
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: logos.path)
        #expect(files.count == withSites.count)
        for file in files {
            #expect(XMLParser(data: try Data(contentsOf: logos.appendingPathComponent(file))).parse(), "\(file)")
        }
    }
}
