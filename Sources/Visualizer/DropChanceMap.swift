import DropBlock

/// Each unit's chance of being dropped by a random draw of a plan, `p(j) = 1 - (1-gamma)^c(j)`
/// with `c(j)` the allowed seed positions whose block drops unit `j`: where on the map this
/// preset, block size and gamma drop, whose mean over the map is the expected drop.
///
/// The panel draws `p(j)` on a scale from 0 to the map's largest chance (`top`), which its
/// title gives; a plan that drops nothing (eval, p = 0) has every chance 0.
public struct DropChanceMap: Sendable {
    /// The map's columns and rows (the shown slice's, in 3D).
    public let width: Int, height: Int
    /// `p(j)` of every unit of the map, row by row.
    public let chances: [Double]
    /// The top of the colour scale: the largest chance on the map, in 3D on the whole volume,
    /// so that slices compare (1 where none is above 0).
    public let top: Double

    /// The chances of `plan`'s draw on `input`'s maps (at `slice` in 3D).
    public init(plan: DropPlan?, input: VizInput, slice: Int) {
        (width, height) = (input.width, input.height)
        var chances = [Double](repeating: 0, count: input.width * input.height)
        var largest = 0.0
        if let plan, let geometry = plan.geometry {
            // c(j) is a product of per-axis counts: one count per row and per column (and the slice's).
            let rank = geometry.spatial.count
            let rows = geometry.coverage(axis: rank - 2), columns = geometry.coverage(axis: rank - 1)
            let slices = rank == 3 ? geometry.coverage(axis: 0) : [1]
            let sliceCount = slices[rank == 3 ? slice : 0]
            // The largest count anywhere in the map (or volume): p(j) grows with c(j).
            let most = (slices.max() ?? 0) * (rows.max() ?? 0) * (columns.max() ?? 0)
            largest = 1 - CoverageHistogram.keepProbability(coverage: most, gamma: plan.gamma)
            for y in 0..<height {
                for x in 0..<width {
                    let c = sliceCount * rows[y] * columns[x]
                    chances[y * width + x] = 1 - CoverageHistogram.keepProbability(coverage: c, gamma: plan.gamma)
                }
            }
        }
        self.chances = chances
        top = largest > 0 ? largest : 1
    }

    /// The map as the panel draws it: each chance over `top`.
    public var pixels: PixelMap {
        PixelMap(width: width, height: height, values: chances.map { Float($0 / top) }, kind: .continuous)
    }

    /// The mean and the largest chance of the units in `window` (the whole map when nil).
    public func summary(window: MapWindow?) -> (mean: Double, largest: Double) {
        let rows = window?.rows ?? 0..<height, columns = window?.columns ?? 0..<width
        var sum = 0.0, largest = 0.0
        for y in rows {
            for x in columns {
                sum += chances[y * width + x]
                largest = max(largest, chances[y * width + x])
            }
        }
        return (sum / Double(max(1, rows.count * columns.count)), largest)
    }
}
