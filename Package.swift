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
        // PGM/PPM images (the visualizer's image input).
        .target(name: "Netpbm"),
        // The embedded default data (a photograph), located through SwiftPM resources.
        .target(
            name: "SampleAssets",
            path: "assets",
            exclude: ["README.md"],
            sources: ["SampleAssets.swift"],
            resources: [.copy("chelsea.pgm")]
        ),
        // Screen model: state, actions, layout, frames. Pure; no ncurses.
        .target(name: "Visualizer", dependencies: ["DropBlock"]),
        // ncursesw, reached through a tiny shim header.
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // The thin terminal backend: paints frames, reads keys.
        .target(name: "TerminalUI", dependencies: ["CNCurses", "Visualizer"]),
        .executableTarget(
            name: "dropblock",
            dependencies: [
                "DropBlock", "NumpyIO", "Netpbm", "Visualizer", "TerminalUI", "SampleAssets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Golden-vector loading shared by the core and CLI tests.
        .target(name: "GoldenSupport", dependencies: ["DropBlock"], path: "Tests/GoldenSupport"),
        // Test-only: wraps malloc to count a thread's allocations (the no-allocation tests).
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(name: "DropBlockTests", dependencies: ["DropBlock", "GoldenSupport", "AllocationCounter"]),
        .testTarget(name: "NumpyIOTests", dependencies: ["NumpyIO"], exclude: ["Fixtures"]),
        .testTarget(name: "VisualizerTests", dependencies: ["Visualizer", "DropBlock", "Netpbm", "SampleAssets", "GoldenSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "CLITests", dependencies: ["NumpyIO", "DropBlock", "GoldenSupport", "dropblock"]),
    ],
    swiftLanguageModes: [.v6]
)
