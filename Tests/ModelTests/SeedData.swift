import Foundation
import Model
import Testing

/// The seed data set, read from `$ANNOTATE_SEED_DATA` or `../shared/data/seed` beside the
/// repository. Tests that need it are skipped, with that reason shown, when it is missing.
enum SeedData {
    static let directory: String = {
        if let path = ProcessInfo.processInfo.environment["ANNOTATE_SEED_DATA"], !path.isEmpty { return path }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared/data/seed").path
    }()

    static var sequencesPath: String { directory + "/sequences_mod.txt" }
    static var labelsPath: String { directory + "/labels.txt" }

    static let isAvailable = FileManager.default.fileExists(atPath: sequencesPath)
        && FileManager.default.fileExists(atPath: labelsPath)

    static let skipReason: Comment = "seed data not found at $ANNOTATE_SEED_DATA or ../shared/data/seed; skipped"

    static func load() throws -> LabelledSequences {
        let sequences = try Data(contentsOf: URL(fileURLWithPath: sequencesPath))
        let labels = try Data(contentsOf: URL(fileURLWithPath: labelsPath))
        return try LabelledSequences(sequences: Array(sequences), sequencesPath: sequencesPath,
                                     labels: Array(labels), labelsPath: labelsPath)
    }
}
