import Foundation

/// Locates the embedded sample data shipped in `assets/` as SwiftPM resources.
public enum SampleAssets {
    /// The bytes of the default photograph (binary PGM, 224x224 greyscale, CC0).
    /// - Throws: `SampleAssetsError.missing` if the resource bundle was not installed.
    public static func photographPGM() throws -> Data {
        guard let url = Bundle.module.url(forResource: "chelsea", withExtension: "pgm") else {
            throw SampleAssetsError.missing("chelsea.pgm")
        }
        return try Data(contentsOf: url)
    }
}

/// The sample data could not be found next to the executable.
public enum SampleAssetsError: Error, CustomStringConvertible {
    /// A resource file is missing from the bundle.
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let name): return "embedded sample \(name) not found in the resource bundle"
        }
    }
}
