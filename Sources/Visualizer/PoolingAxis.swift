/// One axis of a drawn map: which map units each displayed pixel covers, and by how much.
///
/// Downsampled, the axis's `pixels` pixels share its `units` units evenly: pixel `p` covers
/// `[p * units / pixels, (p + 1) * units / pixels)` in unit coordinates, and a unit that a
/// pixel boundary cuts counts in each of its pixels by the part that pixel covers. So every
/// pixel stands for the same area, and a picture holds exactly the dropped area of its map
/// even when a side is not a multiple of the pooling factor. (Whole bins of `f` units left
/// the last pixel with fewer units, drawn full size: the picture's dropped area differed from
/// the title's by up to 4.6 points in the property tests.) Lengths are integers: a unit is `unitLength` long and a
/// pixel `pixelLength`, which is all of `units` when `pixels` divides it (every weight 1).
/// Upscaled or 1:1, each pixel shows one whole unit (`upscale` pixels a unit, from `origin`).
struct PoolingAxis: Sendable {
    /// Whether pixels pool several units (a downsampled map).
    let pooled: Bool
    /// Units and displayed pixels along the axis (pooled), or the upscale and first unit shown.
    private let units: Int, pixels: Int, upscale: Int, origin: Int
    /// A unit's and a pixel's length, in the same integer measure.
    let unitLength: Int, pixelLength: Int

    /// The axis of a map side of `units` units drawn as `pixels` pixels at `scale` (whose
    /// `originX` or `originY` is `origin`).
    init(units: Int, pixels: Int, scale: MapScale, origin: Int) {
        pooled = scale.downscale > 1
        (self.units, self.pixels, upscale, self.origin) = (max(1, units), max(1, pixels), max(1, scale.upscale), origin)
        if pooled {
            let common = Self.gcd(self.units, self.pixels)
            (unitLength, pixelLength) = (self.pixels / common, self.units / common)
        } else {
            (unitLength, pixelLength) = (1, 1)
        }
    }

    /// The units pixel `p` covers, wholly or in part.
    @inline(__always)
    func units(under p: Int) -> Range<Int> {
        guard pooled else {
            let u = origin + p / upscale
            return u..<(u + 1)
        }
        let start = p * pixelLength, end = start + pixelLength
        return (start / unitLength)..<min(units, (end + unitLength - 1) / unitLength)
    }

    /// How much of unit `u` pixel `p` covers (at most `unitLength`; the weights of a pixel's
    /// units add up to `pixelLength`).
    @inline(__always)
    func weight(_ u: Int, under p: Int) -> Int {
        guard pooled else { return 1 }
        return min((u + 1) * unitLength, (p + 1) * pixelLength) - max(u * unitLength, p * pixelLength)
    }

    /// The unit at the centre of pixel `p`: the one a click there picks.
    @inline(__always)
    func unit(at p: Int) -> Int {
        guard pooled else { return origin + p / upscale }
        return min(units - 1, ((2 * p + 1) * pixelLength) / (2 * unitLength))
    }

    /// The pixels that mark unit `u` as the cursor: all of its pixels when upscaled, else the
    /// one holding its centre (a unit cut by a pixel boundary is marked once, and the pixel
    /// a click picks it from marks it: `unit(at:)`).
    func pixels(of u: Int) -> ClosedRange<Int> {
        guard pooled else { return ((u - origin) * upscale)...((u - origin) * upscale + upscale - 1) }
        let p = ((2 * u + 1) * unitLength) / (2 * pixelLength)
        return p...p
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
