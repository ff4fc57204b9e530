import Foundation
import GenomeIO
import TestSupport
import Testing

@Suite struct FastaReaderTests {
    /// Every record as (name, bases), read in pieces of `piece` bases through a small buffer.
    static func records(_ text: String, piece: Int = 7, bufferSize: Int = 16) throws -> [(String, String)] {
        let path = try Scratch.file(Array(text.utf8))
        let reader = FastaReader(stream: try ByteStream(path: path), bufferSize: bufferSize)
        var out = [(String, String)]()
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: piece)
        defer { scratch.deallocate() }
        while let header = try reader.nextRecord() {
            var bases = [UInt8]()
            while true {
                let n = try reader.readBases(into: scratch)
                if n == 0 { break }
                bases += scratch[0..<n]
            }
            out.append((header.name, String(decoding: bases, as: UTF8.self)))
        }
        return out
    }

    /// Lone CRs (classic Mac OS text) end lines as LF and CRLF do, across buffer refills;
    /// line numbers in errors count them.
    @Test(arguments: [1, 3, 64], [16, 17, 4096])
    func loneCarriageReturnsEndLines(piece: Int, bufferSize: Int) throws {
        let text = ">one first\rACGT\rAC\r\r>two\r\nGG\r\n\rTT\n>three\rCCCC\r"
        let records = try FastaReaderTests.records(text, piece: piece, bufferSize: bufferSize)
        #expect(records.map(\.0) == ["one", "two", "three"])
        #expect(records.map(\.1) == ["ACGTAC", "GGTT", "CCCC"])
        let message = FastaReaderTests.error(">r\rACGT\rAC-T\r", piece: piece, bufferSize: bufferSize)
        #expect(message?.contains("line 3") == true, "\(message ?? "no error")")
    }

    static func error(_ text: String, piece: Int = 7, bufferSize: Int = 16) -> String? {
        do {
            _ = try records(text, piece: piece, bufferSize: bufferSize)
            return nil
        } catch {
            return "\(error)".replacingOccurrences(of: #"^/.*/input: "#, with: "input: ", options: .regularExpression)
        }
    }

    @Test(arguments: [1, 3, 64], [16, 17, 4096])
    func lineWidthsLineEndingsAndBlankLines(piece: Int, bufferSize: Int) throws {
        let text = "\n>one first record\r\nACGTN\r\nacgtn\r\n\r\n>two\nA\nC\n\nG\n>empty\n>three\tx\nTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT"
        let records = try FastaReaderTests.records(text, piece: piece, bufferSize: bufferSize)
        #expect(records.map(\.0) == ["one", "two", "empty", "three"])
        #expect(records.map(\.1) == ["ACGTNacgtn", "ACG", "", String(repeating: "T", count: 32)])
    }

    /// Long lines go sixteen bytes at a time; every letter (not only ACGT, either case) must
    /// pass, and the first byte that is not one must be caught at its exact column, wherever
    /// it falls in a block of sixteen.
    @Test(arguments: [(1000, 4096), (5, 4096), (64, 97)])
    func longLinesKeepEveryLetterAndCatchTheFirstOtherByteAtItsColumn(piece: Int, bufferSize: Int) throws {
        let letters = Array("ACGTNacgtnRYKMSWBDHVrykmswbdhvXxZzAa".utf8)
        let line = (0..<150).map { letters[($0 * 7) % letters.count] }
        let text = ">r\n" + String(decoding: line, as: UTF8.self) + "\r\n" + String(decoding: line, as: UTF8.self) + "\n"
        let records = try FastaReaderTests.records(text, piece: piece, bufferSize: bufferSize)
        #expect(records.count == 1)
        #expect(records.first?.1 == String(decoding: line + line, as: UTF8.self))
        for column in [1, 15, 16, 17, 32, 33, 100, 149, 150] {
            for bad in [UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "1"), 0x7F, 0x00] {
                var broken = line
                broken[column - 1] = bad
                let text = ">r\n" + String(decoding: line, as: UTF8.self) + "\n" + String(decoding: broken, as: UTF8.self) + "\n"
                let message = FastaReaderTests.error(text, piece: piece, bufferSize: bufferSize)
                #expect(message?.hasPrefix("input: record r, line 3, column \(column): ") == true, "\(bad) at \(column): \(message ?? "no error")")
            }
        }
    }

    @Test func recordsCanBeSkippedWithoutReadingThem() throws {
        let path = try Scratch.file(Array(">a\nACGT\nACGT\n>b\nGG\n".utf8))
        let reader = FastaReader(stream: try ByteStream(path: path), bufferSize: 16)
        #expect(try reader.nextRecord()?.name == "a")
        let header = try reader.nextRecord()
        #expect(header?.name == "b")
        #expect(header?.line == 4)
        #expect(try reader.nextRecord() == nil)
    }

    @Test func badInputNamesFileRecordLineAndColumn() {
        #expect(FastaReaderTests.error(">chr1\nACGT\nAC-T\n") == "input: record chr1, line 3, column 3: '-' is not a sequence letter")
        #expect(FastaReaderTests.error(">chr1\nACGT\n>chr2\nAC GT\n") == "input: record chr2, line 4, column 3: byte 0x20 is not a sequence letter")
        #expect(FastaReaderTests.error("ACGT\n>chr1\nACGT\n") == "input: line 1: not FASTA: sequence data before the first '>' header")
        #expect(FastaReaderTests.error("\n\n>\nACGT\n") == "input: line 3: FASTA header with an empty name; write a name right after '>'")
        #expect(FastaReaderTests.error(">a\nAC\u{0}GT\n") == "input: record a, line 2, column 3: byte 0x0 is not a sequence letter")
    }
}

/// What the fasta fuzzer found: messages for input that is not FASTA must not depend on
/// the buffer size or on whether the input came through gzip.
@Suite struct FastaLookalikeTests {
    static func message(_ bytes: [UInt8], bufferSize: Int) -> String {
        do {
            let reader = FastaReader(stream: try ByteStream(path: try Scratch.file(bytes, name: "in")), bufferSize: bufferSize)
            _ = try reader.nextRecord()
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: #"^/.*/in: "#, with: "in: ", options: .regularExpression)
        }
    }

    /// Two gzip members split after the third byte make the first read return three bytes.
    @Test(arguments: [16, 17, 4096])
    func utf16IsNamedWhateverTheReadsReturn(bufferSize: Int) throws {
        let utf16: [UInt8] = [0, 0, 0, 0x75, 0, 0, 0, 0xC8]
        #expect(FastaLookalikeTests.message(utf16, bufferSize: bufferSize).contains("this is UTF-16 text"))
        let split = try gzip(Array(utf16[..<3])) + gzip(Array(utf16[3...]))
        #expect(FastaLookalikeTests.message(split, bufferSize: bufferSize).contains("this is UTF-16 text"))
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("@r\nACGT\n".utf8)
        #expect(FastaLookalikeTests.message(bom, bufferSize: bufferSize).contains("this looks like FASTQ"))
    }

    @Test func compressedDataInsideGzipIsNamedAsOutside() throws {
        for (magic, format) in [([UInt8]([0x1F, 0x9D, 0xFF, 0xFF]), "compress (.Z)"), ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz"),
                                ([0x28, 0xB5, 0x2F, 0xFD], "zstd")] {
            let raw = FastaLookalikeTests.message(magic + [0, 0, 0, 0], bufferSize: 16)
            let wrapped = FastaLookalikeTests.message(try gzip(magic + [0, 0, 0, 0]), bufferSize: 16)
            #expect(raw == wrapped)
            #expect(raw.contains("this is \(format)-compressed"), "\(raw)")
        }
    }
}
