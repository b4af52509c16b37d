/// What a screen did with a key.
public enum KeyRoute: Sendable, Equatable {
    /// The screen used it (its own state may have changed); `message` is the note to show.
    case handled(message: String?)
    /// Not a key of this screen: the model applies it.
    case pass
    /// Back to the main screen.
    case leave
}
