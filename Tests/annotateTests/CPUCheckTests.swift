import Foundation
import Testing
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
    }

    /// The machine that built and runs the tests has what the build needs: the manifest
    /// read the same /proc/cpuinfo flags that the check reads.
    @Test func thisMachineHasWhatTheBuildNeeds() {
        #expect(CPUCheck.complaint(cpuFlags: CPUCheck.cpuFlags) == nil)
        #expect(CPUCheck.cpuFlags.isSuperset(of: CPUCheck.buildFeatures))
        #if arch(x86_64) && os(Linux)
        // An x86-64 Linux machine with AVX2 and FMA builds for them unless told not to.
        if ProcessInfo.processInfo.environment["ANNOTATE_PORTABLE"] == nil, CPUCheck.cpuFlags.isSuperset(of: ["avx2", "fma"]) {
            #expect(CPUCheck.buildFeatures == ["avx2", "fma"])
        }
        #endif
    }
}
