/// A runtime failure of a subcommand, reported as one `error:` line with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
