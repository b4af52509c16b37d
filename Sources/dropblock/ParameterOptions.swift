import ArgumentParser
import DropBlock

extension Preset: ExpressibleByArgument {}

/// The DropBlock parameters shared by `apply`, `viz` and `render`.
struct ParameterOptions: ParsableArguments {
    @Option(help: "Semantics preset: dropblock, torchvision, timm, tf or kerascv.")
    var preset: Preset = .dropblock

    @Option(parsing: .unconditional, help: "Block size (>= 1).")
    var blockSize: Int = 7

    @Option(parsing: .unconditional, help: "Drop probability in [0, 1].")
    var dropProb: Double = 0.1

    @Option(name: .customLong("seed"), parsing: .unconditional,
            help: "Seed of the random draw, 0...18446744073709551615 (the same seed gives the same masks; default 0).")
    var seedOption: UInt64?

    /// The seed: `--seed`, or 0. (Optional underneath, so that `apply` can tell a `--seed`
    /// that `--noise` would ignore.)
    var seed: UInt64 { seedOption ?? 0 }

    @Flag(help: "Solve gamma so that the expected dropped fraction equals --drop-prob.")
    var calibrated = false

    func validate() throws {
        guard dropProb.isFinite, (0...1).contains(dropProb) else {
            throw ValidationError("--drop-prob must be a number in [0, 1], got \(dropProb)")
        }
        guard blockSize >= 1 else { throw ValidationError("--block-size must be at least 1, got \(blockSize)") }
        guard blockSize <= Self.maximumBlockSize else {
            throw ValidationError("--block-size must be at most \(Self.maximumBlockSize), got \(blockSize)")
        }
    }

    /// The largest `--block-size` any command takes (`stats` and `bench` too).
    static let maximumBlockSize = 100_000
}
