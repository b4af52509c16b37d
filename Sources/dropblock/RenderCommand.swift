import ArgumentParser
import Foundation
import Visualizer

/// `dropblock render`: the frame viz would show, printed once to stdout.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the frame the visualizer would show for this state (ANSI colour, or plain text with --color never).",
        discussion: "Deterministic for a given seed: for docs, slides and snapshot tests."
    )

    @OptionGroup var options: VizOptions

    @Option(help: "Terminal width in columns.")
    var width: Int = 120

    @Option(help: "Terminal height in rows.")
    var height: Int = 40

    @Option(help: "Keys to press before rendering, e.g. '++]]s' (the visualizer's key bindings; <up> <down> <left> <right> for the arrows).")
    var keys: String = ""

    func validate() throws {
        guard (1...1000).contains(width), (1...1000).contains(height) else {
            throw ValidationError("--width and --height must be in 1...1000, got \(width)x\(height)")
        }
        guard let parsed = KeyBindings.parse(keys) else {
            throw ValidationError("--keys: unknown <name> in '\(keys)' (the arrows are <up> <down> <left> <right>)")
        }
        for key in parsed where KeyBindings.action(for: key) == nil {
            throw ValidationError("--keys: '\(key)' is not a visualizer key")
        }
    }

    func run() throws {
        var model = try options.makeModel()
        for key in KeyBindings.parse(keys) ?? [] {
            guard let action = KeyBindings.action(for: key), model.apply(action, screen: ScreenSize(width: width, height: height)) else { break }
        }
        let tier = options.color.tier ?? autoTier()
        let frame = FrameRenderer(tier: tier).render(model, width: width, height: height)
        FileHandle.standardOutput.write(Data(AnsiWriter.text(frame, tier: tier).utf8))
    }

    /// Colour only when writing to a terminal that has it.
    func autoTier() -> ColorTier {
        guard isatty(STDOUT_FILENO) == 1 else { return .ascii }
        let environment = ProcessInfo.processInfo.environment
        return ColorTier.detect(environment: environment, utf8: ColorTier.localeIsUTF8(environment))
    }
}
