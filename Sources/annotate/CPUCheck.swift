#if canImport(Glibc)
import Glibc
#endif

/// Model and the scan's targets are compiled for AVX2 and FMA, and AVX-512 where there is,
/// when the building machine has them (see Package.swift). This module is not, so it can check the CPU before any of their code
/// runs, and say so in one line instead of dying of an illegal instruction.
public enum CPUCheck {
    static func requireBuildFeatures() {
        #if ANNOTATE_NEEDS_AVX2 || ANNOTATE_NEEDS_AVX512
        if let message = complaint(cpuFlags: cpuFlags) {
            printError(message)
            exit(ExitStatus.failure)
        }
        #endif
    }

    /// The features this build needs.
    public static var buildFeatures: [String] {
        #if ANNOTATE_NEEDS_AVX512
        return ["avx2", "fma", "avx512f"]
        #elseif ANNOTATE_NEEDS_AVX2
        return ["avx2", "fma"]
        #else
        return []
        #endif
    }

    /// The one-line message for a CPU with these flags, or nil if it has what the build needs.
    public static func complaint(cpuFlags: Set<String>, needs: [String] = buildFeatures) -> String? {
        let missing = needs.filter { !cpuFlags.contains($0) }
        guard !missing.isEmpty else { return nil }
        let names = needs.map { $0 == "avx512f" ? "AVX-512" : $0.uppercased() }
        let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "") : names.joined()
        return "annotate: this build uses " + list
            + " instructions, which this CPU lacks (no " + missing.joined(separator: ", ")
            + "); rebuild annotate on this machine, or build it with ANNOTATE_PORTABLE=1 for any x86-64"
            + (needs.contains("avx512f") && cpuFlags.isSuperset(of: ["avx2", "fma"]) ? " (or ANNOTATE_NO_AVX512=1)" : "")
    }

    /// The first `flags` line of /proc/cpuinfo (empty if it cannot be read).
    public static var cpuFlags: Set<String> {
        #if canImport(Glibc)
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            return Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        }
        #endif
        return []
    }
}
