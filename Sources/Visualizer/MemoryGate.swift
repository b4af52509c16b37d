/// Answers whether the visualizer may allocate a number of bytes now.
///
/// A Swift array whose allocation fails traps, so a model with a gate asks it before each
/// draw and closes, with a message, what does not fit (`VizMemory`). The CLI answers by
/// asking the system; a model without a gate assumes every draw fits.
public protocol MemoryGate: Sendable {
    /// Whether `bytes` more bytes can be allocated now.
    func allows(_ bytes: Int) -> Bool
}
