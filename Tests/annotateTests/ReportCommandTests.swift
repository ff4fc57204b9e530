import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// What `train --report` and `scan --report` write: self-contained, well-formed pages that
/// headless Chromium draws without a console message.
enum ReportChecks {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let chromiumReason: Comment = "chromium (Debian chromium) not installed; the rendering check is skipped"

    /// The page parses as XML, and so does each of its inline SVG figures; nothing in it
    /// points outside the page but links to `files` beside it. Returns the page's text.
    static func checkPage(_ path: String, files: [String] = []) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(XMLParser(data: data).parse(), "\(path) is well-formed XML")
        let page = String(decoding: data, as: UTF8.self)
        let figures = page.components(separatedBy: "<svg ").dropFirst().map { "<svg " + ($0.components(separatedBy: "</svg>").first ?? "") + "</svg>" }
        #expect(!figures.isEmpty)
        for figure in figures { #expect(XMLParser(data: Data(figure.utf8)).parse(), "an inline SVG is well-formed: \(figure.prefix(200))") }
        for external in ["http:", "https:", "src=", "url(", "@import", "<script", "<link", "<iframe", "<object", "<img"] {
            #expect(!page.contains(external), "\(path) holds \(external)")
        }
        let links = page.components(separatedBy: "href=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
        for link in links { #expect(files.contains(link), "\(path) links to \(link)") }
        return page
    }

    /// "1990664" as the pages write it: "1,990,664".
    static func grouped(_ digits: String) -> String {
        var text = ""
        for (k, digit) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// Headless Chromium draws the page with no console message; returns the screenshot's size.
    static func render(_ path: String) throws -> Int {
        let chromium = try #require(chromium)
        let png = path + ".png"
        let result = try runTool(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                                            "--window-size=1366,3000", "--screenshot=\(png)", URL(fileURLWithPath: path).absoluteString])
        #expect(result.status == 0, "chromium exited \(result.status): \(result.err)")
        let console = result.err.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "console messages: \(console)")
        let size = (try? Data(contentsOf: URL(fileURLWithPath: png)).count) ?? 0
        #expect(size > 20_000, "the screenshot has \(size) bytes")
        return size
    }
}

@Suite struct ScanReportCommandTests {
    @Test func scanReportShowsTheScanAndItsTopRegions() throws {
        let directory = try Scratch.directory()
        let page = directory.appendingPathComponent("demo.html").path, bed = directory.appendingPathComponent("demo.bed").path
        let output = try Annotate.run(["scan", "samples/demo.fa.gz", "-o", bed, "--report", page])
        #expect(output.status == 0, "\(output.stderr)")
        let text = try ReportChecks.checkPage(page)
        // The summary's window count is the histogram's; the top table has 20 rows of the BED's lines.
        let scored = try #require(output.stderr.split(separator: ",").first { $0.contains("windows scored") }?.split(separator: " ").first)
        #expect(text.contains(">genome: \(ReportChecks.grouped(String(scored))) windows<"))
        #expect(text.contains("Regions passing each q-value") && text.contains("Calls per Mbp along the records"))
        let lines = try String(contentsOfFile: bed, encoding: .utf8).split(separator: "\n")
        let best = lines.max { (Double($0.split(separator: "\t")[7]) ?? 0) < (Double($1.split(separator: "\t")[7]) ?? 0) }
        let fields = try #require(best?.split(separator: "\t"))
        #expect(text.contains("<td class=\"number\">1</td><td class=\"code\">\(fields[0]):\((Int(fields[1]) ?? 0) + 1)-\(fields[2])</td>"),
                "the smallest p-value ranks first")
        #expect(text.components(separatedBy: "<div class=\"sequence\">").count == 21, "20 windows with their logos")
        let pattern = try NSRegularExpression(pattern: ">([0-9,]+) calls?</text>")
        let calls = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).flatMap { Int(text[$0].filter { $0 != "," }) }
        }
        #expect(calls.count == 3 && calls.reduce(0, +) == lines.count, "a strip per record, holding every call")
    }

    @Test(.enabled(if: ReportChecks.chromium != nil, ReportChecks.chromiumReason))
    func scanReportRendersInChromium() throws {
        let page = try Scratch.directory().appendingPathComponent("demo.html").path
        let output = try Annotate.run(["scan", "samples/demo.fa.gz", "--report", page, "-o", page + ".bed"])
        #expect(output.status == 0, "\(output.stderr)")
        _ = try ReportChecks.render(page)
    }

    @Test func withoutStatisticsTheReportLeavesOutTheBackground() throws {
        let directory = try Scratch.directory()
        let page = directory.appendingPathComponent("plain.html").path
        let output = try Annotate.run(["scan", "samples/demo.fa.gz", "--no-stats", "--no-merge", "--report", page, "-o", page + ".bed"])
        #expect(output.status == 0, "\(output.stderr)")
        let text = try ReportChecks.checkPage(page)
        #expect(!text.contains("Regions passing each q-value") && !text.contains("background: decoys"))
        #expect(text.contains("no statistics"))
    }

    @Test func reportsAreRefusedWhereThereAreNoRegions() throws {
        for arguments in [["--format", "bedgraph"], ["--shard", "1/2"], ["-o", "same.html"]] {
            let output = try Annotate.run(["scan", "samples/demo.fa.gz", "--report", "same.html"] + arguments)
            #expect(output.status != 0)
            #expect(output.stderr.contains("--report"), "\(output.stderr)")
        }
    }
}

/// Trains briefly (its name ends in TrainingTests, so the quick loop leaves it out).
@Suite(.enabled(if: SeedData.isAvailable, SeedData.skipReason))
struct ReportTrainingTests {
    /// One short training run with its report, shared by the tests: (report directory, model, train's result).
    static let trained: Result<(report: String, model: String, train: Annotate.Output), Error> = Result {
        let directory = try Scratch.directory()
        // The page's own name: FILE.html, with the filters in FILE.meme beside it.
        let report = directory.appendingPathComponent("training.html").path, model = directory.appendingPathComponent("model.json").path
        let train = try Annotate.run(["train", "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath, "--epochs", "4",
                                      "--mining-rounds", "2", "--mining-bases", "1000000", "--quiet", "-o", model, "--report", report])
        return (report, model, train)
    }

    @Test func trainingReportShowsWhatEvaluatePrints() throws {
        let (report, model, train) = try ReportTrainingTests.trained.get()
        #expect(train.status == 0, "\(train.stderr)")
        let evaluate = try Annotate.run(["evaluate", "--model", model, "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        // test: auc 0.9968 auprc 0.9969 accuracy 0.9720 (n=500)
        let words = evaluate.stdout.split(separator: " ")
        let auc = try #require(words.firstIndex(of: "auc").map { words[$0 + 1] }), auprc = try #require(words.firstIndex(of: "auprc").map { words[$0 + 1] })
        let page = try ReportChecks.checkPage(report, files: ["training.meme"])
        #expect(page.contains(">this model: AUC \(auc)<") && page.contains(">this model: AUPRC \(auprc)<"), "the legends hold evaluate's \(auc) and \(auprc)")
        #expect(page.contains("notebook (published): AUC 0.9971") && page.contains("notebook (published): AUPRC 0.9969"))
        #expect(page.contains(">mining 1<") && page.contains(">mining 2<"), "the mining rounds are marked")
        #expect(page.contains("Background false-positive rate per mining round"))
        let meme = try String(contentsOfFile: String(report.dropLast(5)) + ".meme", encoding: .utf8)
        #expect(meme.hasPrefix("MEME version 4") && meme.contains("MOTIF filter"))
        #expect(page.components(separatedBy: "bits</text>").count > 4, "filter logos")
    }

    @Test(.enabled(if: ReportChecks.chromium != nil, ReportChecks.chromiumReason))
    func trainingReportRendersInChromium() throws {
        let (report, _, train) = try ReportTrainingTests.trained.get()
        #expect(train.status == 0, "\(train.stderr)")
        _ = try ReportChecks.render(report)
    }
}
