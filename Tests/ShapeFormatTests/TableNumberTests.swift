import ShapeFormat
import Testing

/// `bench`'s text tables write every measured number one way (new-user round 17).
@Suite("Numbers in bench tables")
struct TableNumberTests {
    @Test("four significant digits below 1000, whole numbers from 1000, never an exponent")
    func text() {
        #expect(TableNumber.text(0.06684) == "0.06684")
        #expect(TableNumber.text(13.34) == "13.34")
        #expect(TableNumber.text(999.94) == "999.9")
        #expect(TableNumber.text(9611.4) == "9611")
        #expect(TableNumber.text(10_100) == "10100")
        #expect(TableNumber.text(123_456_789) == "123456789")
        #expect(TableNumber.text(.infinity) == "inf")
        for value in [1e-3, 0.5, 42, 1e3, 1.01e4, 1e7] { #expect(!TableNumber.text(value).contains("e"), "\(value)") }
    }
}
