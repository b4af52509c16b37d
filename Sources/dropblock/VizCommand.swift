import ArgumentParser
import Foundation
import TerminalUI
import Visualizer

/// `dropblock viz` (the default): the interactive ncurses visualizer.
struct VizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "viz",
        abstract: "Interactive visualizer (the default): watch DropBlock masks on feature maps and change them with single keys.",
        discussion: "Keys: " + KeyBindings.all.map { "\($0.label) \($0.help)" }.joined(separator: ", ") + "."
    )

    @OptionGroup var options: VizOptions

    func run() throws {
        // No terminal, no work: said before the input is read and its first pass made (a file
        // can take seconds, and the embedded sample's feature maps most of a second unoptimised).
        do { try TerminalApp.check(environment: ProcessInfo.processInfo.environment) } catch { throw CLIError(error.description) }
        var session = try options.makeSession(writer: DrawFileWriter(folder: FileManager.default.currentDirectoryPath))
        do {
            try TerminalApp.run(session: &session, colorOverride: options.color.tier, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError(error.description)
        }
    }
}
