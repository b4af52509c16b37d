// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dropblock-swift",
    // The worker pool's atomics (the Synchronization module) need macOS 15 on Apple platforms;
    // Linux has no such floor.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DropBlock", targets: ["DropBlock"]),
        // Reading and writing users' arrays from their own code, as the CLI does (round 24).
        .library(name: "NumpyIO", targets: ["NumpyIO"]),
        .library(name: "SafetensorsIO", targets: ["SafetensorsIO"]),
        .executable(name: "dropblock", targets: ["dropblock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // `swift package generate-documentation` (the DocC catalog in Sources/DropBlock/DropBlock.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // How shapes are written for people (NumPy's tuple, HxW): a leaf every module may use.
        .target(name: "ShapeFormat"),
        // AVX2 forms of the core's hot loops that baseline x86-64 Swift cannot vectorise wide
        // enough, chosen at run time (C: Swift has no per-function instruction sets).
        .target(name: "CMaskKernels"),
        // The core: tensors, presets, masks, schedulers, expected-rate math. No I/O.
        .target(name: "DropBlock", dependencies: ["ShapeFormat", "CMaskKernels"]),
        // NumPy .npy reading and writing, and .npz archives through ZIPFoundation; separate from the core.
        // (zlib's crc32 checks a member's bytes: ZIPFoundation's consumer API computes a CRC but does not compare it.)
        .target(name: "NumpyIO", dependencies: ["ShapeFormat", "CZlibShim", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Hugging Face .safetensors reading.
        .target(name: "SafetensorsIO"),
        // PGM/PPM images (the visualizer's image input).
        .target(name: "Netpbm", dependencies: ["ShapeFormat"]),
        // The embedded default data (a photograph), compiled in from C (assets/embed.py
        // writes it from assets/chelsea.pgm), so the binary needs no file beside it.
        .target(name: "CSampleAssets"),
        .target(
            name: "SampleAssets",
            dependencies: ["CSampleAssets"],
            path: "assets",
            exclude: ["README.md", "chelsea.pgm", "embed.py"],
            sources: ["SampleAssets.swift"]
        ),
        // Screen model: state, actions, layout, frames. Pure; no ncurses.
        .target(name: "Visualizer", dependencies: ["DropBlock", "ShapeFormat"]),
        // ncursesw, reached through a tiny shim header.
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // Runs a child process and measures its time and peak memory (bench io, hostile-input tests).
        .target(name: "ProcessMetrics"),
        // zlib, reached through a tiny shim header (PNG figures, and .npz members' CRC-32).
        .systemLibrary(name: "CZlibShim", path: "Sources/CZlibShim"),
        // PNG encoding of figure pixels.
        .target(name: "PNGEncoding", dependencies: ["CZlibShim"]),
        // The thin terminal backend: paints frames, reads keys.
        .target(name: "TerminalUI", dependencies: ["CNCurses", "Visualizer"]),
        .executableTarget(
            name: "dropblock",
            dependencies: [
                "DropBlock", "NumpyIO", "SafetensorsIO", "Netpbm", "Visualizer", "TerminalUI", "SampleAssets", "PNGEncoding", "ProcessMetrics",
                "ShapeFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Golden-vector loading shared by the core and CLI tests.
        .target(name: "GoldenSupport", dependencies: ["DropBlock"], path: "Tests/GoldenSupport"),
        // Test-only: wraps malloc to count a thread's allocations (the no-allocation tests).
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(name: "DropBlockTests", dependencies: ["DropBlock", "GoldenSupport", "AllocationCounter"]),
        .testTarget(
            name: "NumpyIOTests",
            dependencies: ["NumpyIO", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]),
        .testTarget(name: "SafetensorsIOTests", dependencies: ["SafetensorsIO"], exclude: ["Fixtures"]),
        .testTarget(
            name: "VisualizerTests", dependencies: ["Visualizer", "DropBlock", "Netpbm", "SampleAssets", "PNGEncoding", "CZlibShim", "GoldenSupport"],
            exclude: ["Snapshots"]),
        .testTarget(name: "NetpbmTests", dependencies: ["Netpbm"]),
        .testTarget(name: "ShapeFormatTests", dependencies: ["ShapeFormat"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["NumpyIO", "SafetensorsIO", "DropBlock", "GoldenSupport", "ProcessMetrics", "dropblock", "Visualizer",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Hostile"]),
        // libFuzzer targets (FuzzTesting/README.md; run by `.ci/fuzz SECONDS`). A plain build makes
        // do-nothing executables; `--sanitize=fuzzer` makes each a fuzzer.
        .target(name: "FuzzSupport", path: "FuzzTesting/Sources/FuzzSupport"),
        .executableTarget(name: "FuzzNPY", dependencies: ["FuzzSupport", "NumpyIO"], path: "FuzzTesting/Sources/FuzzNPY"),
        .executableTarget(name: "FuzzNPZ", dependencies: ["FuzzSupport", "NumpyIO"], path: "FuzzTesting/Sources/FuzzNPZ"),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", "SafetensorsIO"], path: "FuzzTesting/Sources/FuzzSafetensors"),
        .executableTarget(name: "FuzzNetpbm", dependencies: ["FuzzSupport", "Netpbm"], path: "FuzzTesting/Sources/FuzzNetpbm"),
        .executableTarget(name: "FuzzForward", dependencies: ["FuzzSupport", "DropBlock"], path: "FuzzTesting/Sources/FuzzForward"),
        .executableTarget(
            name: "FuzzVisualizer", dependencies: ["FuzzSupport", "DropBlock", "Visualizer"], path: "FuzzTesting/Sources/FuzzVisualizer"),
    ],
    swiftLanguageModes: [.v6]
)
