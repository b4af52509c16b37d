import ArgumentParser

/// `dropblock`: the DropBlock visualizer and its script-friendly subcommands.
struct DropblockCommand: ParsableCommand {
    /// The tool's version. The minor number changes when a seed's masks change (0.2.0: per-channel
    /// masks draw a group of channels per stream; 0.3.0: sparse seeds are a count per map, then
    /// that many positions), so a written draw says which rule made it.
    static let version = "0.3.0"

    static let configuration = CommandConfiguration(
        commandName: "dropblock",
        abstract: "DropBlock (Ghiasi et al., 2018), exactly as dropblock, torchvision, timm, TensorFlow and keras-cv do it.",
        version: version,
        subcommands: [VizCommand.self, RenderCommand.self, ApplyCommand.self, StatsCommand.self, BenchCommand.self, CopyFileCommand.self],
        defaultSubcommand: VizCommand.self
    )
}
