import ArgumentParser

/// `render --format`: what the frame is written as.
enum FigureFormat: String, ExpressibleByArgument, CaseIterable {
    /// The frame as text with ANSI colours, as the terminal shows it.
    case text
    /// A vector figure.
    case svg
    /// A raster figure.
    case png
}
