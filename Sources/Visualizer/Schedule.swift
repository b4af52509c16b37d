import DropBlock

/// The visualizer's drop-probability schedule: a `LinearScheduler` it steps and resets, with
/// each step's new drop probability handed back for the model to use.
public struct Schedule: Equatable, Sendable {
    /// The first drop probability.
    public let start: Double
    /// The last drop probability.
    public let stop: Double
    /// How many values the schedule has.
    public let steps: Int
    /// The library's scheduler: its `values`, `step()` and `reset()` are the schedule's.
    private var scheduler: LinearScheduler<DropBlockND>

    /// `linspace(start, stop, steps)`, as `LinearScheduler` uses.
    public var values: LinearSpace { scheduler.values }
    /// Steps taken since the start.
    public var index: Int { scheduler.index }

    /// - Throws: `DropBlockError.invalidSchedule` for bad end points or a negative count.
    public init(start: Double, stop: Double, steps: Int) throws(DropBlockError) {
        // The library checks the end points and the count, and makes the values.
        scheduler = try LinearScheduler(DropBlockND(dropProb: start), startValue: start, stopValue: stop, steps: steps)
        self.start = start
        self.stop = stop
        self.steps = steps
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
        let setsValue = !isFinished
        scheduler.step()
        return setsValue ? scheduler.dropProb : nil
    }

    /// Back to the start.
    public mutating func reset() { scheduler.reset() }

    /// Whether every value has been applied.
    public var isFinished: Bool { scheduler.index >= scheduler.values.count }

    /// Equal schedules: the same end points, count and position (the values follow from them).
    public static func == (lhs: Schedule, rhs: Schedule) -> Bool {
        lhs.start == rhs.start && lhs.stop == rhs.stop && lhs.steps == rhs.steps && lhs.index == rhs.index
    }
}
