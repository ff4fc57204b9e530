// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The scoring kernels are plain Swift SIMD code, which the default x86-64 target compiles to
/// SSE: four lanes, no FMA. When the machine that builds annotate has AVX2 and FMA (x86-64-v3,
/// every x86 server since 2013), Model and the scan's targets are compiled for them, and for AVX-512 too
/// where the machine has it (`avx512f`: 16-lane registers, twice as many of them, which the
/// matrix kernels' taller tiles use), with bit-identical results, because Swift never
/// contracts or reassociates floating-point operations outside the fast path's fused
/// multiply-adds. Like `-march=native`, the binary then needs such a CPU: `annotate` checks
/// at startup and says so in one line instead of crashing (`CPUCheck.swift`).
/// `ANNOTATE_PORTABLE=1 swift build -c release` builds for any x86-64, and
/// `ANNOTATE_NO_AVX512=1` for any x86-64-v3, for a binary that is copied to other machines
/// (SwiftPM rebuilds when either changes).
let cpuFeatures: [String] = {
    #if arch(x86_64) && os(Linux)
    let environment = ProcessInfo.processInfo.environment
    guard environment["ANNOTATE_PORTABLE"] == nil,
          let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    let flags = Set(line.split(whereSeparator: \.isWhitespace))
    guard flags.isSuperset(of: ["avx2", "fma"]) else { return [] }
    return environment["ANNOTATE_NO_AVX512"] == nil && flags.contains("avx512f") ? ["avx2", "fma", "avx512f"] : ["avx2", "fma"]
    #else
    return []
    #endif
}()
/// `ANNOTATE_FMA` lets the matrix kernels use fused multiply-adds (`MatrixKernels.multiplyAdd`);
/// `ANNOTATE_AVX512` gives them their tallest tile.
let kernelSettings: [SwiftSetting] =
    (cpuFeatures.isEmpty ? [] : [.unsafeFlags(cpuFeatures.flatMap { ["-Xcc", "-m\($0)"] })])
    + (cpuFeatures.contains("fma") ? [.define("ANNOTATE_FMA")] : [])
    + (cpuFeatures.contains("avx512f") ? [.define("ANNOTATE_AVX512")] : [])
/// What `annotate` checks the CPU for at startup (`CPUCheck.buildFeatures`).
let cpuCheckSettings: [SwiftSetting] =
    (cpuFeatures.contains("avx2") ? [.define("ANNOTATE_NEEDS_AVX2")] : [])
    + (cpuFeatures.contains("avx512f") ? [.define("ANNOTATE_NEEDS_AVX512")] : [])

/// The targets form a tree along the data's path (ARCHITECTURE.md): FASTA in (GenomeIO),
/// windows scored (Scoring), the genome's background (Background), the output formats
/// (Tracks), the scan that joins them (Scan), and the variants scored beside it (Variants).
let package = Package(
    name: "annotate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "annotate", targets: ["annotate"]),
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Significance", targets: ["Significance"]),
        .library(name: "Scan", targets: ["Scan"]),
        .library(name: "Variants", targets: ["Variants"]),
        .library(name: "Interpretation", targets: ["Interpretation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // The network, its training and metrics, and model files; no other I/O.
        .target(name: "Model", swiftSettings: kernelSettings),
        // Null distributions, p-values and q-values.
        .target(name: "Significance", swiftSettings: kernelSettings),
        // Browser formats written natively: BGZF, tabix indexes, bigWig and bigBed.
        .target(name: "BrowserFormats", dependencies: ["CZlib"]),
        // Bytes in and out: gzip/BGZF streams, FASTA, faidx/.gzi indexes, regions, output files.
        .target(name: "GenomeIO", dependencies: ["Model", "BrowserFormats", "CZlib"], swiftSettings: kernelSettings),
        // Windows to probabilities: the scorers, their kernels and references, the workers.
        .target(name: "Scoring", dependencies: ["Model", "Significance"], swiftSettings: kernelSettings),
        // The genome's own background: decoys per block, background files, p-values.
        .target(name: "Background", dependencies: ["Model", "Significance", "GenomeIO", "Scoring"], swiftSettings: kernelSettings),
        // Scored windows to output formats: regions, bedGraph, bigWig, q-values, the report's data.
        .target(name: "Tracks", dependencies: ["Model", "Significance", "GenomeIO", "Scoring", "Background"], swiftSettings: kernelSettings),
        // The scan: records read into work items, scored, written in order; shards and merges.
        .target(name: "Scan", dependencies: ["Model", "GenomeIO", "Scoring", "Background", "Tracks"], swiftSettings: kernelSettings),
        // A VCF's alleles scored against the genome and its background.
        .target(name: "Variants", dependencies: ["Model", "Significance", "GenomeIO", "Scoring", "Background"], swiftSettings: kernelSettings),
        // What `explain` and `motifs` write: attribution tables, MEME motifs and SVG figures.
        .target(name: "Interpretation", dependencies: ["Model"]),
        // The pages `train --report` and `scan --report` write: charts, tables and logos.
        .target(name: "Reports", dependencies: ["Model", "Scoring", "Tracks", "Scan", "Interpretation"]),
        .executableTarget(
            name: "annotate",
            dependencies: [
                "Model",
                "GenomeIO",
                "Scoring",
                "Background",
                "Tracks",
                "Scan",
                "Variants",
                "Interpretation",
                "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: cpuCheckSettings
        ),
        // Helpers every test target shares: the seed data, scratch files, a synthetic genome.
        .target(name: "TestSupport", dependencies: ["Model"], path: "Tests/TestSupport"),
        .testTarget(name: "ModelTests", dependencies: ["Model", "TestSupport"]),
        .testTarget(name: "SignificanceTests", dependencies: ["Significance"]),
        .testTarget(name: "BrowserFormatsTests", dependencies: ["BrowserFormats", "TestSupport"]),
        .testTarget(name: "GenomeIOTests", dependencies: ["GenomeIO", "Model", "BrowserFormats", "TestSupport"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Model", "Significance", "TestSupport"]),
        .testTarget(name: "BackgroundTests", dependencies: ["Background", "GenomeIO", "Scoring", "Significance", "Model", "TestSupport"]),
        .testTarget(name: "TracksTests", dependencies: ["Tracks", "Background", "GenomeIO", "Scoring", "Model", "TestSupport"]),
        .testTarget(name: "ScanTests", dependencies: ["Scan", "Tracks", "Background", "GenomeIO", "Scoring", "Significance", "Model", "TestSupport"]),
        .testTarget(name: "VariantsTests", dependencies: ["Variants", "Background", "GenomeIO", "Scoring", "Model", "TestSupport"]),
        .testTarget(name: "InterpretationTests", dependencies: ["Interpretation", "Model"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Interpretation"]),
        .testTarget(name: "annotateTests", dependencies: ["annotate", "Scan", "Tracks", "GenomeIO", "Model", "TestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
