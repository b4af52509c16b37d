import DropBlock

/// The visualizer's drop-probability schedule: LinearScheduler's `step()` and a reset.
public struct Schedule: Equatable, Sendable {
    public let start: Double
    public let stop: Double
    public let steps: Int
    /// `linspace(start, stop, steps)`, as `LinearScheduler` uses.
    public let values: [Double]
    /// Steps taken since the start.
    public private(set) var index: Int = 0

    /// - Throws: `DropBlockError.invalidSchedule` for bad end points or a negative count.
    public init(start: Double, stop: Double, steps: Int) throws(DropBlockError) {
        // Reuse the library's checks and its linspace so the values are LinearScheduler's.
        let scheduler = try LinearScheduler(DropBlockND(dropProb: start), startValue: start, stopValue: stop, steps: steps)
        self.start = start
        self.stop = stop
        self.steps = steps
        self.values = scheduler.values
    }

    /// Parses `START:STOP:STEPS`.
    public static func parse(_ text: String) throws(DropBlockError) -> Schedule {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let start = Double(parts[0]), let stop = Double(parts[1]), let steps = Int(parts[2]) else {
            throw .invalidSchedule("expected START:STOP:STEPS (e.g. 0:0.25:10), got '\(text)'")
        }
        return try Schedule(start: start, stop: stop, steps: steps)
    }

    /// LinearScheduler's `step()`: the new drop probability, or nil once past the last value.
    public mutating func step() -> Double? {
        defer { index += 1 }
        return index < values.count ? values[index] : nil
    }

    /// Back to the start.
    public mutating func reset() { index = 0 }

    /// Whether every value has been applied.
    public var isFinished: Bool { index >= values.count }
}
