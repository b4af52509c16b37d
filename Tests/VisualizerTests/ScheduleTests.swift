import DropBlock
import Testing
@testable import Visualizer

/// `Schedule` is `LinearScheduler` with each step's value handed back.
@Suite("Schedule wraps LinearScheduler")
struct ScheduleTests {
    @Test("every step gives the layer's drop_prob after LinearScheduler's step, then nil; reset starts again",
          arguments: [(0.0, 0.25, 10), (0.3, 0.05, 4), (0.1, 0.1, 1), (0.2, 0.4, 0)])
    func stepsAsLinearScheduler(start: Double, stop: Double, steps: Int) throws {
        var schedule = try Schedule(start: start, stop: stop, steps: steps)
        var scheduler = try LinearScheduler(DropBlock2D(dropProb: 0.5), startValue: start, stopValue: stop, steps: steps)
        #expect(schedule.values == scheduler.values)
        for round in 0..<2 {
            for i in 0..<(steps + 2) {
                let value = schedule.step()
                scheduler.step()
                #expect(value == (i < steps ? scheduler.dropProb : nil), "round \(round) step \(i)")
                #expect(schedule.index == scheduler.index && schedule.isFinished == (i + 1 >= steps))
            }
            schedule.reset()
            scheduler.reset()
            #expect(schedule.index == 0 && !(steps > 0 && schedule.isFinished))
        }
    }

    @Test("schedules are equal when their end points, count and position are")
    func equality() throws {
        var a = try Schedule(start: 0, stop: 0.3, steps: 3)
        let b = try Schedule(start: 0, stop: 0.3, steps: 3)
        #expect(a == b)
        _ = a.step()
        #expect(a != b)
        a.reset()
        let longer = try Schedule(start: 0, stop: 0.3, steps: 4)
        #expect(a == b && a != longer)
    }
}
