import Model
import Testing

@Suite struct DataTests {
    static func load(_ sequences: String, labels: String? = nil) throws(ModelError) -> LabelledSequences {
        try LabelledSequences(sequences: Array(sequences.utf8), sequencesPath: "s.txt",
                              labels: labels.map { Array($0.utf8) }, labelsPath: labels == nil ? nil : "l.txt")
    }

    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? ModelError)?.description ?? "unexpected \(error)"
        }
    }

    @Test func notebookHeaderLineIsDroppedWithANote() throws {
        let data = try DataTests.load("ACGT\nTTTT\n", labels: "0\n1\n0\n")
        #expect(data.labels == [true, false])
        #expect(data.note == "l.txt has 3 lines for 2 sequences; dropping line 1 as a header, as pandas.read_csv does in the reference notebook")
    }

    @Test func otherCountMismatchesAreErrors() {
        #expect(DataTests.message { _ = try DataTests.load("ACGT\nTTTT\n", labels: "0\n1\n0\n1\n") }
            == "s.txt has 2 sequences but l.txt has 4 labels; give one 0/1 label per sequence")
        #expect(DataTests.message { _ = try DataTests.load("ACGT\nTTTT\nGGGG\n", labels: "0\n") } != nil)
    }

    @Test func matchingCountsNeedNoNote() throws {
        let data = try DataTests.load("acgt\r\nTTTT\r\n\r\n", labels: "1\r\n0\r\n")
        #expect(data.labels == [true, false])
        #expect(data.note == nil)
        #expect(data.records[0].bases == Array("acgt".utf8))
    }

    /// A blank line among the labels is an error naming it (it used to shift every later
    /// label onto the wrong sequence); blank lines after the last label are fine.
    @Test func aBlankLabelLineIsAnErrorUnlessItTrails() throws {
        #expect(DataTests.message { _ = try DataTests.load("ACGT\nTTTT\nGGGG\n", labels: "0\n1\n\n0\n") }
            == "l.txt: line 3, column 1: blank line among the labels; every sequence needs its label on its own line, in order")
        #expect(try DataTests.load("ACGT\nTTTT\n", labels: "0\n1\n\n\n").labels == [false, true])
    }

    /// Lone carriage returns (classic Mac OS text) end lines, in sequences and labels alike.
    @Test func loneCarriageReturnsEndLines() throws {
        let data = try DataTests.load("ACGT\rTTTT\r\rGGGG", labels: "0\r1\r1\r")
        #expect(data.records.map { String(decoding: $0.bases, as: UTF8.self) } == ["ACGT", "TTTT", "GGGG"])
        #expect(data.records.map(\.line) == [1, 2, 4])
        #expect(data.labels == [false, true, true])
    }

    @Test func fastaWithLabelsFile() throws {
        let data = try DataTests.load(">first desc\nACG\nT\n>second\nTTTT", labels: "1\n0\n")
        #expect(data.records.map(\.id) == ["first", "second"])
        #expect(data.records[0].bases == Array("ACGT".utf8))
    }

    @Test func tabSeparatedSequenceAndLabel() throws {
        let data = try DataTests.load("ACGT\t1\nTTTT\t0\n")
        #expect(data.labels == [true, false])
    }

    @Test func badInputIsNamedByFileLineAndColumn() {
        #expect(DataTests.message { _ = try DataTests.load("ACGT\nACNT\n", labels: "0\n1\n") }
            == "s.txt: line 2, column 3: 'N' is not A, C, G or T")
        #expect(DataTests.message { _ = try DataTests.load("ACGT\nACG\n", labels: "0\n1\n") }
            == "s.txt: line 2: sequence 2 has 3 bases; expected 4")
        #expect(DataTests.message { _ = try DataTests.load("ACGT\nACGT\n", labels: "0\n2\n") }
            == "l.txt: line 2, column 1: label \"2\" is not 0 or 1")
        #expect(DataTests.message { _ = try DataTests.load("ACGT\t1\nACGT\tx\n") }
            == "s.txt: line 2, column 6: label \"x\" is not 0 or 1")
        #expect(DataTests.message { _ = try DataTests.load("ACGT\nACGT\n") }
            == "s.txt: line 1: no label; give a labels file or write sequence<TAB>label lines")
        #expect(DataTests.message { _ = try DataTests.load(">\nACGT\n", labels: "1\n") }
            == "s.txt: line 1, column 1: FASTA header with an empty name; write a name right after '>'")
    }

    @Test func oneHotFollowsTheAlphabet() {
        let encoded = Nucleotide.oneHot([Array("AcGtN".utf8)])
        #expect(encoded == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0])
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256.hexDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(Array(repeating: 0x61, count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
