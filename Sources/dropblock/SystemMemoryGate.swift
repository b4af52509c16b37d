import Visualizer

/// The visualizer's memory gate: asks the system for each large draw (`MemoryProbe`), so a
/// view that does not fit under `ulimit -v`, or in the machine, closes with a message
/// instead of trapping.
struct SystemMemoryGate: MemoryGate {
    /// Below this a draw is not worth a system call.
    static let unchecked = 32 << 20

    func allows(_ bytes: Int) -> Bool {
        bytes < Self.unchecked || (bytes < Int.max / 2 && MemoryProbe.canMap(bytes))
    }
}
