import DropBlock
import Testing

/// `LinearSpace` works values out when read: NumPy's values, for any count, in constant memory.
@Suite("linspace as a lazy collection")
struct LinearSpaceTests {
    @Test("NumPy's values: i * step + start, the last exactly stop, a zero step divided first")
    func values() {
        #expect(Array(LinearSpace(start: 0, stop: 0.25, count: 5)) == [0, 0.0625, 0.125, 0.1875, 0.25])
        #expect(Array(LinearSpace(start: 0.1, stop: 0.1, count: 3)) == [0.1, 0.1, 0.1])
        #expect(Array(LinearSpace(start: 0.3, stop: 0, count: 1)) == [0.3])
        #expect(LinearSpace(start: 0, stop: 1, count: 0).isEmpty && LinearSpace(start: 0, stop: 1, count: -4).isEmpty)
        // numpy.linspace(0, 0.1, 7): [3] is 0.05, [5] 0.08333333333333333.
        let seven = LinearSpace(start: 0, stop: 0.1, count: 7)
        #expect(seven[3] == 0.05 && seven[5] == 0.08333333333333333 && seven[6] == 0.1)
        // Denormal spans: numpy.linspace(0, 1e-320, 4) and (0, 5e-324, 3).
        #expect(Array(LinearSpace(start: 0, stop: 1e-320, count: 4)) == [0, 3.335e-321, 6.67e-321, 1e-320])
        #expect(Array(LinearSpace(start: 0, stop: 5e-324, count: 3)) == [0, 0, 5e-324])
    }

    @Test("a schedule of 2^63 - 1 steps is made at once and reads its ends (it allocated them all and crashed)")
    func hugeSchedule() throws {
        var scheduler = try LinearScheduler(DropBlock2D(dropProb: 0, blockSize: 3), startValue: 0, stopValue: 0.5, steps: Int.max)
        #expect(scheduler.values.count == Int.max)
        #expect(scheduler.values[Int.max - 1] == 0.5 && scheduler.values[0] == 0)
        scheduler.step()
        scheduler.step()
        #expect(scheduler.dropProb == 0.5 / Double(Int.max - 1))
    }
}
