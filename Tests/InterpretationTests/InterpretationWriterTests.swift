import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Interpretation
import Model
import Testing

/// The text and figures `explain` and `motifs` write, read back as their readers would.
@Suite struct InterpretationWriterTests {
    static let motifs = [
        FilterMotif(filter: 7, counts: [[9, 1, 0, 0], [0, 0, 10, 0], [2, 2, 3, 3], [0, 0, 0, 0]], sites: 10, importance: 0.2,
                    meanAbsoluteChange: 0.01, rank: 1),
        FilterMotif(filter: 3, counts: [[0, 0, 0, 0], [0, 0, 0, 0]], sites: 0, importance: 0, meanAbsoluteChange: 0, rank: 2),
    ]
    static let background = [0.3, 0.2, 0.2, 0.3]

    /// MEME minimal motif format 4: the header, the background, and one letter-probability
    /// matrix per motif with sites (`w` rows of 4 frequencies summing to 1, `nsites`), as
    /// the MEME suite's readers expect it.
    @Test func memeIsTheMinimalMotifFormat() throws {
        let text = InterpretationWriters.meme(motifs: InterpretationWriterTests.motifs, background: InterpretationWriterTests.background)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "MEME version 4")
        #expect(lines.contains("ALPHABET= ACGT") && lines.contains("strands: + -"))
        #expect(lines.contains("A 0.3000 C 0.2000 G 0.2000 T 0.3000"))
        let headers = lines.indices.filter { lines[$0].hasPrefix("MOTIF ") }
        #expect(headers.count == 1, "the motif without sites is left out")
        let header = try #require(headers.first)
        #expect(lines[header] == "MOTIF filter7 rank1_AGGN", "consensus: the most frequent base, the first on ties, N where none")
        #expect(lines[header + 1] == "letter-probability matrix: alength= 4 w= 4 nsites= 10 E= 0")
        let rows = lines[(header + 2)..<(header + 6)].map { $0.split(separator: " ").compactMap { Double($0) } }
        for row in rows {
            #expect(row.count == 4)
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
        }
        #expect(rows[0] == [0.9, 0.1, 0, 0])
        #expect(rows[3] == [0.25, 0.25, 0.25, 0.25], "a position without sites is uniform")
        #expect(lines[header + 6].isEmpty)
    }

    /// One TSV row per position, 1-based, with the header's nine columns.
    @Test func attributionRowsFollowTheHeader() {
        let bases = Array("ACGTN".utf8)
        let attribution = Attribution(probability: 0.5, deletion: [0.25, 0, -0.125, 1e-7, 0], mutagenesis: [Float](repeating: 0.5, count: 20),
                                      gradientTimesInput: [0, 0, 0, 0, 0])
        let columns = InterpretationWriters.attributionHeader.dropLast().split(separator: "\t")
        let rows = InterpretationWriters.attributionRows(id: "s1", bases: bases, attribution: attribution).split(separator: "\n")
        #expect(rows.count == bases.count)
        for (i, row) in rows.enumerated() {
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields.count == columns.count)
            #expect(fields[0] == "s1" && fields[1] == Substring(String(i + 1)) && fields[2] == Substring(String(UnicodeScalar(bases[i]))))
        }
        #expect(rows[0].split(separator: "\t")[3] == "0.25" && rows[2].split(separator: "\t")[3] == "-0.125")
        #expect(rows[3].split(separator: "\t")[3] == "1e-07")
    }

    /// The figures are well-formed XML (as browsers and Inkscape read SVG), standalone with
    /// their declaration and namespace, inline without.
    @Test func figuresAreWellFormedSVG() throws {
        let bases = Array("ACGTACGTAC".utf8)
        let deletion: [Float] = [0.3, -0.2, 0, 0.01, 0.5, -0.4, 0.2, 0, 0, 0.1]
        let attribution = Attribution(probability: 0.9, deletion: deletion, mutagenesis: (0..<40).map { Float($0 % 7) / 10 - 0.3 },
                                      gradientTimesInput: deletion)
        let motif = InterpretationWriterTests.motifs[0]
        let figures = [
            InterpretationWriters.saliencySVG(id: "s<1>", bases: bases, attribution: attribution),
            InterpretationWriters.deletionLogo(bases: bases, deletion: deletion),
            InterpretationWriters.logoSVG(motif: motif, background: InterpretationWriterTests.background),
        ]
        for svg in figures {
            #expect(svg.hasPrefix("<?xml"))
            #expect(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""))
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        }
        let inline = InterpretationWriters.deletionLogo(bases: bases, deletion: deletion, inline: true)
        #expect(inline.hasPrefix("<svg") && !inline.contains("<?xml"))
        #expect(XMLParser(data: Data(inline.utf8)).parse())
    }
}
