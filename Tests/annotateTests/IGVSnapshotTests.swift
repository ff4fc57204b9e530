import Foundation
import TestSupport
import Testing

/// IGV (Debian's igv 2.16) loads what `scan` writes for the demo genome, headless under Xvfb:
/// BED.gz with its tabix index, the bigWig (--strand max) and the bigBed, and draws them
/// (scripts/igv-snapshot.sh, which also fails on errors in IGV's log).
@Suite struct IGVSnapshotTests {
    static let hasIGV = FileManager.default.isExecutableFile(atPath: "/usr/bin/igv")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/xvfb-run")

    @Test(.enabled(if: hasIGV, "IGV (Debian igv) or xvfb-run not installed; skipped"))
    func igvDrawsEveryTrack() throws {
        let folder = try Scratch.directory()
        let script = Annotate.repository.appendingPathComponent("scripts/igv-snapshot.sh").path
        let result = try runTool("/bin/bash", [script, Annotate.binary.path, folder.path])
        #expect(result.status == 0, "igv-snapshot.sh exited \(result.status); its files are in \(folder.path):\n\(result.err)")
        var complete = result.status == 0
        for name in ["sites.png", "bases.png", "chromosome.png"] {
            let png = (try? Data(contentsOf: folder.appendingPathComponent(name))) ?? Data()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(name) is not a PNG")
            #expect(png.count > 5_000, "\(name) has \(png.count) bytes")
            complete = complete && png.count > 5_000
        }
        // The tracks and the genome: kept only when something failed.
        if complete { try? FileManager.default.removeItem(at: folder) }
    }
}
