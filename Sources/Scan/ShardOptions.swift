import Background
import GenomeIO
import Model
import Scoring
import Tracks

/// A shard file's header: what the scan that wrote it was asked to write.
struct ShardOptions {
    let output: OutputOptions
    let geometry: WindowGeometry
    let decoyWindows: Int?
    /// Whether each window line carries its sites (the model locates sites).
    let sites: Bool
    /// The shard file format this annotate writes and reads.
    static let formatVersion = 2

    /// The header lines a shard of a scan with these settings starts with.
    static func header(settings: BackgroundSettings, output: OutputOptions, name: String, background: (digest: String, decoys: Int)?,
                       shard: GenomeShard, sites: Bool) -> [String] {
        let fields = ["format=\(output.format.rawValue)", "threshold=\(output.probabilityCut)",
                      "max-p=\(output.pValueCut.map { "\($0)" } ?? "-")", "max-q=\(output.maximumQ.map { "\($0)" } ?? "-")",
                      "merge=\(output.merge ? 1 : 0)", "track-line=\(output.trackLine ? 1 : 0)", "sites=\(sites ? 1 : 0)", "name=\(name)"]
        return ["#annotate-shard\t\(formatVersion)", (["settings"] + settings.fields).joined(separator: "\t"),
                (["output"] + fields).joined(separator: "\t"),
                "background\t" + (background.map { "\($0.digest)\t\($0.decoys)" } ?? "-\t-"), "shard\t\(shard.index)\t\(shard.count)"]
    }

    init(header: [String], reader: FieldReader) throws(GenomeIOError) {
        let settings = try BackgroundSettings(fields: header[0].split(separator: "\t")[1...], reader: reader)
        geometry = WindowGeometry(length: settings.windowLength, step: settings.step)
        var values: [String: String] = [:]
        for field in header[1].split(separator: "\t").dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
        }
        var output = OutputOptions()
        guard let format = values["format"].flatMap(OutputFormat.init(rawValue:)), format.hasRegions,
              let threshold = values["threshold"].flatMap({ Float($0) }), let maxP = values["max-p"], let maxQ = values["max-q"],
              let merge = values["merge"], let trackLine = values["track-line"], let sites = values["sites"],
              let name = values["name"] else {
            throw reader.fail("the output line lacks format, threshold, max-p, max-q, merge, track-line, sites or name")
        }
        self.sites = sites == "1"
        let background = header[2].split(separator: "\t")
        output.format = format
        output.threshold = threshold
        output.statistics = background.count == 3 && background[1] != "-"
        output.maximumP = Double(maxP)
        output.maximumQ = Double(maxQ)
        output.merge = merge == "1"
        output.trackLine = trackLine == "1"
        output.name = name
        self.output = output
        decoyWindows = background.count == 3 ? Int(background[2]) : nil
    }
}
