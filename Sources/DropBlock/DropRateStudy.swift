/// Requested versus realized drop rate for one preset, map size, block size and p:
/// the numbers `dropblock stats` prints.
public struct DropRateStudy: Sendable, Equatable {
    /// The preset studied.
    public let preset: Preset
    /// The map's spatial extent.
    public let spatial: [Int]
    /// The block size before any clipping.
    public let blockSize: Int
    /// The requested drop probability.
    public let dropProb: Double
    /// A label such as `conv4_x`, when the size came from a network.
    public let stage: String?
    /// Why the preset cannot run here (torchvision's even block, tf's non-square map), else nil.
    public let error: String?
    /// The preset's own seed probability.
    public let gamma: Double?
    /// The closed-form expected dropped fraction at `gamma`.
    public let expected: Double?
    /// The mean dropped fraction over the seeded draws (nil with no draws).
    public let measured: Double?
    /// The standard error of `measured` (nil with no draws).
    public let measuredStandardError: Double?
    /// The gamma that makes the expectation equal `dropProb`, or nil when unreachable.
    public let calibratedGamma: Double?
    /// The largest expected fraction any gamma reaches.
    public let maximumReachable: Double?
    /// The share of draws that dropped the entire map (nil with no draws).
    public let wholeMapFraction: Double?
    /// Expected seeds (blocks) per map: gamma times the number of allowed seed positions.
    public let blocks: Double?

    /// Computes the row; `samples` independent maps are drawn from `seed` (0 skips measuring),
    /// their passes on up to `threads` threads (the numbers do not depend on it).
    public init(preset: Preset, spatial: [Int], blockSize: Int, dropProb: Double, samples: Int, seed: UInt64, stage: String? = nil,
                threads: Int = ForwardOptions.allCores) {
        self.preset = preset
        self.spatial = spatial
        self.blockSize = blockSize
        self.dropProb = dropProb
        self.stage = stage
        var parameters = DropBlockParameters(dropProb: dropProb, blockSize: blockSize, preset: preset)
        parameters.sharing = .shared
        let geometry: SeedGeometry
        do {
            try parameters.validate()
            geometry = try SeedGeometry(preset: preset, spatial: spatial, blockSize: blockSize)
        } catch {
            self.error = error.description
            (gamma, expected, measured, measuredStandardError, calibratedGamma, maximumReachable, wholeMapFraction, blocks) =
                (nil, nil, nil, nil, nil, nil, nil, nil)
            return
        }
        error = nil
        // At p = 0 every reference returns its input before computing gamma (keras-cv's formula
        // would give 0/0 for a block one larger than the map): the plan's identity, gamma 0.
        let gamma = parameters.isIdentityLayer ? 0 : parameters.presetGamma(spatial: spatial)
        self.gamma = gamma
        // keras-cv's gamma can be negative (no seeds) or infinite (a seed everywhere, region or not).
        let seeded = parameters.preset.rules.seedGeometry(geometry, atGamma: gamma)
        expected = seeded.expectedDropFraction(gamma: gamma)
        let calibration = GammaCalibration(target: dropProb, geometry: geometry)
        calibratedGamma = calibration.isReachable ? calibration.gamma : nil
        maximumReachable = calibration.maximumReachable
        blocks = min(max(gamma, 0), 1) * Double(seeded.seedRegionSize)
        guard samples > 0 else {
            (measured, measuredStandardError, wholeMapFraction) = (nil, nil, nil)
            return
        }
        let draws = DropRateStudy.measure(parameters: parameters, spatial: spatial, samples: samples, seed: seed, threads: threads)
        measured = draws.mean
        measuredStandardError = draws.standardError
        wholeMapFraction = draws.wholeMapFraction
    }

    struct Draws { let mean: Double, standardError: Double, wholeMapFraction: Double }

    /// The stream a row's draws come from: one per map size, block size and p (FNV-1a of
    /// them). Rows of different sizes, blocks or p are then independent (one stream for all
    /// rows made their measured values err together: 59 of 60 rows above expected at seed 0),
    /// while presets that agree on a row still draw the same maps and show the same numbers.
    static func stream(spatial: [Int], blockSize: Int, dropProb: Double) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for word in spatial.map({ UInt64(truncatingIfNeeded: $0) }) + [UInt64(truncatingIfNeeded: blockSize), dropProb.bitPattern] {
            for byte in 0..<8 {
                hash ^= (word >> UInt64(8 * byte)) & 0xFF
                hash &*= 0x100_0000_01B3
            }
        }
        return hash
    }

    /// Draws `samples` independent maps (one per batch sample, in chunks to bound memory), from
    /// the stream of `seed` that the row's size, block size and p pick (`stream`).
    static func measure(parameters: DropBlockParameters, spatial: [Int], samples: Int, seed: UInt64,
                        threads: Int = ForwardOptions.allCores) -> Draws {
        let mapSize = spatial.reduce(1, *)
        let chunk = max(1, min(samples, 4_000_000 / max(mapSize, 1)))
        var generator = SeededGenerator(key: seed, stream: stream(spatial: spatial, blockSize: parameters.blockSize, dropProb: parameters.dropProb))
        var sum = 0.0, sumSquares = 0.0, whole = 0
        var done = 0
        // One input, output and workspace for every chunk, the same draws as a pass each
        // (round 25: a fresh 16 MB input, output and mask per chunk of a 512x512 row faulted in
        // 900 pages a draw, 177 s for stats' defaults, two thirds of it in the kernel).
        let layer = DropBlockND(parameters: parameters)
        var workspace = DropBlockWorkspace()
        var input: Tensor?, output: Tensor?
        while done < samples {
            let count = min(chunk, samples - done)
            let shape = [count, 1] + spatial
            // Valid by construction: the geometry was checked by the caller. The last chunk
            // may be smaller: its tensors are made for it.
            if input?.shape != shape {
                input = try? Tensor(shape: shape, repeating: 1)
                output = try? Tensor(shape: shape, repeating: 0)
            }
            guard let source = input, output != nil,
                  (try? layer.forward(source, into: &output!, generator: &generator, workspace: &workspace, threads: threads)) != nil
            else { break }
            for map in 0..<count {
                let dropped = workspace.droppedCount(map: map, mapSize: mapSize)
                let fraction = Double(dropped) / Double(mapSize)
                sum += fraction
                sumSquares += fraction * fraction
                if dropped == mapSize { whole += 1 }
            }
            done += count
        }
        let n = Double(max(done, 1))
        let mean = sum / n
        let variance = done > 1 ? max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0
        return Draws(mean: mean, standardError: (variance / n).squareRoot(), wholeMapFraction: Double(whole) / n)
    }
}
