// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dropblock-swift",
    products: [
        .library(name: "DropBlock", targets: ["DropBlock"]),
        .executable(name: "dropblock", targets: ["dropblock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The core: tensors, presets, masks, schedulers, expected-rate math. No I/O.
        .target(name: "DropBlock"),
        // NumPy .npy reading and writing, separate from the core.
        .target(name: "NumpyIO"),
        // The embedded default data (a photograph), located through SwiftPM resources.
        .target(
            name: "SampleAssets",
            path: "assets",
            exclude: ["README.md"],
            sources: ["SampleAssets.swift"],
            resources: [.copy("chelsea.pgm")]
        ),
        .executableTarget(
            name: "dropblock",
            dependencies: [
                "DropBlock", "NumpyIO", "SampleAssets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Golden-vector loading shared by the core and CLI tests.
        .target(name: "GoldenSupport", dependencies: ["DropBlock"], path: "Tests/GoldenSupport"),
        .testTarget(name: "DropBlockTests", dependencies: ["DropBlock", "GoldenSupport"]),
        .testTarget(name: "NumpyIOTests", dependencies: ["NumpyIO"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["NumpyIO", "DropBlock", "GoldenSupport", "dropblock"]),
    ],
    swiftLanguageModes: [.v6]
)
