/// A usage mistake found after parsing (exit status 2), such as a missing `--array`.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
