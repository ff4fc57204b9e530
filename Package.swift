// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The scoring kernels are plain Swift SIMD code, which the default x86-64 target compiles to
/// SSE: four lanes, no FMA. When the machine that builds annotate has AVX2 and FMA (x86-64-v3,
/// every x86 server since 2013), Model and Scanner are compiled for them: about 10% faster at
/// step 1 and 25% on the reference path (bedGraph), with bit-identical results, because Swift
/// never contracts or reassociates floating-point operations. Like `-march=native`, the binary
/// then needs such a CPU: `annotate` checks at startup and says so in one line instead of
/// crashing (`CPUCheck.swift`). `ANNOTATE_PORTABLE=1 swift build -c release` builds for any
/// x86-64, for a binary that is copied to older machines (SwiftPM rebuilds when it changes).
let buildsForX86_64v3: Bool = {
    #if arch(x86_64) && os(Linux)
    guard ProcessInfo.processInfo.environment["ANNOTATE_PORTABLE"] == nil,
          let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return false }
    return Set(flags.split(whereSeparator: \.isWhitespace)).isSuperset(of: ["avx2", "fma"])
    #else
    return false
    #endif
}()
/// `ANNOTATE_FMA` lets the matrix kernels use fused multiply-adds (`MatrixKernels.multiplyAdd`).
let kernelSettings: [SwiftSetting] =
    buildsForX86_64v3 ? [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"]), .define("ANNOTATE_FMA")] : []

let package = Package(
    name: "annotate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "annotate", targets: ["annotate"]),
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Scanner", targets: ["Scanner"]),
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
        .target(name: "Scanner", dependencies: ["Model", "CZlib"], swiftSettings: kernelSettings),
        .executableTarget(
            name: "annotate",
            dependencies: [
                "Model",
                "Scanner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: buildsForX86_64v3 ? [.define("ANNOTATE_NEEDS_AVX2")] : []
        ),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(name: "ScannerTests", dependencies: ["Scanner", "Model"]),
        .testTarget(name: "annotateTests", dependencies: ["annotate"]),
    ],
    swiftLanguageModes: [.v6]
)
