/// Where a seed fell in its map: slice, row, column.
///
/// 32 bits per axis keep the per-unit seed list small; `SeedGeometry` rejects axes longer
/// than `SeedGeometry.maximumAxisLength`, so the truncating conversions below are exact.
struct SeedPosition: Sendable {
    var d: Int32, h: Int32, w: Int32

    init(d: Int, h: Int, w: Int) {
        self.d = Int32(truncatingIfNeeded: d)
        self.h = Int32(truncatingIfNeeded: h)
        self.w = Int32(truncatingIfNeeded: w)
    }

    init(d: Int32, h: Int32, w: Int32) {
        (self.d, self.h, self.w) = (d, h, w)
    }
}
