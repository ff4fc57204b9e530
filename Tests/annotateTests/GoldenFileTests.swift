import Foundation
import TestSupport
import Testing

/// The exact bytes `annotate scan` writes for a small FASTA, in each format, as bedtools
/// pins its output: a change to any column, rounding, sort order or clipping shows up here
/// as a diff.
@Suite struct GoldenFileTests {
    static let fixtures = repository.appendingPathComponent("Tests/annotateTests/Fixtures")

    /// Arguments after `scan --quiet`, and the golden file.
    static let cases: [([String], String)] = [
        ([], "sites.bed"),
        (["--no-stats"], "sites.nostats.bed"),
        (["--format", "narrowpeak", "--track-line"], "sites.narrowPeak"),
        (["--format", "bedgraph", "--step", "7"], "sites.step7.bedGraph"),
        (["--no-merge", "--threshold", "0.2", "--strand", "-", "--skip-soft-masked"], "sites.minus.nomerge.bed"),
    ]

    @Test(arguments: cases)
    func scanWritesTheGoldenBytes(arguments: [String], golden: String) throws {
        let expected = try Data(contentsOf: GoldenFileTests.fixtures.appendingPathComponent(golden))
        for input in ["plain", "gzip", "stdin"] {
            let fasta = try Data(contentsOf: GoldenFileTests.fixtures.appendingPathComponent("sites.fa"))
            let result: Annotate.Output
            switch input {
            case "gzip":
                let path = try Scratch.file(try gzip(Array(fasta)), name: "sites.fa.gz")
                result = try Annotate.run(["scan", "--quiet"] + arguments + [path])
            case "stdin":
                result = try Annotate.run(["scan", "--quiet"] + arguments, stdin: fasta)
            default:
                result = try Annotate.run(["scan", "--quiet"] + arguments + [GoldenFileTests.fixtures.appendingPathComponent("sites.fa").path])
            }
            #expect(result.status == 0, "\(golden) from \(input): \(result.stderr)")
            let actual = Data(result.stdout.utf8)
            if actual != expected {
                Issue.record("\(golden) from \(input) differs:\n\(try GoldenFileTests.diff(expected: expected, actual: actual))")
            }
        }
    }

    /// `diff -u` of the golden bytes against what was written.
    static func diff(expected: Data, actual: Data) throws -> String {
        let folder = try Scratch.directory()
        let a = folder.appendingPathComponent("expected"), b = folder.appendingPathComponent("actual")
        try expected.write(to: a)
        try actual.write(to: b)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", a.path, b.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
