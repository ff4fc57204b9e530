import Model
import Testing
@testable import Tracks

/// A located site as regions keep it and shard files write it.
@Suite struct LocatedSiteTests {
    /// The bases come back as read on the window's strand, N for anything not ACGT, and
    /// the start is on the forward strand for either strand.
    @Test func keepsTheSitesBasesAndForwardStart() {
        let window = Array("ccccACGTNacgtGGGG".utf8)
        let span = SiteSpan(offset: 4, length: 9, evidence: 1)
        let forward = LocatedSite(span: span, windowStart: 100, windowLength: window.count, reverse: false, bases: window[...])
        #expect(forward.start == 104 && forward.end == 113 && forward.sequence == "ACGTNACGT")
        // On the − strand the window was read reverse-complemented: offset 4 of it is forward 17 − 4 − 9 = 4.
        let reverse = LocatedSite(span: span, windowStart: 100, windowLength: window.count, reverse: true, bases: window[...])
        #expect(reverse.start == 104 && reverse.sequence == "ACGTNACGT")
        #expect(!LocatedSite.none.exists && LocatedSite.none.shardText == ".")
    }

    /// Shard files carry sites as START,SEQUENCE; what they write they read back, at every
    /// length up to the capacity, and anything else is refused.
    @Test func shardTextRoundTrips() throws {
        var random = MersenneTwister(seed: 9)
        for length in [1, 12, 31, 32, 33, 63, 64] {
            let bases = (0..<length).map { _ in Array("ACGTN".utf8)[random.nextInt(through: 4)] }
            let site = LocatedSite(span: SiteSpan(offset: 0, length: length, evidence: 0), windowStart: 7, windowLength: length,
                                   reverse: false, bases: bases[...])
            #expect(site.sequence == String(decoding: bases, as: UTF8.self))
            let back = try #require(LocatedSite(shardText: Substring(site.shardText)))
            #expect(back == site, "\(site.shardText)")
        }
        #expect(LocatedSite(shardText: ".") == LocatedSite.none)
        let long = String(repeating: "A", count: 65)
        for bad in ["", "12", "12,", "-1,ACGT", "x,ACGT", "3,acgt", "3,ACGU", "3,AC,GT", "3,\(long)"] {
            #expect(LocatedSite(shardText: Substring(bad)) == nil, "\(bad)")
        }
        // A span wider than the capacity keeps its middle.
        let wide = Array(String(repeating: "C", count: 3) + String(repeating: "A", count: 64) + String(repeating: "G", count: 3)).map { $0.asciiValue ?? 0 }
        let kept = LocatedSite(span: SiteSpan(offset: 0, length: 70, evidence: 0), windowStart: 0, windowLength: 70, reverse: false, bases: wide[...])
        #expect(kept.start == 3 && kept.length == 64 && kept.sequence == String(repeating: "A", count: 64))
    }

    /// GFF3's seqid keeps only the bytes the specification allows; attribute values escape
    /// their separators; plain names pass as they are.
    @Test func gff3EscapesWhatTheSpecificationAsks() {
        #expect(GFF3Format.escaped("chr1", keeping: GFF3Format.seqidBytes) == "chr1")
        #expect(GFF3Format.escaped("chr 1;x", keeping: GFF3Format.seqidBytes) == "chr%201%3Bx")
        #expect(GFF3Format.escaped("a=b;c,d&e%f\u{1}", keeping: nil) == "a%3Db%3Bc%2Cd%26e%25f%01")
        #expect(GFF3Format.escaped("PU.1_model-2", keeping: nil) == "PU.1_model-2")
    }
}
