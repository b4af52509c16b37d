import ArgumentParser
import Foundation
import NumpyIO
import PNGEncoding
import Visualizer

/// `dropblock render`: the frame viz would show, printed once to stdout.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the frame the visualizer would show for this state (ANSI colour, or plain text with --color never).",
        discussion: """
            Deterministic for a given seed: for docs, slides and snapshot tests. --format svg or png writes the \
            frame as a figure (titles, status and legend as text; the colours the --color tier shows, truecolor \
            by default) to --output.
            """
    )

    @OptionGroup var options: VizOptions

    @Option(parsing: .unconditional, help: "Terminal width in columns.")
    var width: Int = 120

    @Option(parsing: .unconditional, help: "Terminal height in rows.")
    var height: Int = 40

    @Option(parsing: .unconditional, help: "Keys to press before rendering, e.g. '++]]s' (the visualizer's key bindings; <up> <down> <left> <right> for the arrows, <esc> and <enter>).")
    var keys: String = ""

    @Option(help: "text (ANSI or plain), svg or png (default: from --output's extension, else text).")
    var format: FigureFormat?

    /// The format asked for, or the one --output's extension names.
    var chosenFormat: FigureFormat {
        format ?? FigureFormat(rawValue: outputExtension) ?? .text
    }

    /// `--output`'s extension, lower case ("" without one, or without `--output`).
    var outputExtension: String {
        output.map { URL(fileURLWithPath: $0).pathExtension.lowercased() } ?? ""
    }

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout (needed for png).")
    var output: String?

    @Option(name: .customLong("scale"), parsing: .unconditional,
            help: "Figure scale (svg, png): a half-block pixel becomes a (6 x scale)-pixel square (1...8; default 2).")
    var scaleOption: Int?

    /// The figure scale: `--scale`, else 2.
    var scale: Int { scaleOption ?? 2 }

    /// The format `--output`'s extension names, if it names one.
    var extensionFormat: FigureFormat? {
        switch outputExtension {
        case "png": return .png
        case "svg": return .svg
        case "txt", "ans": return .text
        default: return nil
        }
    }

    /// The `--output` extensions that name a format (none: ANSI text).
    static let knownExtensions: Set<String> = ["", "png", "svg", "txt", "ans"]

    /// The most pixels a PNG figure may have (3 bytes each, plus one compressed copy).
    static let maximumFigurePixels = 64 << 20

    func validate() throws {
        guard (1...8).contains(scale) else { throw ValidationError("--scale must be in 1...8, got \(scale)") }
        if chosenFormat == .png && output == nil { throw ValidationError("--format png needs --output FILE") }
        // Round 23: `--format svg -o a.png` wrote SVG text into a.png without a word.
        if let format, let named = extensionFormat, named != format, let output {
            throw ValidationError("--format \(format.rawValue) disagrees with --output \(output), whose extension names \(named.rawValue): make them agree")
        }
        // It sizes figures only; with text it was ignored without a word.
        if scaleOption != nil && chosenFormat == .text {
            throw ValidationError("--scale sizes svg and png figures; text output has none (add --format svg|png or an --output .svg/.png)")
        }
        if format == nil, let output, !Self.knownExtensions.contains(outputExtension) {
            // x.gif once got ANSI text without a word.
            throw ValidationError("--output \(output): unknown extension .\(outputExtension); use .png, .svg, .txt (plain text) or .ans (ANSI), or --format")
        }
        if chosenFormat != .text {
            let geometry = FigureGeometry(scale: scale)
            let pixels = width * geometry.cellWidth * height * geometry.cellHeight
            guard pixels <= Self.maximumFigurePixels else {
                throw ValidationError("a \(width)x\(height) frame at --scale \(scale) is \(pixels) pixels; the limit is \(Self.maximumFigurePixels)")
            }
        }
        guard (1...1000).contains(width), (1...1000).contains(height) else {
            throw ValidationError("--width and --height must be in 1...1000, got \(width)x\(height)")
        }
        guard let parsed = KeyBindings.parse(keys) else {
            throw ValidationError("--keys: unknown <name> in '\(keys)' (the named keys are <up> <down> <left> <right> <esc> <enter>)")
        }
        for key in parsed where KeyBindings.action(for: key) == nil {
            throw ValidationError("--keys: '\(key)' is not a visualizer key")
        }
    }

    func run() throws {
        // Not a terminal program: a figure or a `w` file being written goes on Ctrl-C.
        Interrupts.install()
        if let output { try OutputPath.check(output, what: "output", notOverwriting: [options.file].compactMap { $0 }) }
        var session = try options.makeSession(writer: DrawFileWriter(folder: FileManager.default.currentDirectoryPath))
        for key in KeyBindings.parse(keys) ?? [] {
            guard let action = KeyBindings.action(for: key), session.apply(action, screen: ScreenSize(width: width, height: height)) else { break }
        }
        let model = session.model
        // A figure is for a slide, not a terminal: full colour unless --color says otherwise.
        let format = chosenFormat
        // A .txt file gets plain text, like a pipe; a figure or an .ans file full colour.
        let tier = options.color.tier ?? (format == .text && output == nil ? autoTier() : format == .text && outputExtension == "txt" ? .ascii : .truecolor)
        let frame = FrameRenderer(tier: tier).render(model, width: width, height: height)
        let bytes: Data
        switch format {
        case .text:
            bytes = Data(AnsiWriter.text(frame, tier: tier).utf8)
        case .svg:
            bytes = Data(SVGFigure.document(frame.figureCrop(), tier: tier, geometry: FigureGeometry(scale: scale)).utf8)
        case .png:
            let raster = FigureRaster(frame.figureCrop(), tier: tier, geometry: FigureGeometry(scale: scale))
            do {
                bytes = Data(try PNGEncoder.encode(width: raster.width, height: raster.height, rgb: raster.pixels))
            } catch {
                throw CLIError("cannot encode the figure: \(error.description)")
            }
        }
        guard let output else {
            FileHandle.standardOutput.write(bytes)
            return
        }
        do {
            // The file a link names, and a device or FIFO in place (`OutputTarget`).
            let target = OutputTarget(output)
            try bytes.write(to: URL(fileURLWithPath: target.path), options: target.inPlace ? [] : .atomic)
        } catch {
            throw CLIError("cannot write output \(output): \(String(cString: strerror(errno)))")
        }
    }

    /// Colour only when writing to a terminal that has it.
    func autoTier() -> ColorTier {
        guard isatty(STDOUT_FILENO) == 1 else { return .ascii }
        let environment = ProcessInfo.processInfo.environment
        return ColorTier.detect(environment: environment, utf8: ColorTier.localeIsUTF8(environment))
    }
}
