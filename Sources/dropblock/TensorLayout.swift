import ArgumentParser
import ShapeFormat

/// How a user's array lays out its axes. The core works on `(N, C, *spatial)`; channels-last
/// arrays (TensorFlow, Keras, JAX) are transposed in on reading and back out on writing.
enum TensorLayout: String, CaseIterable, ExpressibleByArgument {
    case nchw, nhwc, chw, hwc, hw, ncdhw, ndhwc

    /// The array rank this layout describes.
    var rank: Int { rawValue.count }

    /// The layout assumed when none is given: channels first, by rank (as NumPy files from PyTorch are).
    static func `default`(rank: Int) -> TensorLayout? {
        switch rank {
        case 2: return .hw
        case 3: return .chw
        case 4: return .nchw
        case 5: return .ncdhw
        default: return nil
        }
    }

    /// Where each axis of the canonical `(N, C, *spatial)` array comes from in this layout
    /// (nil: an axis of extent 1 that the layout does not have).
    var sourceAxes: [Int?] {
        let letters = Array(rawValue)
        let spatial: [Character] = rank == 5 || self == .ncdhw || self == .ndhwc ? ["d", "h", "w"] : ["h", "w"]
        return (["n", "c"] + spatial).map { letters.firstIndex(of: $0) }
    }

    /// The canonical `(N, C, *spatial)` shape of an array of `shape` in this layout.
    func canonicalShape(_ shape: [Int]) -> [Int] {
        sourceAxes.map { $0.map { shape[$0] } ?? 1 }
    }

    /// The shape in this layout of a canonical `(N, C, *spatial)` shape (axes the layout lacks are dropped).
    func shape(fromCanonical canonical: [Int]) -> [Int] {
        let axes = sourceAxes
        return (0..<rank).map { position in canonical[axes.firstIndex(of: position) ?? 0] }
    }

    /// Whether the canonical order is this layout's own (only unit axes are added), so values
    /// pass through without moving: `hw`, `chw`, `nchw`, `ncdhw`.
    var keepsCanonicalOrder: Bool { sourceAxes.compactMap { $0 } == Array(0..<rank) }

    /// Whether this layout is the canonical order with the channel axis moved last, `(N,
    /// *spatial, C)` (N possibly absent): `nhwc`, `hwc`, `ndhwc`. The core applies a mask to
    /// such values directly (`DropBlockMask.apply(channelsLastInPlace:at:)`).
    var isChannelsLast: Bool {
        let axes = sourceAxes
        guard let channel = axes[1], channel == rank - 1 else { return false }
        let others = ([axes[0]] + axes.dropFirst(2)).compactMap { $0 }
        return others == Array(0..<(rank - 1))
    }

    /// Reorders `values` (C order, `shape` in this layout) into canonical order.
    func toCanonical(_ values: [Float], shape: [Int]) -> [Float] {
        permute(values, shape: shape, inverse: false)
    }

    /// Reorders canonical values back into this layout, whose shape is `shape`.
    func fromCanonical(_ values: [Float], shape: [Int]) -> [Float] {
        permute(values, shape: shape, inverse: true)
    }

    /// One transposition routine for both directions: the canonical axes are this layout's
    /// axes in another order (with unit axes inserted, which move no data).
    private func permute(_ values: [Float], shape: [Int], inverse: Bool) -> [Float] {
        let present = sourceAxes.compactMap { $0 }  // canonical order, as indices into `shape`
        guard !keepsCanonicalOrder else { return values }
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        // Walk the canonical order; `from` follows the same element in this layout.
        let extents = present.map { shape[$0] }
        let steps = present.map { strides[$0] }
        var result = [Float](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: extents.count)
        values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                var from = 0
                for to in 0..<source.count {
                    if inverse { target[from] = source[to] } else { target[to] = source[from] }
                    var axis = extents.count - 1
                    while axis >= 0 {
                        index[axis] += 1
                        from += steps[axis]
                        if index[axis] < extents[axis] { break }
                        from -= steps[axis] * extents[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return result
    }

    /// The layout with the channel axis at the other end: `nchw` and `nhwc`, `chw` and `hwc`,
    /// `ncdhw` and `ndhwc` (nil for `hw`, which has no channel axis).
    var otherChannelEnd: TensorLayout? {
        switch self {
        case .nchw: return .nhwc
        case .nhwc: return .nchw
        case .chw: return .hwc
        case .hwc: return .chw
        case .ncdhw: return .ndhwc
        case .ndhwc: return .ncdhw
        case .hw: return nil
        }
    }

    /// A one-line hint when the layout read (`given`, or the channels-first default) looks
    /// wrong for `shape`: a rank-3 array whose last axis is 3 or 4 and whose first two are at
    /// least 16 is probably an HxWxC image; otherwise, a layout that makes non-square maps where
    /// the channel axis at the other end makes square ones of side 7 or more, in 2D (`--layout nhwc` on a (2, 64, 56, 56)
    /// activation gave 64x56 maps of 56 channels without a word).
    static func hint(shape: [Int], name: String, given: TensorLayout?) -> String? {
        guard let layout = given ?? TensorLayout.default(rank: shape.count), layout.rank == shape.count else { return nil }
        if given == nil, shape.count == 3, shape[2] == 3 || shape[2] == 4, shape[0] >= 16, shape[1] >= 16 {
            return "hint: \(name) has shape \(ShapeText.tuple(shape)), which looks like an HxWxC image; pass --layout hwc"
        }
        // 2D only: volumes with fewer slices than pixels a side are the norm (a CT's 16x32x32),
        // so a non-cubic volume says nothing about the layout (round 25).
        guard let other = layout.otherChannelEnd, shape.count <= 4 else { return nil }
        let read = layout.canonicalShape(shape), alternative = other.canonicalShape(shape)
        let maps = Array(read.dropFirst(2)), otherMaps = Array(alternative.dropFirst(2))
        // Square maps of side 7 or more (a ResNet's last stage): a golden case's (1, 2, 2, 8) is
        // a 2x8 map, not four 2x2 ones.
        guard Set(maps).count > 1, Set(otherMaps).count == 1, otherMaps[0] >= 7 else { return nil }
        return "hint: \(name) \(ShapeText.tuple(shape)) read as \(layout.rawValue) gives \(ShapeText.size(maps)) maps of \(read[1]) channels; "
            + "as \(other.rawValue), \(ShapeText.size(otherMaps)) maps of \(alternative[1]): pass --layout \(other.rawValue) if that is meant"
    }
}
