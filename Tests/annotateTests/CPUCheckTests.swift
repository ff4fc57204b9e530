import Foundation
import Testing
import GenomeIO
import annotate

/// The startup check that stands between an AVX2 build and an older CPU (see Package.swift).
struct CPUCheckTests {
    @Test func complainsInOneLineAboutExactlyTheMissingFeatures() throws {
        let message = try #require(CPUCheck.complaint(cpuFlags: ["sse2", "avx", "fma"], needs: ["avx2", "fma"]))
        #expect(message.contains("no avx2)"))
        #expect(!message.contains("\n"))
        #expect(message.contains("ANNOTATE_PORTABLE=1"))
        #expect(CPUCheck.complaint(cpuFlags: ["avx2", "fma", "sse2"], needs: ["avx2", "fma"]) == nil)
        #expect(CPUCheck.complaint(cpuFlags: [], needs: []) == nil)
        // An AVX-512 build on an AVX2 machine also names the x86-64-v3 build.
        let avx512 = try #require(CPUCheck.complaint(cpuFlags: ["avx2", "fma"], needs: ["avx2", "fma", "avx512f"]))
        #expect(avx512.contains("no avx512f)") && avx512.contains("ANNOTATE_NO_AVX512=1"))
    }

    /// The machine that built and runs the tests has what the build needs: the manifest
    /// read the same /proc/cpuinfo flags that the check reads.
    @Test func thisMachineHasWhatTheBuildNeeds() {
        #expect(CPUCheck.complaint(cpuFlags: CPUCheck.cpuFlags) == nil)
        #expect(CPUCheck.cpuFlags.isSuperset(of: CPUCheck.buildFeatures))
        #if arch(x86_64) && os(Linux)
        // An x86-64 Linux machine with AVX2 and FMA builds for them unless told not to, and
        // for AVX-512 too where it has it.
        let environment = ProcessInfo.processInfo.environment
        if environment["ANNOTATE_PORTABLE"] == nil, CPUCheck.cpuFlags.isSuperset(of: ["avx2", "fma"]) {
            let avx512 = environment["ANNOTATE_NO_AVX512"] == nil && CPUCheck.cpuFlags.contains("avx512f")
            #expect(CPUCheck.buildFeatures == (avx512 ? ["avx2", "fma", "avx512f"] : ["avx2", "fma"]))
        }
        #endif
    }
}

/// The scan's progress line: never a rate from no time, and a new phase waits its half second.
struct ProgressLineTests {
    @Test func aNewPhaseShowsOnlyOnceItHasRunHalfASecond() throws {
        let start = ContinuousClock.now
        let line = ProgressLine(now: start)
        func at(_ milliseconds: Int, bases: Int, background: Bool) -> String? {
            line.text(ScanProgress(bases: bases, inputDone: 0, inputTotal: nil, isBackground: background), now: start + .milliseconds(milliseconds))
        }
        // The background pass starts late (the model took a while to load): nothing yet.
        #expect(at(900, bases: 5_000_000, background: true) == nil)
        #expect(at(1_300, bases: 10_000_000, background: true) == nil)
        #expect(try #require(at(1_500, bases: 12_000_000, background: true)) == "\rbackground: 12.0 Mbp, 20.0 Mbp/s   ")
        // The scan after it: its own clock again.
        #expect(at(1_600, bases: 1_000_000, background: false) == nil)
        #expect(try #require(at(2_200, bases: 6_000_000, background: false)) == "\r6.0 Mbp, 10.0 Mbp/s   ")
    }
}
