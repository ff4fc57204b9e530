import Foundation
import Model
import Testing

/// The repository this test suite belongs to.
public let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The seed data set, read from `$ANNOTATE_SEED_DATA` or `../shared/data/seed` beside the
/// repository. Tests that need it are skipped, with that reason shown, when it is missing.
public enum SeedData {
    public static let directory: String = {
        if let path = ProcessInfo.processInfo.environment["ANNOTATE_SEED_DATA"], !path.isEmpty { return path }
        return repository.deletingLastPathComponent().appendingPathComponent("shared/data/seed").path
    }()

    public static var sequencesPath: String { directory + "/sequences_mod.txt" }
    public static var labelsPath: String { directory + "/labels.txt" }

    public static let isAvailable = FileManager.default.fileExists(atPath: sequencesPath)
        && FileManager.default.fileExists(atPath: labelsPath)

    public static let skipReason: Comment = "seed data not found at $ANNOTATE_SEED_DATA or ../shared/data/seed; skipped"

    public static func load() throws -> LabelledSequences {
        let sequences = try Data(contentsOf: URL(fileURLWithPath: sequencesPath))
        let labels = try Data(contentsOf: URL(fileURLWithPath: labelsPath))
        return try LabelledSequences(sequences: Array(sequences), sequencesPath: sequencesPath,
                                     labels: Array(labels), labelsPath: labelsPath)
    }
}

/// Scratch files and folders, one fresh folder each.
public enum Scratch {
    public static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("annotate-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A file holding `bytes`, named `name`, in a fresh folder; its path.
    public static func file(_ bytes: [UInt8], name: String = "input") throws -> String {
        let url = try directory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}

/// gzip(1)'s output for `bytes` (`gzip -c -n`, so the same bytes every time).
public func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let path = try Scratch.file(bytes)
    return Array(try runTool("/bin/sh", ["-c", "gzip -c -n '\(path)'"]).data)
}

/// What a tool wrote and how it ended.
public struct ToolOutput: Sendable {
    public let status: Int32
    public let data: Data
    public let err: String
    public var out: String { String(decoding: data, as: UTF8.self) }
}

/// Runs the executable at `path` (a validator such as tabix, gzip or python3), reading its
/// stdout and stderr side by side so that neither pipe fills and blocks it.
public func runTool(_ path: String, _ arguments: [String]) throws -> ToolOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ToolOutput(status: process.terminationStatus, data: data, err: String(decoding: errData, as: UTF8.self))
}

/// Whether /usr/bin/python3 has pyBigWig (Debian python3-pybigwig).
public let hasPyBigWig: Bool = (try? runTool("/usr/bin/python3", ["-c", "import pyBigWig"]).status == 0) ?? false
public let hasPandas: Bool = (try? runTool("/usr/bin/python3", ["-c", "import pandas"]).status == 0) ?? false

/// A random genome in FASTA with N runs, lowercase stretches and planted sites.
public func syntheticGenome(records: [Int], seed: UInt32 = 1, width: Int = 60) -> String {
    var random = MersenneTwister(seed: seed)
    var text = ""
    for (index, length) in records.enumerated() {
        var bases = (0..<length).map { _ in Array("ACGT".utf8)[random.nextInt(through: 3)] }
        for _ in 0..<(length / 500) {
            let start = random.nextInt(through: max(0, length - 13))
            let site = random.nextInt(through: 1) == 0 ? "AAAGAGGAAGTT" : "AACTTCCTCTTT"
            for (i, b) in site.utf8.enumerated() where start + i < length { bases[start + i] = b }
        }
        if length > 200 {
            for i in 100..<(100 + random.nextInt(through: 60)) { bases[i] = UInt8(ascii: "N") }
            for i in (length / 2)..<min(length, length / 2 + 80) { bases[i] |= 0x20 }
        }
        text += ">r\(index) description\n"
        var i = 0
        while i < bases.count {
            text += String(decoding: bases[i..<min(i + width, bases.count)], as: UTF8.self) + "\n"
            i += width
        }
    }
    return text
}

extension Tag {
    /// Tests that train on the seed data for a minute or more: the quick loop skips them
    /// (`swift test -c release --skip TrainingTests --skip BuiltinModelTests`); CI runs them.
    @Tag public static var training: Self
}
