import DropBlock
import Testing

/// `NonFiniteCount`: the summary line's `nonfinite=` and `overflow=`.
@Suite("Non-finite counts")
struct NonFiniteCountTests {
    @Test("NaN of any payload and both infinities count; the largest finite, subnormals, zeros and negatives do not")
    func classes() throws {
        let counted: [Float] = [.nan, -.nan, Float(bitPattern: 0x7FC0_0001), Float(bitPattern: 0xFF80_0001), .infinity, -.infinity]
        let finite: [Float] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0, 0, 1, -3e38]
        // Odd lengths and offsets: the vectorised loop's tail counts too.
        for repeats in [1, 3, 17] {
            let values = Array((0..<repeats).map { _ in counted + finite }.joined())
            let tensor = try Tensor(shape: [values.count], storage: values)
            #expect(NonFiniteCount.of(tensor) == counted.count * repeats)
            #expect(values.withUnsafeBufferPointer { NonFiniteCount.of(UnsafeBufferPointer(rebasing: $0.dropFirst())) }
                    == counted.count * repeats - 1)
        }
        #expect(NonFiniteCount.of(UnsafeBufferPointer<Float>(start: nil, count: 0)) == 0)
    }

    @Test("the survey's largest magnitude, in the lanes and in the tail; NaN and Inf count as the largest finite; mayOverflow follows it")
    func largestMagnitude() {
        for length in [5, 16, 40, 1000] {
            for place in [0, length / 2, length - 1] {
                var values = (0..<length).map { Float($0 % 7) - 3 }
                values[place] = -2.5e38
                let survey = values.withUnsafeBufferPointer { NonFiniteCount.survey($0) }
                #expect(survey.largestMagnitude == 2.5e38 && survey.nonFinite == 0, "\(length) \(place)")
                #expect(survey.mayOverflow(scale: 1.5) && !survey.mayOverflow(scale: 1.2) && survey.mayOverflow(scale: -1.5))
                values[place] = .nan
                let withNaN = values.withUnsafeBufferPointer { NonFiniteCount.survey($0) }
                #expect(withNaN.largestMagnitude == .greatestFiniteMagnitude && withNaN.nonFinite == 1, "\(length) \(place)")
                #expect(withNaN.mayOverflow(scale: 1.0))
            }
        }
        let small: [Float] = (0..<100).map { Float($0) * 1e-3 }
        #expect(small.withUnsafeBufferPointer { NonFiniteCount.survey($0) }.largestMagnitude == Float(99) * 1e-3)
    }
}
