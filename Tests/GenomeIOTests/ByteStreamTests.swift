import Foundation
import GenomeIO
import TestSupport
import Testing

@Suite struct ByteStreamTests {
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        try TestSupport.gzip(bytes)
    }

    static func text(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Array("ACGT\n".utf8)[Int(state >> 60) % 5]
        }
    }

    static func readError(_ path: String) -> GenomeIOError? {
        do {
            _ = try ByteStream.contents(of: path)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [0, 1, 2, 65_535, 65_536, 3_000_001])
    func plainAndGzipGiveTheSameBytes(size: Int) throws {
        let content = ByteStreamTests.text(size)
        #expect(try ByteStream.contents(of: Scratch.file(content)) == content)
        let stream = try ByteStream(path: Scratch.file(ByteStreamTests.gzip(content), name: "no-gz-suffix"))
        #expect(stream.isGzip)
        #expect(try stream.readAll() == content)
    }

    @Test func multiMemberGzipIsConcatenated() throws {
        let a = ByteStreamTests.text(100_000, seed: 2), b = ByteStreamTests.text(5, seed: 3)
        // An empty member at the end, as BGZF's end-of-file block.
        let members = try ByteStreamTests.gzip(a) + ByteStreamTests.gzip(b) + ByteStreamTests.gzip([])
        #expect(try ByteStream.contents(of: Scratch.file(members)) == a + b)
    }

    @Test func truncationIsReportedAsSuch() throws {
        let compressed = try ByteStreamTests.gzip(ByteStreamTests.text(200_000))
        for cut in [3, 20, compressed.count / 2, compressed.count - 4] {
            let path = try Scratch.file(Array(compressed.prefix(cut)))
            let error = ByteStreamTests.readError(path)
            guard case let .truncatedGzip(reportedPath, _)? = error else {
                Issue.record("cut at \(cut): expected truncation, got \(String(describing: error))")
                continue
            }
            #expect(reportedPath == path)
        }
    }

    @Test func corruptDataAndBadChecksumAreReportedAsCorrupt() throws {
        var compressed = try ByteStreamTests.gzip(ByteStreamTests.text(50_000))
        compressed[compressed.count - 6] ^= 0xFF  // inside the CRC-32
        guard case let .corruptGzip(_, _, reason)? = ByteStreamTests.readError(try Scratch.file(compressed)) else {
            Issue.record("a bad CRC must be reported as corrupt")
            return
        }
        #expect(reason.contains("check"))
        var garbage = try ByteStreamTests.gzip(ByteStreamTests.text(1_000))
        garbage += Array("trailing text".utf8)
        let error = ByteStreamTests.readError(try Scratch.file(garbage))
        #expect(error?.description.contains("bytes after a gzip member are not another gzip member") == true)
    }

    @Test func missingFileNamesThePath() {
        #expect(ByteStreamTests.readError("/no/such/file.fa") == .cannotOpen(path: "/no/such/file.fa", reason: "No such file or directory"))
    }
}
