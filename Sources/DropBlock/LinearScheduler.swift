/// `numpy.linspace(start, stop, num)` with NumPy's arithmetic, so values match bit for bit
/// (`LinearSpace` as an array).
///
/// Inclusive of both ends; `num == 1` gives `[start]`, `num == 0` gives `[]`.
public func linspace(start: Double, stop: Double, count: Int) -> [Double] {
    Array(LinearSpace(start: start, stop: stop, count: count))
}

/// The PyPI `dropblock` package's `LinearScheduler`: ramps a layer's drop probability.
///
/// `step()` sets `dropProb = values[i]` while `i < values.count`, then advances `i`;
/// after the last value the probability stays there. Call it at the start of each batch.
public struct LinearScheduler<Layer: DropBlockLayer>: Sendable {
    /// The scheduled layer; its `dropProb` is what `step()` changes.
    public var layer: Layer
    /// The schedule, `linspace(start, stop, steps)`, each value worked out when read.
    public let values: LinearSpace
    /// How many times `step()` has been called since creation or `reset()`.
    public private(set) var index: Int = 0
    private let initialDropProb: Double

    /// Wraps `layer` with a linear schedule from `startValue` to `stopValue` over `steps` steps.
    /// - Throws: `DropBlockError.invalidSchedule` for a negative step count, non-finite
    ///   end points or end points outside `[0, 1]`.
    public init(_ layer: Layer, startValue: Double, stopValue: Double, steps: Int) throws(DropBlockError) {
        guard steps >= 0 else { throw .invalidSchedule("step count must be >= 0, got \(steps)") }
        guard startValue.isFinite, stopValue.isFinite, (0...1).contains(startValue), (0...1).contains(stopValue) else {
            throw .invalidSchedule("start and stop must be finite drop probabilities in [0, 1], got \(startValue) and \(stopValue)")
        }
        self.layer = layer
        self.values = LinearSpace(start: startValue, stop: stopValue, count: steps)
        self.initialDropProb = layer.dropProb
    }

    /// Advances the schedule by one batch (PyTorch: `scheduler.step()`).
    public mutating func step() {
        if index < values.count {
            layer.dropProb = values[index]
        }
        index += 1
    }

    /// Restores the layer's original drop probability and the schedule's start.
    public mutating func reset() {
        index = 0
        layer.dropProb = initialDropProb
    }

    /// The current drop probability of the scheduled layer.
    public var dropProb: Double { layer.dropProb }
}
