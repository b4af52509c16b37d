/// Turns a greyscale photograph into CNN-like feature maps: a fixed bank of small
/// convolution filters (oriented edges, centre-surround blobs, bars, brightness), ReLU,
/// and 2x2 max pooling, then average pooling down to the requested map size.
public enum FeatureBank {
    /// The number of channels produced.
    public static let channels = 16

    /// A greyscale image, values in [0, 1], row-major.
    public struct Image: Sendable {
        /// Columns and rows.
        public let width: Int, height: Int
        /// `width * height` values in [0, 1], row-major.
        public let pixels: [Float]
        /// An image of `width x height` pixels; `pixels` must hold exactly that many (a programmer error otherwise).
        public init(width: Int, height: Int, pixels: [Float]) {
            precondition(pixels.count == width * height, "pixel count must match the image size")
            self.width = width
            self.height = height
            self.pixels = pixels
        }
    }

    /// What each output channel responds to, in channel order (0-based, as `--channel` counts).
    public static let channelNames = bankOrder.map { bankNames[$0] }

    /// The responses in the order the bank computes them.
    static let bankNames = [
        "vertical edge +", "vertical edge -", "horizontal edge +", "horizontal edge -", "diagonal edge +", "diagonal edge -",
        "anti-diagonal edge +", "anti-diagonal edge -", "centre-surround on", "centre-surround off", "horizontal bar",
        "vertical bar", "wide blob on", "wide blob off", "bright", "dark",
    ]

    /// Output channel i is bank response `bankOrder[i]`: centre-surround (on) first, the rest in bank order.
    static let bankOrder = [8] + (0..<16).filter { $0 != 8 }

    /// 3x3 kernels, row-major: four edge orientations (each sign becomes a channel after ReLU),
    /// an on-centre blob, two bars.
    static let kernels: [[Float]] = [
        [-1, 0, 1, -2, 0, 2, -1, 0, 1],      // vertical edge
        [-1, -2, -1, 0, 0, 0, 1, 2, 1],      // horizontal edge
        [0, 1, 2, -1, 0, 1, -2, -1, 0],      // diagonal edge
        [-2, -1, 0, -1, 0, 1, 0, 1, 2],      // anti-diagonal edge
        [-1, -1, -1, -1, 8, -1, -1, -1, -1], // centre-surround
        [-1, -1, -1, 2, 2, 2, -1, -1, -1],   // horizontal bar
        [-1, 2, -1, -1, 2, -1, -1, 2, -1],   // vertical bar
    ]

    /// Feature maps of `image` at `mapSize x mapSize`: shape `(16, mapSize, mapSize)`, each channel in [0, 1].
    ///
    /// Sizes that divide 56 are average-pooled from the 56x56 maps, as deeper ResNet stages see
    /// coarser versions of the same structure.
    public static func features(of image: Image, mapSize: Int) -> [Float] {
        features(of: image, mapSizes: [mapSize])[0]
    }

    /// Feature maps of `image` at each of `mapSizes` (one 56x56 filter pass serves every size that divides 56).
    public static func features(of image: Image, mapSizes: [Int]) -> [[Float]] {
        var base: [Float]?
        return mapSizes.map { mapSize in
            guard mapSize < 56, 56 % mapSize == 0 else { return filterBank(image, mapSize: mapSize) }
            let full = base ?? filterBank(image, mapSize: 56)
            base = full
            return pooled(full, mapSize: mapSize)
        }
    }

    /// The 56x56 maps `base` average-pooled to `mapSize` (a divisor of 56), biased and rectified.
    static func pooled(_ base: [Float], mapSize: Int) -> [Float] {
        let f = 56 / mapSize
        var output: [Float] = []
        output.reserveCapacity(channels * mapSize * mapSize)
        for channel in 0..<channels {
            var pooled = [Float](repeating: 0, count: mapSize * mapSize)
            for y in 0..<mapSize {
                for x in 0..<mapSize {
                    var sum: Float = 0
                    for dy in 0..<f { for dx in 0..<f { sum += base[channel * 56 * 56 + (y * f + dy) * 56 + x * f + dx] } }
                    pooled[y * mapSize + x] = sum / Float(f * f)
                }
            }
            // A negative bias and ReLU, as the next layer would apply: coarse maps stay sparse.
            let peak = max(pooled.max() ?? 1, 1e-6)
            output += pooled.map { max(0, $0 / peak - 0.15) / 0.85 }
        }
        return output
    }

    static func filterBank(_ image: Image, mapSize: Int) -> [Float] {
        // Work at twice the map size so that max pooling leaves mapSize.
        let work = resample(image, to: 2 * mapSize)
        let blurred = filtered(work, kernel: [1, 2, 1, 2, 4, 2, 1, 2, 1].map { $0 / 16 })
        var responses: [[Float]] = []
        for (index, kernel) in kernels.enumerated() {
            let response = convolve(blurred, kernel: kernel)
            responses.append(response.map { max(0, $0) })
            // Edges and centre-surround respond with either sign; bars only positively.
            if index < 5 { responses.append(response.map { max(0, -$0) }) }
        }
        // Wide blobs: difference of a wide and a narrow blur (on and off centre).
        let box = [Float](repeating: 1.0 / 9, count: 9)
        let wide = filtered(filtered(filtered(blurred, kernel: box), kernel: box), kernel: box)
        let difference = zip(blurred.pixels, wide.pixels).map { $0 - $1 }
        responses.append(difference.map { max(0, $0) })
        responses.append(difference.map { max(0, -$0) })
        // Brightness and darkness, gated (sparse, like deep-layer activations).
        responses.append(wide.pixels.map { max(0, $0 - 0.55) })
        responses.append(wide.pixels.map { max(0, 0.45 - $0) })
        precondition(responses.count == channels, "the filter bank must give 16 channels")
        // Centre-surround (on) first: the channel in which the photograph is recognisable
        // (the cat's eyes and nose as rings), so the default screen shows it.
        responses = bankOrder.map { responses[$0] }

        var output: [Float] = []
        output.reserveCapacity(channels * mapSize * mapSize)
        for response in responses {
            var pooled = [Float](repeating: 0, count: mapSize * mapSize)
            let side = 2 * mapSize
            for y in 0..<mapSize {
                for x in 0..<mapSize {
                    let a = response[(2 * y) * side + 2 * x], b = response[(2 * y) * side + 2 * x + 1]
                    let c = response[(2 * y + 1) * side + 2 * x], d = response[(2 * y + 1) * side + 2 * x + 1]
                    pooled[y * mapSize + x] = max(max(a, b), max(c, d))
                }
            }
            // Normalise by a high quantile so a few hot pixels do not wash the map out.
            let rank = min(pooled.count - 1, Int(Double(pooled.count) * 0.995))
            let reference = max(orderStatistic(pooled, rank: rank), 1e-6)
            output += pooled.map { min(1, $0 / reference) }
        }
        return output
    }

    /// A square crop of the centre `fraction` of the image (for a second sample).
    public static func centreCrop(_ image: Image, fraction: Double) -> Image {
        let side = max(1, Int(Double(min(image.width, image.height)) * fraction))
        let x0 = (image.width - side) / 2, y0 = (image.height - side) / 2
        var pixels = [Float](repeating: 0, count: side * side)
        for y in 0..<side { for x in 0..<side { pixels[y * side + x] = image.pixels[(y0 + y) * image.width + x0 + x] } }
        return Image(width: side, height: side, pixels: pixels)
    }

    /// Area-average (or bilinear, when enlarging) resampling to `side x side`.
    static func resample(_ image: Image, to side: Int) -> Image {
        var pixels = [Float](repeating: 0, count: side * side)
        let sx = Double(image.width) / Double(side), sy = Double(image.height) / Double(side)
        for y in 0..<side {
            for x in 0..<side {
                let x0 = Double(x) * sx, x1 = Double(x + 1) * sx
                let y0 = Double(y) * sy, y1 = Double(y + 1) * sy
                var sum: Float = 0, count: Float = 0
                for yy in Int(y0)..<max(Int(y0) + 1, min(image.height, Int(y1.rounded(.up)))) {
                    for xx in Int(x0)..<max(Int(x0) + 1, min(image.width, Int(x1.rounded(.up)))) {
                        sum += image.pixels[min(image.height - 1, yy) * image.width + min(image.width - 1, xx)]
                        count += 1
                    }
                }
                pixels[y * side + x] = sum / count
            }
        }
        return Image(width: side, height: side, pixels: pixels)
    }

    /// 3x3 convolution with edge replication.
    static func filtered(_ image: Image, kernel: [Float]) -> Image {
        Image(width: image.width, height: image.height, pixels: convolve(image, kernel: kernel))
    }

    static func convolve(_ image: Image, kernel: [Float]) -> [Float] {
        let w = image.width, h = image.height
        // The kernel in locals and the clamping left to the border: in an unoptimised build
        // (the test suite's) every array read and `min` is a call, and this loop was the
        // largest part of building the embedded sample.
        let (k0, k1, k2, k3, k4, k5, k6, k7, k8) =
            (kernel[0], kernel[1], kernel[2], kernel[3], kernel[4], kernel[5], kernel[6], kernel[7], kernel[8])
        var out = [Float](repeating: 0, count: w * h)
        image.pixels.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<h {
                    let up = max(0, y - 1) * w, row = y * w, down = min(h - 1, y + 1) * w
                    for x in 0..<w {
                        let l = max(0, x - 1), r = min(w - 1, x + 1)
                        // The taps in the order of the 3x3 loop they replace: the float sum is unchanged.
                        var sum: Float = 0
                        sum += k0 * p[up + l]; sum += k1 * p[up + x]; sum += k2 * p[up + r]
                        sum += k3 * p[row + l]; sum += k4 * p[row + x]; sum += k5 * p[row + r]
                        sum += k6 * p[down + l]; sum += k7 * p[down + x]; sum += k8 * p[down + r]
                        o[row + x] = sum
                    }
                }
            }
        }
        return out
    }

    /// The value at `rank` of `values` sorted ascending, found by keeping the largest
    /// `count - rank` values in a min-heap (sorting each map cost a fifth of the embedded
    /// sample's build in an unoptimised build).
    static func orderStatistic(_ values: [Float], rank: Int) -> Float {
        precondition(values.indices.contains(rank), "rank must index values")
        let keep = values.count - rank
        var heap: [Float] = []
        heap.reserveCapacity(keep)
        for value in values {
            if heap.count < keep {
                heap.append(value)
                var child = heap.count - 1
                while child > 0, heap[(child - 1) / 2] > heap[child] {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
            } else if value > heap[0] {
                heap[0] = value
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var smallest = parent
                    if left < keep, heap[left] < heap[smallest] { smallest = left }
                    if right < keep, heap[right] < heap[smallest] { smallest = right }
                    if smallest == parent { break }
                    heap.swapAt(parent, smallest)
                    parent = smallest
                }
            }
        }
        return heap[0]
    }
}
