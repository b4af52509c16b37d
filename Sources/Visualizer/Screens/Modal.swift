/// What is shown over the screen and takes its keys first.
public enum Modal: Sendable, Equatable {
    /// Nothing: keys go to the screen.
    case none
    /// The help overlay, at `page`.
    case help(page: Int)
    /// Seed mode (`i`): seeds placed by hand.
    case seeds(SeedPlacement)
}
