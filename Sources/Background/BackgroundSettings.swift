import GenomeIO
import Model
import Scoring
import Significance

/// What a background depends on besides the genome: it fits only scans with the same.
public struct BackgroundSettings: Sendable, Equatable {
    package let windowLength: Int
    package let step: Int
    let strands: StrandChoice
    let skipSoftMasked: Bool
    /// The model's fingerprint (`Network.fingerprint`).
    let model: String

    init(windowLength: Int, step: Int, strands: StrandChoice, skipSoftMasked: Bool, model: String) {
        (self.windowLength, self.step, self.strands, self.skipSoftMasked, self.model) = (windowLength, step, strands, skipSoftMasked, model)
    }

    package var fields: [String] {
        ["window=\(windowLength)", "step=\(step)", "strands=\(strands.rawValue)",
         "soft-masked=\(skipSoftMasked ? "skipped" : "scored")", "model=\(model)"]
    }

    package init(fields: ArraySlice<Substring>, reader: FieldReader) throws(GenomeIOError) {
        var values: [String: String] = [:]
        for field in fields {
            let pair = field.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw reader.fail("not a setting: \(MessageText.shown(String(field), limit: 40))") }
            values[String(pair[0])] = String(pair[1])
        }
        guard let window = values["window"].flatMap({ Int($0) }), let step = values["step"].flatMap({ Int($0) }),
              (1...(1 << 20)).contains(window), (1...(1 << 30)).contains(step),
              let strands = values["strands"].flatMap(StrandChoice.init(rawValue:)),
              let masked = values["soft-masked"], masked == "skipped" || masked == "scored", let model = values["model"] else {
            throw reader.fail("the settings line lacks window, step, strands, soft-masked or model")
        }
        self.init(windowLength: window, step: step, strands: strands, skipSoftMasked: masked == "skipped", model: model)
    }

    /// How `other` differs from these, for a message; nil when they are the same.
    func difference(from other: BackgroundSettings) -> String? {
        guard self != other else { return nil }
        if model != other.model { return "another model" }
        let mine = fields, theirs = other.fields
        let differing = zip(mine, theirs).filter { $0 != $1 }.map { "\($0.1) here, \($0.0) there" }
        return differing.joined(separator: ", ")
    }
}
