import Foundation
import TestSupport
import Testing

/// One way to say each thing: messages start with `annotate COMMAND:`, results go to `-o` or
/// stdout, sequences come as the file argument or `--sequences`, and old spellings still work.
@Suite struct CommandConsistencyTests {
    /// A usage error is one line in the command's own voice, with exit status 2.
    @Test func usageErrorsAreOneLineNamingTheCommand() throws {
        for (arguments, line) in [
            (["scan", "--step", "0", "x.fa"], "annotate scan: --step must be at least 1 (see annotate scan --help)"),
            (["predict", "--bogus"], "annotate predict: Unknown option '--bogus' (see annotate predict --help)"),
            (["--bogus"], "annotate: Unknown option '--bogus' (see annotate --help)"),
        ] {
            let result = try Annotate.run(arguments)
            #expect(result.status == 2 && result.stderr == line + "\n", "\(arguments): \(result.stderr)")
        }
    }

    /// Every command's help fits 80 columns, and is the text pinned in Fixtures/help (after
    /// a change meant to alter it: annotate CMD --help > Tests/annotateTests/Fixtures/help/CMD.txt,
    /// and read the diff).
    @Test func everyHelpTextFitsATerminalAndIsPinned() throws {
        let folder = Annotate.repository.appendingPathComponent("Tests/annotateTests/Fixtures/help")
        for command in ["annotate", "scan", "train", "evaluate", "predict", "explain", "motifs", "variants", "index", "fetch", "background", "merge"] {
            let help = try Annotate.run(command == "annotate" ? ["--help"] : [command, "--help"])
            #expect(help.status == 0)
            let long = help.stdout.split(separator: "\n").filter { $0.count > 80 }
            #expect(long.isEmpty, "\(command): \(long)")
            let pinned = try String(contentsOf: folder.appendingPathComponent("\(command).txt"), encoding: .utf8)
            #expect(help.stdout == pinned, "\(command) --help differs from Fixtures/help/\(command).txt")
        }
    }

    /// predict and evaluate: the file argument and --sequences are one thing, -o is stdout's
    /// bytes in a file, and the thread count changes nothing; evaluate says which split it scored.
    @Test(.enabled(if: SeedData.isAvailable, SeedData.skipReason))
    func sequencesOutputAndThreadsAreSaidOneWay() throws {
        let folder = try Scratch.directory()
        let sequences = SeedData.sequencesPath, labels = SeedData.labelsPath
        let one = try Annotate.run(["predict", "--threads", "1", sequences])
        #expect(one.status == 0 && one.stdout.split(separator: "\n").count == 2000)
        let predictions = folder.appendingPathComponent("p.tsv").path
        #expect(try Annotate.run(["predict", "--threads", "2", "--sequences", sequences, "-o", predictions]).status == 0)
        #expect(try String(contentsOfFile: predictions, encoding: .utf8) == one.stdout)
        #expect(try Annotate.run(["predict", "-"], stdin: Data(contentsOf: URL(fileURLWithPath: sequences))).stdout == one.stdout)
        let both = try Annotate.run(["predict", "--sequences", sequences, labels])
        #expect(both.status == 2 && both.stderr.contains("give the sequences once"))

        let evaluate = try Annotate.run(["evaluate", "--json", sequences, "--labels", labels])
        #expect(evaluate.status == 0 && evaluate.stdout.contains("\"split\": \"test\"") && evaluate.stdout.contains("\"sequences\": 500"))
        #expect(evaluate.stderr.contains("annotate evaluate: note: scored the notebook's 25% test split, 500 of 2000 sequences"))
        let metrics = folder.appendingPathComponent("m.json").path
        let quiet = try Annotate.run(["evaluate", "--json", "--quiet", "--threads", "1", "--sequences", sequences, "--labels", labels, "-o", metrics])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && !quiet.stderr.contains("test split"))
        #expect(try String(contentsOfFile: metrics, encoding: .utf8) == evaluate.stdout)
        // -o never overwrites an input.
        let clobber = try Annotate.run(["evaluate", sequences, "--labels", labels, "-o", labels])
        #expect(clobber.status == 1 && clobber.stderr.hasPrefix("annotate evaluate: "))
    }

    /// explain's older --tsv still writes what -o writes, with a note.
    @Test func explainsOldSpellingStillWorks() throws {
        let folder = try Scratch.directory()
        let input = folder.appendingPathComponent("s.txt").path
        try (String(repeating: "ACGT", count: 12) + "AA\n").write(toFile: input, atomically: true, encoding: .utf8)
        let new = folder.appendingPathComponent("new.tsv").path, old = folder.appendingPathComponent("old.tsv").path
        let a = try Annotate.run(["explain", input, "-o", new]), b = try Annotate.run(["explain", "--tsv", old, input])
        #expect(a.status == 0 && b.status == 0 && a.stderr.isEmpty && b.stderr.contains("annotate explain: note: --tsv FILE is now -o FILE"))
        #expect(try String(contentsOfFile: new, encoding: .utf8) == String(contentsOfFile: old, encoding: .utf8))
    }

    /// train names the model after its file (or --name), and scan's BED shows the name.
    @Test(.enabled(if: SeedData.isAvailable, SeedData.skipReason))
    func aModelIsNamedAndTheBEDSaysSo() throws {
        let folder = try Scratch.directory()
        let model = folder.appendingPathComponent("pu1.json").path, named = folder.appendingPathComponent("m.json").path
        for (arguments, path) in [([String](), model), (["--name", "ETS_like"], named)] {
            let train = try Annotate.run(["train", "--recipe", "notebook", "--epochs", "1", "--quiet", SeedData.sequencesPath,
                                          "--labels", SeedData.labelsPath, "-o", path] + arguments)
            #expect(train.status == 0, "\(train.stderr)")
        }
        let scan = try Annotate.run(["scan", "--quiet", "--no-stats", "--threshold", "0.01", "--model", model, ScanCommandTests.demo])
        let names = Set(scan.stdout.split(separator: "\n").map { $0.split(separator: "\t")[3] })
        #expect(scan.status == 0 && names == ["pu1"], "\(names)")
        #expect(try String(contentsOfFile: named, encoding: .utf8).contains("\"name\": \"ETS_like\""))
        let bad = try Annotate.run(["train", "--name", "two words", SeedData.sequencesPath, "-o", model])
        #expect(bad.status == 2 && bad.stderr.contains("--name must be one word"))
    }

    /// Swapped --fasta and --vcf are named as such, not as a missing index.
    @Test func swappedVariantInputsAreSaidSo() throws {
        let folder = try Scratch.directory()
        let vcf = folder.appendingPathComponent("v.vcf").path
        try "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t100\t.\tA\tG\t.\t.\t.\n"
            .write(toFile: vcf, atomically: true, encoding: .utf8)
        let result = try Annotate.run(["variants", "--fasta", vcf, "--vcf", ScanCommandTests.demo])
        #expect(result.status == 1 && result.stderr.contains("this is a VCF; --fasta takes the genome and --vcf the variants"), "\(result.stderr)")
    }

    /// The bundled demo is BGZF: index, fetch and --region through the index take it as it is.
    @Test func theDemoIsIndexable() throws {
        let folder = try Scratch.directory()
        let demo = folder.appendingPathComponent("demo.fa.gz").path
        try FileManager.default.copyItem(atPath: ScanCommandTests.demo, toPath: demo)
        #expect(try Annotate.run(["index", demo]).status == 0)
        let fetched = try Annotate.run(["fetch", demo, "chr1:9384-9395"])
        #expect(fetched.status == 0 && fetched.stdout.split(separator: "\n").last.map { $0.uppercased() } == "AACTTCCTCTTT", "\(fetched.stdout)")
        let region = try Annotate.run(["scan", "--quiet", "--region", "chr1:9000-10000", demo])
        #expect(region.status == 0 && region.stdout.hasPrefix("chr1\t9345\t9433\t"), "\(region.stdout)")
    }

    /// Every example of the README's demo section runs as written, in a copy of samples/,
    /// and writes what it names.
    @Test func theReadmesDemoExamplesRunAsWritten() throws {
        let readme = try String(contentsOf: Annotate.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "<!-- demo examples -->").dropFirst().first?
            .components(separatedBy: "<!-- /demo examples -->").first)
        let commands = section.split(separator: "\n").filter { $0.hasPrefix("    annotate ") }
        #expect(commands.count >= 10)
        let folder = try Scratch.directory()
        let samples = folder.appendingPathComponent("samples")
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        for name in ["demo.fa.gz", "demo.truth.bed"] {
            try FileManager.default.copyItem(at: Annotate.repository.appendingPathComponent("samples/\(name)"), to: samples.appendingPathComponent(name))
        }
        for command in commands {
            let arguments = command.split(separator: " ").dropFirst().map(String.init)
            let result = try Annotate.run(arguments, in: folder)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            if let o = arguments.firstIndex(of: "-o"), o + 1 < arguments.count {
                let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(arguments[o + 1]).path)[.size] as? Int) ?? 0
                #expect(size > 0, "\(command) wrote nothing")
            }
        }
    }

    /// The table loads with pandas as it is: every column named, numbers as numbers, one row per call.
    @Test(.enabled(if: hasPandas, "pandas (Debian python3-pandas) not installed; skipped"))
    func pandasReadsTheTable() throws {
        let folder = try Scratch.directory()
        let table = folder.appendingPathComponent("demo.tsv").path, bed = folder.appendingPathComponent("demo.bed").path
        #expect(try Annotate.run(["scan", "--quiet", "--format", "tsv", "-o", table, ScanCommandTests.demo]).status == 0)
        #expect(try Annotate.run(["scan", "--quiet", "-o", bed, ScanCommandTests.demo]).status == 0)
        let script = """
            import sys, pandas
            df = pandas.read_csv(sys.argv[1], sep="\\t")
            assert list(df.columns) == ["chrom", "start", "end", "name", "strand", "probability", "p_value", "q_value", "site_start", "site_end", "site_sequence"], list(df.columns)
            for column in ["start", "end", "site_start", "site_end"]: assert df[column].dtype.kind == "i", column
            for column in ["probability", "p_value", "q_value"]: assert df[column].dtype.kind == "f", column
            assert ((df.site_end - df.site_start) == df.site_sequence.str.len()).all()
            assert (df.p_value <= df.q_value).all() and (df.q_value <= 1).all()
            print(len(df))
            """
        let result = try runTool("/usr/bin/python3", ["-c", script, table])
        #expect(result.status == 0, "\(result.err)")
        let lines = try String(contentsOfFile: bed, encoding: .utf8).split(separator: "\n").count
        #expect(result.out == "\(lines)\n")
    }
}
