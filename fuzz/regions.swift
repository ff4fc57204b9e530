// libFuzzer harness for the parts of a scan the user names: region strings (`--region`,
// `GenomeRegion(parsing:path:)` in both forms: without the input's names, as a scan without
// an index parses them, and against a set of names, as `index --region` does), `--regions`
// BED files (`ScanRegions.bedIntervals(path:)`) and their merge (`ScanRegions`). Compiled
// into the GenomeIO module's own sources (scripts/fuzz.sh regions).
//
// The input is the BED file, and each of its lines (a CR before the LF dropped) is also a
// region string. Thrown GenomeIOErrors are expected; a trap, an ASan report, a leak or a
// hang is a bug, and so is any of these not holding:
//   - a parsed region keeps its text, its name is the text or the text up to a colon, its
//     start is from 0 and its end (when it has one) after its start; against names, the
//     name is one of them, and without names, text that is no range is a whole record;
//     `NAME:BEGIN-END` written back from it parses to the same region;
//   - a BED interval has a name without tabs or line ends, a start from 0 and an end after
//     it, and there is at most one per line;
//   - ScanRegions of the regions and intervals has, per name, sorted intervals that are not
//     empty and neither overlap nor touch, that cover every region and interval given of
//     that name, and that start and end where some given one starts and ends; and no other
//     names.
#if canImport(Glibc)
import Glibc
#endif

/// One unlinked file per process (in /dev/shm when it is writable), opened by ByteStream
/// as /proc/self/fd/N: nothing is left behind, whatever way the process ends.
private let inputFile: (fd: Int32, path: String) = {
    let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    var template = Array("\(directory)/annotate-fuzz-regions-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    require(fd >= 0, "mkstemp in \(directory) failed")
    _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
    return (fd, "/proc/self/fd/\(fd)")
}()

private func store(_ bytes: UnsafeRawBufferPointer) {
    require(ftruncate(inputFile.fd, 0) == 0, "ftruncate failed")
    var done = 0
    while done < bytes.count {
        let n = pwrite(inputFile.fd, bytes.baseAddress! + done, bytes.count - done, off_t(done))
        require(n > 0, "pwrite failed")
        done += n
    }
}

/// The names the second form knows: some with colons, as some assemblies have.
private let knownNames: Set<String> = ["chr1", "chr2", "HLA-A*01:01", "chrUn:1-5", "a:b", "1"]

private func checkRegion(_ region: GenomeRegion, _ text: String, names: Set<String>?) {
    func fail(_ reason: String) -> Never { fatalError("region \(String(reflecting: text)): \(reason): \(region)") }
    guard region.text == text else { fail("the text is not kept") }
    guard region.name == text || text.hasPrefix(region.name + ":") else { fail("the name is not the text or the text before a colon") }
    guard region.begin >= 0 else { fail("the start is before 0") }
    if let end = region.end, end <= region.begin { fail("the end is not after the start") }
    if let names {
        guard names.contains(region.name) else { fail("the name is not one of the input's") }
    } else if region.name == text {
        guard region.begin == 0, region.end == nil else { fail("a whole record has a range") }
    }
    guard region.name != text else { return }
    let again = "\(region.name):\(region.begin + 1)" + (region.end.map { "-\($0)" } ?? "")
    let name = region.name
    do throws(GenomeIOError) {
        let reparsed = try GenomeRegion(parsing: again, path: "fuzz") { $0 == name }
        guard reparsed.name == region.name, reparsed.begin == region.begin, reparsed.end == region.end else {
            fail("written back as \(again), it parses to \(reparsed)")
        }
    } catch {
        fail("written back as \(again), it does not parse: \(error)")
    }
}

private func checkMerge(_ merged: ScanRegions, _ given: [(name: String, range: Range<Int>)]) {
    func fail(_ reason: String) -> Never { fatalError("ScanRegions: \(reason)\ngiven: \(given)\nmerged: \(merged.intervals)") }
    guard merged.names == Set(given.map(\.name)) else { fail("other names than those given") }
    for (name, intervals) in merged.intervals {
        let mine = given.filter { $0.name == name }.map(\.range)
        for (k, interval) in intervals.enumerated() {
            guard !interval.isEmpty else { fail("an empty interval of \(name)") }
            if k > 0, intervals[k - 1].upperBound >= interval.lowerBound { fail("intervals of \(name) overlap, touch or are out of order") }
            guard mine.contains(where: { $0.lowerBound == interval.lowerBound }),
                  mine.contains(where: { $0.upperBound == interval.upperBound }) else {
                fail("interval \(interval) of \(name) starts or ends where none given does")
            }
        }
        for range in mine where !intervals.contains(where: { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }) {
            fail("\(range) of \(name) is not covered")
        }
    }
}

/// ANNOTATE_FUZZ_VERBOSE=1 prints the errors thrown, to see how far the seeds get.
private let verbose = getenv("ANNOTATE_FUZZ_VERBOSE") != nil

/// A precondition that says why in an optimized build too.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    // Lines split as bytes (as Characters, CR LF is one).
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    var regions: [GenomeRegion] = []
    for line in lines.prefix(64) {
        let line = String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        if let region = try? GenomeRegion(parsing: line, path: "fuzz") {
            checkRegion(region, line, names: nil)
            regions.append(region)
        }
        if let region = try? GenomeRegion(parsing: line, path: "fuzz", isName: { knownNames.contains($0) }) {
            checkRegion(region, line, names: knownNames)
            regions.append(region)
        }
    }

    store(bytes)
    var bed: [(name: String, begin: Int, end: Int)] = []
    do throws(GenomeIOError) {
        bed = try ScanRegions.bedIntervals(path: inputFile.path)
        let plain = (try? ByteStream.contents(of: inputFile.path)) ?? Array(bytes)  // a gzip input decompressed
        let count = plain.split(separator: 0x0A, omittingEmptySubsequences: false).count
        require(!bed.isEmpty && bed.count <= count, "\(bed.count) BED intervals from \(count) lines")
        for entry in bed {
            require(!entry.name.isEmpty && !entry.name.contains("\t") && !entry.name.contains("\n"), "BED name \(String(reflecting: entry.name))")
            require(entry.begin >= 0 && entry.end > entry.begin, "BED interval \(entry)")
        }
    } catch {
        let message = error.description
        if verbose { print(message) }
    }

    let merged = ScanRegions(regions: regions, bed: bed)
    checkMerge(merged, regions.map { ($0.name, $0.begin..<($0.end ?? Int.max)) } + bed.map { ($0.name, $0.begin..<$0.end) })
    return 0
}
