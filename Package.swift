// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The scoring kernels are plain Swift SIMD code, which the default x86-64 target compiles to
/// SSE: four lanes, no FMA. When the machine that builds annotate has AVX2 and FMA (x86-64-v3,
/// every x86 server since 2013), Model and Scanner are compiled for them, and for AVX-512 too
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

let package = Package(
    name: "annotate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "annotate", targets: ["annotate"]),
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Scanner", targets: ["Scanner"]),
        .library(name: "Interpretation", targets: ["Interpretation"]),
        .library(name: "Significance", targets: ["Significance"]),
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
        .target(name: "Model", swiftSettings: kernelSettings),
        .target(name: "Significance", swiftSettings: kernelSettings),
        // Browser formats written natively: BGZF, tabix indexes.
        .target(name: "BrowserFormats", dependencies: ["CZlib"]),
        .target(name: "Scanner", dependencies: ["Model", "Significance", "BrowserFormats", "CZlib"], swiftSettings: kernelSettings),
        // What `explain` and `motifs` write: attribution tables, MEME motifs and SVG figures.
        .target(name: "Interpretation", dependencies: ["Model"]),
        // The pages `train --report` and `scan --report` write, drawn with Interpretation's figures.
        .target(name: "Reports", dependencies: ["Model", "Scanner", "Interpretation"]),
        .executableTarget(
            name: "annotate",
            dependencies: [
                "Model",
                "Scanner",
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
        .testTarget(name: "InterpretationTests", dependencies: ["Interpretation"]),
        .testTarget(name: "BrowserFormatsTests", dependencies: ["BrowserFormats", "TestSupport"]),
        .testTarget(name: "ScannerTests", dependencies: ["Scanner", "Model", "Significance", "BrowserFormats", "TestSupport"]),
        .testTarget(name: "annotateTests", dependencies: ["annotate", "TestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
