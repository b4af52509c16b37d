import ArgumentParser
import Visualizer

/// `--color`: which colour tier to draw with.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, never, eight = "8", sixteen = "16", twoFiftySix = "256", truecolor

    /// The tier it forces, or nil for detection.
    var tier: ColorTier? {
        switch self {
        case .auto: return nil
        case .never: return .ascii
        case .eight: return .ansi8
        case .sixteen: return .ansi16
        case .twoFiftySix: return .ansi256
        case .truecolor: return .truecolor
        }
    }
}
