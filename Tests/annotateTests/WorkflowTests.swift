import Foundation
import TestSupport
import Testing

/// workflow/Snakefile, run locally by Snakemake (Debian snakemake): its gathered results are
/// exactly what one `annotate scan` of each whole genome writes.
@Suite struct WorkflowTests {
    static let snakemake = ["/usr/bin/snakemake", "/usr/local/bin/snakemake"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: snakemake != nil, "snakemake (Debian snakemake) not installed; skipped"))
    func theWorkflowGathersWhatOneScanWrites() throws {
        let (options, suffix) = (["--max-q", "0.2", "--format", "narrowpeak"], "narrowPeak.gz")
        let folder = try Scratch.directory()
        let many = folder.appendingPathComponent("many.fa").path
        // Many records, one empty, some shorter than a window.
        try syntheticGenome(records: [90_000, 40, 0, 130_000, 700, 66_000, 3_000, 20, 70_000], seed: 12)
            .write(toFile: many, atomically: true, encoding: .utf8)
        let demo = Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path
        let config = """
            genomes:
              demo: \(demo)
              many: \(many)
            shards: 5
            annotate: \(Annotate.binary.path)
            scan_options: "\(options.joined(separator: " "))"
            suffix: \(suffix)
            results: results
            threads: 1

            """
        let configPath = folder.appendingPathComponent("config.yaml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let snakefile = Annotate.repository.appendingPathComponent("workflow/Snakefile").path
        let run = try runTool(WorkflowTests.snakemake ?? "", ["-s", snakefile, "--cores", "2", "--directory", folder.path, "--configfile", configPath, "-q"])
        #expect(run.status == 0, "\(run.err)")
        for (name, path) in [("demo", demo), ("many", many)] {
            let expected = folder.appendingPathComponent("\(name).whole.\(suffix)").path
            let scan = try Annotate.run(["scan", "--quiet", path, "-o", expected] + options)
            #expect(scan.status == 0, "\(scan.stderr)")
            let gathered = folder.appendingPathComponent("results/\(name).\(suffix)").path
            let wanted = try Data(contentsOf: URL(fileURLWithPath: expected))
            #expect(try Data(contentsOf: URL(fileURLWithPath: gathered)) == wanted, "\(name) \(options)")
            if suffix.hasSuffix(".gz") {
                #expect(try Data(contentsOf: URL(fileURLWithPath: gathered + ".tbi")) == Data(contentsOf: URL(fileURLWithPath: expected + ".tbi")))
            }
            #expect(wanted.count > 100)
        }
    }
}
