import DropBlock
import Foundation

/// One case of `shared/golden/<preset>.json`, decoded loosely (fields vary by preset).
public struct GoldenCase: Sendable {
    public let index: Int
    public let raw: JSONValue

    public var preset: Preset { Preset(rawValue: raw["preset"]?.string ?? "") ?? .dropblock }
    public var shape: [Int] { ints("shape") }
    public var blockSize: Int { raw["block_size"]?.int ?? 0 }
    public var dropProb: Double { raw["drop_prob"]?.double ?? 0 }
    public var isError: Bool { raw["error"]?.bool ?? false }
    public var outputHasNaN: Bool { raw["output_has_nan"]?.bool ?? false }
    public var gamma: Double? { raw["gamma"]?.double }

    public func ints(_ key: String) -> [Int] { raw[key]?.array?.compactMap(\.int) ?? [] }
    public func doubles(_ key: String) -> [Double] { raw[key]?.array?.compactMap(\.double) ?? [] }
    public func floats(_ key: String) -> [Float] {
        // NaN is written as null by some writers; keep it as NaN.
        raw[key]?.array?.map { $0.float ?? .nan } ?? []
    }
    public func tensor(_ values: String, shape: String) throws -> Tensor {
        try Tensor(shape: ints(shape), storage: floats(values))
    }

    /// The error the reference raised, by the rule in `shared/spec/semantics.md` that the
    /// golden file's `error: true` stands for: torchvision rejects an even block size after
    /// clipping to the map, tf a non-square map. Nil for a case that is not an error, or an
    /// error case no rule explains (a test must treat that as a failure).
    public var expectedError: DropBlockError? {
        guard isError else { return nil }
        let spatial = Array(shape.dropFirst(2))
        guard let smallest = spatial.min() else { return nil }
        switch preset {
        case .torchvision:
            let clipped = min(blockSize, smallest)
            return clipped % 2 == 0 ? .evenBlockSize(preset: .torchvision, blockSize: blockSize, clipped: clipped) : nil
        case .tf:
            guard spatial.count == 2, spatial[0] != spatial[1] else { return nil }
            return .nonSquareMap(height: spatial[0], width: spatial[1])
        case .dropblock, .timm, .kerascv:
            return nil
        }
    }

    public var label: String { "\(preset.rawValue) case \(index) shape \(shape) bs \(blockSize) p \(dropProb)" }

    public var parameters: DropBlockParameters {
        var parameters = DropBlockParameters(dropProb: dropProb, blockSize: blockSize, preset: preset)
        if preset == .timm {
            parameters.timm = TimmOptions(
                gammaScale: raw["gamma_scale"]?.double ?? 1,
                coupleChannels: raw["couple_channels"]?.bool ?? true,
                scaleByKeep: raw["scale_by_keep"]?.bool ?? true,
                withNoise: raw["with_noise"]?.bool ?? false)
        }
        return parameters
    }
}

/// Loads the golden vectors from `../shared/golden/` beside the package root.
public enum Golden {
    public static var folder: URL {
        // Tests/GoldenSupport/Golden.swift -> package root -> ../shared/golden
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/golden")
    }

    public static func document(_ name: String) throws -> JSONValue {
        let url = folder.appendingPathComponent("\(name).json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw GoldenMissing(path: url.path)
        }
        return try JSONValue.parse(Array(try Data(contentsOf: url)))
    }

    public static func cases(_ name: String) throws -> [GoldenCase] {
        let list = try document(name)["cases"]?.array ?? []
        return list.enumerated().map { GoldenCase(index: $0.offset, raw: $0.element) }
    }
}

public struct GoldenMissing: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "golden vectors not found at \(path): the shared/ folder must sit beside the package" }
}

/// Runs a golden case through the library, returning the result or the error. Cases with
/// a `normal_noise` draw (timm's `with_noise`) replay it as the Gaussian fill.
public func replay(_ golden: GoldenCase) throws -> Result<DropBlockResult, DropBlockError> {
    let input = try golden.tensor("input", shape: "shape")
    let noise = try golden.tensor("noise", shape: "noise_shape")
    if golden.raw["normal_noise"] != nil {
        let normal = try golden.tensor("normal_noise", shape: "normal_noise_shape")
        return Result { () throws(DropBlockError) in
            try DropBlock2D(parameters: golden.parameters).forward(input, noise: noise, normalNoise: normal)
        }
    }
    if golden.shape.count == 5 {
        return Result { () throws(DropBlockError) in try DropBlock3D(parameters: golden.parameters).forward(input, noise: noise) }
    }
    return Result { () throws(DropBlockError) in try DropBlock2D(parameters: golden.parameters).forward(input, noise: noise) }
}

/// `|a - b| <= rtol * |b| + atol` elementwise; returns the index of the first mismatch.
public func firstMismatch(_ actual: [Float], _ expected: [Float], rtol: Float = 1e-5, atol: Float = 1e-6) -> Int? {
    guard actual.count == expected.count else { return -1 }
    for i in actual.indices {
        let a = actual[i], b = expected[i]
        if !a.isFinite || abs(a - b) > rtol * abs(b) + atol { return i }
    }
    return nil
}
