import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What `-o` does with what is already at the path, and with a run that is killed: the
/// binary, as a user runs it, in a scratch folder (never the real /dev nodes).
@Suite struct OutputPathTests {
    static let demo = Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : nil
    }

    /// Makes a memory device node (major 1: 3 is null, 7 is full) for a test, never touching
    /// the real ones; false, saying so, where mknod is not allowed (it needs root).
    static func makeCharacterDevice(_ path: String, minor: Int) throws -> Bool {
        let made = Process()
        made.executableURL = URL(fileURLWithPath: "/usr/bin/mknod")
        made.arguments = ["-m", "666", path, "c", "1", String(minor)]
        try made.run()
        made.waitUntilExit()
        if made.terminationStatus != 0 { print("mknod is not allowed here; the device-node case is skipped") }
        return made.terminationStatus == 0
    }

    /// The scan's expected output, written to stdout.
    static func expected() throws -> String {
        try Annotate.run(["scan", "--quiet", demo]).stdout
    }

    @Test func aDeviceNodeIsWrittenThroughNotReplaced() throws {
        let folder = try Scratch.directory()
        let device = folder.appendingPathComponent("null-device").path
        guard try OutputPathTests.makeCharacterDevice(device, minor: 3) else { return }  // like /dev/null
        for command in [["scan", "--quiet", "-o", device, OutputPathTests.demo],
                        ["train", "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath, "--recipe", "notebook",
                         "--epochs", "1", "-o", device]] where command[0] == "scan" || SeedData.isAvailable {
            let result = try Annotate.run(command)
            #expect(result.status == 0, "\(command[0]): \(result.stderr)")
            let mode = try #require(OutputPathTests.mode(device))
            #expect(mode & S_IFMT == S_IFCHR, "\(command[0]) replaced the device node")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["null-device"])
    }

    @Test func aFifoIsWrittenThrough() throws {
        let folder = try Scratch.directory()
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        nonisolated(unsafe) var received = Data()
        let reader = DispatchGroup()
        DispatchQueue.global().async(group: reader) {
            received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
        }
        let result = try Annotate.run(["scan", "--quiet", "-o", fifo, OutputPathTests.demo])
        reader.wait()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: received, as: UTF8.self) == (try OutputPathTests.expected()))
        #expect((OutputPathTests.mode(fifo) ?? 0) & S_IFMT == S_IFIFO)
    }

    @Test func aSymlinkStaysAndItsTargetIsReplacedKeepingItsMode() throws {
        let folder = try Scratch.directory()
        let target = folder.appendingPathComponent("sites.bed").path, link = folder.appendingPathComponent("link.bed").path
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, 0o640)
        #expect(symlink("sites.bed", link) == 0)
        let result = try Annotate.run(["scan", "--quiet", "-o", link, OutputPathTests.demo])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((OutputPathTests.mode(link) ?? 0) & S_IFMT == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == OutputPathTests.expected())
        #expect((OutputPathTests.mode(target) ?? 0) & 0o7777 == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["link.bed", "sites.bed"])
        // A new file gets 0666 less the umask, as the shell's `>` gives it.
        let fresh = folder.appendingPathComponent("new.bed").path
        #expect(try Annotate.run(["scan", "--quiet", "-o", fresh, OutputPathTests.demo]).status == 0)
        let mask = umask(0)
        umask(mask)
        #expect((OutputPathTests.mode(fresh) ?? 0) & 0o7777 == 0o666 & ~mask)
    }

    /// SIGINT, SIGTERM and SIGHUP during `scan -o` remove the temporary file, which had an
    /// unpredictable name, and the process dies of the signal.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSignalLeavesNoTemporaryFile(signal number: Int32) throws {
        let folder = try Scratch.directory()
        let output = folder.appendingPathComponent("out.bed").path
        let process = Process()
        process.executableURL = Annotate.binary
        process.arguments = ["scan", "--quiet", "-o", output, "-"]
        let input = Pipe()
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A FASTA record that never ends: the scan waits for more input with its file open.
        input.fileHandleForWriting.write(Data(">chr1\n".utf8) + Data(repeating: UInt8(ascii: "A"), count: 100_000) + Data("\n".utf8))
        var temporary: [String] = []
        for _ in 0..<200 where temporary.isEmpty {
            temporary = (try FileManager.default.contentsOfDirectory(atPath: folder.path)).filter { $0.hasPrefix(".out.bed.tmp.") }
            if temporary.isEmpty { usleep(20_000) }
        }
        #expect(temporary.count == 1)
        #expect(temporary.first.map { $0.count == ".out.bed.tmp.".count + 6 } ?? false, "\(temporary)")
        kill(process.processIdentifier, number)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == number)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// `train` and `evaluate` print their result to stdout; a write that fails (a full disk,
    /// here a node like /dev/full made for the test) is an error, not exit 0 with nothing written.
    @Test(.enabled(if: SeedData.isAvailable, SeedData.skipReason))
    func aResultThatCannotBeWrittenIsAnError() throws {
        let folder = try Scratch.directory()
        let full = folder.appendingPathComponent("full-device").path
        guard try OutputPathTests.makeCharacterDevice(full, minor: 7) else { return }  // like /dev/full
        let seed = ["--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath]
        for command in [["evaluate"] + seed, ["evaluate", "--json"] + seed,
                        ["train"] + seed + ["--recipe", "notebook", "--epochs", "1", "-o", folder.appendingPathComponent("m.json").path]] {
            let process = Process()
            process.executableURL = Annotate.binary
            process.arguments = command
            process.standardOutput = FileHandle(forWritingAtPath: full)
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1, "\(command): \(stderr)")
            #expect(stderr.contains("annotate \(command[0]): stdout: write error: No space left on device"), "\(stderr)")
        }
    }

    /// An output that names an input, by its own path, another spelling, a symlink or a hard
    /// link, is refused with one line before anything is read, and the input is untouched.
    @Test func anOutputThatIsAnInputIsRefused() throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("genome.fa.gz").path
        try FileManager.default.copyItem(atPath: OutputPathTests.demo, toPath: genome)
        let link = folder.appendingPathComponent("link.fa.gz").path, hard = folder.appendingPathComponent("hard.fa.gz").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "genome.fa.gz")
        try FileManager.default.linkItem(atPath: genome, toPath: hard)
        let before = try Data(contentsOf: URL(fileURLWithPath: genome))
        let dotted = folder.path + "/./genome.fa.gz"
        let sequences = folder.appendingPathComponent("set.tsv").path
        try Data("ACGTACGTAC\t1\nTTTTACGTAC\t0\n".utf8).write(to: URL(fileURLWithPath: sequences))
        for arguments in [["scan", "-o", genome, genome], ["scan", "-o", dotted, genome], ["scan", "-o", link, genome],
                          ["scan", "-o", hard, genome], ["scan", "--stats", link, "-o", folder.path + "/out.bed", genome],
                          ["variants", "--fasta", genome, "--vcf", genome, "-o", hard],
                          ["train", "--sequences", sequences, "-o", sequences]] {
            let result = try Annotate.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains("writing there would replace it"), "\(arguments): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: genome)) == before)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out.bed"))
    }
}

