// swift-tools-version:6.0
import PackageDescription

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
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]
        ),
        .target(name: "Model"),
        .target(name: "Scanner", dependencies: ["Model", "CZlib", "COpenBLAS"]),
        .executableTarget(
            name: "annotate",
            dependencies: [
                "Model",
                "Scanner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(name: "ScannerTests", dependencies: ["Scanner", "Model"]),
        .testTarget(name: "annotateTests", dependencies: ["annotate"]),
    ],
    swiftLanguageModes: [.v6]
)
