import ArgumentParser

/// `dropblock`: the DropBlock visualizer and its script-friendly subcommands.
struct DropblockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropblock",
        abstract: "DropBlock (Ghiasi et al., 2018), exactly as dropblock, torchvision, timm, TensorFlow and keras-cv do it.",
        version: "0.1.0",
        subcommands: [VizCommand.self, RenderCommand.self, ApplyCommand.self, StatsCommand.self, BenchCommand.self, CopyFileCommand.self],
        defaultSubcommand: VizCommand.self
    )
}
