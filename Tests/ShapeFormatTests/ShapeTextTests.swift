import ShapeFormat
import Testing

@Suite("Shapes as people read them: one spelling for titles, errors and headers")
struct ShapeTextTests {
    @Test("a whole shape is NumPy's tuple, (10,) for one axis", arguments: [
        ([8, 16, 28, 28], "(8, 16, 28, 28)"), ([2, 3], "(2, 3)"), ([10], "(10,)"), ([], "()"),
    ])
    func tuple(shape: [Int], text: String) {
        #expect(ShapeText.tuple(shape) == text)
    }

    @Test("in a key=value line, the tuple has no spaces, so a split on spaces keeps it whole", arguments: [
        ([8, 16, 28, 28], "(8,16,28,28)"), ([10], "(10,)"), ([], "()"),
    ])
    func token(shape: [Int], text: String) {
        #expect(ShapeText.token(shape) == text)
    }

    @Test("a map's size is its extents in array order, HxW and DxHxW", arguments: [
        ([4, 6], "4x6"), ([6, 8, 8], "6x8x8"), ([7], "7"),
    ])
    func size(extents: [Int], text: String) {
        #expect(ShapeText.size(extents) == text)
    }
}
