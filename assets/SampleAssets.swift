import CSampleAssets
import Foundation

/// The embedded sample data: `assets/chelsea.pgm`, compiled into the executable
/// (`Sources/CSampleAssets`, written by `assets/embed.py`), so `dropblock` shows it wherever
/// the binary is copied. (A SwiftPM resource bundle stays beside the build folder, and
/// without it `Bundle.module` stops the program.)
public enum SampleAssets {
    /// The bytes of the default photograph (binary PGM, 224x224 greyscale, CC0).
    public static func photographPGM() -> Data {
        Data(bytes: dropblock_photograph_bytes(), count: Int(dropblock_photograph_size()))
    }
}
