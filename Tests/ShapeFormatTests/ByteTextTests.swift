import ShapeFormat
import Testing

/// One way to write a byte count, shared by the CLI's memory errors and the visualizer's
/// status lines (they had a formatter each).
@Suite("Byte counts in messages")
struct ByteTextTests {
    @Test("megabytes with one decimal, cut not rounded; whole gigabytes from 10 GB")
    func megabytes() {
        #expect(ByteText.megabytes(0) == "0.0 MB")
        #expect(ByteText.megabytes(336_000_000) == "336.0 MB")
        #expect(ByteText.megabytes(336_099_999) == "336.0 MB")
        #expect(ByteText.megabytes(1_952_000_000) == "1952.0 MB")
        #expect(ByteText.megabytes(9_999_999_999) == "9999.9 MB")
        #expect(ByteText.megabytes(10_000_000_000) == "10 GB")
        #expect(ByteText.megabytes(Int.max) == "9223372036 GB", "an overflowed estimate")
    }
}
