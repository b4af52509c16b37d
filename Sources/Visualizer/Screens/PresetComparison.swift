import DropBlock

/// Every preset run on the same sample with the same uniform draw.
///
/// One uniform field `u` over `(C, *spatial)` is drawn from the seed and draw number; each
/// preset's noise tensor takes, at each of its noise positions, `u` of the map position that
/// noise value decides: the seed position itself (dropblock, timm, tf, kerascv) or the block's first
/// unit (torchvision, whose noise covers its valid seed grid only). A preset whose mask is
/// shared across channels takes the selected channel's `u`. Every preset seeds where its
/// threshold rule on `u` holds (`u < gamma`; tf and kerascv `1 - gamma + u < 1`), so in the selected
/// channel the same `u` sits at the same position in every column, and the columns differ
/// only by their rules: gamma, the allowed region, the block's anchoring and the sharing.
public struct PresetComparison: Sendable {
    /// The presets compared, in column order: every `Preset`, so a new one gets its column
    /// here without other changes.
    public static var presets: [Preset] { Preset.allCases }

    /// One column.
    public struct Column: Sendable {
        /// The preset of this column.
        public let preset: Preset
        /// The plan (nil when the preset cannot run on this input).
        public let plan: DropPlan?
        /// The pass on the shared draw (its numbers and the selected channel's masks).
        public let result: Pass?
        /// Why the preset cannot run here.
        public let error: String?
    }

    /// What a column keeps of its pass: the numbers of the whole sample, and the keep and
    /// seed masks of the selected channel only, `(1, 1, *spatial)` (a model keeps its
    /// comparison, and the view shows no other channel and no output).
    @dynamicMemberLookup
    public struct Pass: Sendable {
        /// Gamma, scale, dropped fraction and seed count of the whole sample.
        public let summary: DropBlockSummary
        /// The selected channel's keep mask (the shared mask itself when there is one).
        public let keepMask: Tensor
        /// Where seeds fell in the selected channel.
        public let seedMask: Tensor?

        /// The selected channel's part of `result`.
        init(_ result: DropBlockResult, channel: Int) throws(DropBlockError) {
            func cut(_ mask: Tensor) throws(DropBlockError) -> Tensor {
                let volume = MapSelection(shape: mask.shape, channel: channel, slice: 0).channelVolume
                return try Tensor(shape: [1, 1] + mask.shape.dropFirst(2), storage: Array(mask.storage[volume]))
            }
            summary = result.summary
            keepMask = try cut(result.keepMask)
            if let seeds = result.seedMask { seedMask = try cut(seeds) } else { seedMask = nil }
        }

        /// The summary's fields, read through the pass (`pass.gamma`, `pass.scale`, ...).
        public subscript<Value>(dynamicMember keyPath: KeyPath<DropBlockSummary, Value>) -> Value {
            summary[keyPath: keyPath]
        }
    }

    /// Everything of a model's state that the comparison depends on (besides the input):
    /// a model keeps its comparison while this stays the same.
    public struct Key: Sendable, Equatable {
        /// The model's parameters (each column overrides the preset).
        public let parameters: DropBlockParameters
        /// The seed, draw number and sample of the shared field.
        public let seed: UInt64, draw: UInt64, sample: Int
        /// The channel whose field a shared mask takes.
        public let channel: Int

        /// The key of `model`'s current state.
        public init(model: VizModel) {
            parameters = model.parameters
            seed = model.seed
            draw = model.draw
            sample = model.sample
            channel = model.channel
        }
    }

    /// The state the columns were computed for.
    public let key: Key
    /// The columns, in `presets` order.
    public let columns: [Column]

    /// Runs every preset on the model's sample with the model's block size, p, mode and calibration.
    public static func compute(model: VizModel) -> PresetComparison {
        let input = model.input
        let sample = input.sample(model.sample)
        let field = uniformField(model: model)
        let columns = presets.map { preset -> Column in
            var parameters = model.parameters
            parameters.preset = preset
            do throws(DropBlockError) {
                try VizModel.validate(parameters, input: input)
                let plan = try VizModel.plan(input: input, parameters: parameters)
                let noise = try noiseTensor(plan: plan, field: field, channel: model.channel, spatial: input.spatial)
                let options = ForwardOptions(recordSeeds: true)
                let result = try DropBlockND(parameters: parameters).forward(sample, noise: noise, options: options)
                // Only the selected channel's masks are kept: the whole pass is freed before the next column's.
                return Column(preset: preset, plan: plan, result: try Pass(result, channel: model.channel), error: nil)
            } catch {
                return Column(preset: preset, plan: nil, result: nil, error: error.description)
            }
        }
        return PresetComparison(key: Key(model: model), columns: columns)
    }

    /// The shared uniform draw `u` over `(C, *spatial)` for the model's seed, draw and sample.
    public static func uniformField(model: VizModel) -> [Float] {
        // One stream of its own per (draw, sample), apart from the main screen's.
        var generator = SeededGenerator(key: model.seed, stream: (1 << 62) | (model.draw << 20) | UInt64(model.sample))
        var field = [Float](repeating: 0, count: model.input.channels * model.input.spatial.reduce(1, *))
        field.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = generator.nextUniformFloat() }
        }
        return field
    }

    /// The preset's noise tensor (its `noiseShape`) filled from the shared field.
    ///
    /// Noise index `v` of a map is the map position `v` (torchvision's noise covers the
    /// leading corner of the map, its valid seed grid), so the noise is the field's rows
    /// cut to the noise's extent: copied row by row, or the field itself when it is whole.
    static func noiseTensor(plan: DropPlan, field: [Float], channel: Int, spatial: [Int]) throws(DropBlockError) -> Tensor {
        let shape = plan.noiseShape
        let noiseSpatial = Array(shape.suffix(spatial.count))
        let maps = shape.dropLast(spatial.count).reduce(1, *)
        let perMap = noiseSpatial.reduce(1, *)
        let mapSize = spatial.reduce(1, *)
        // Per-channel noise over whole maps is the field itself (shared storage, no copy).
        if noiseSpatial == spatial, maps * mapSize == field.count { return try Tensor(shape: shape, storage: field) }
        guard perMap > 0, let rowLength = noiseSpatial.last, let mapRow = spatial.last else {
            return try Tensor(shape: shape, storage: [Float](repeating: 1, count: maps * perMap))
        }
        let rows = perMap / rowLength
        var values = [Float](repeating: 1, count: maps * perMap)
        field.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { target in
                for m in 0..<maps {
                    let base = (maps == 1 ? channel : m) * mapSize
                    for row in 0..<rows {
                        // The row's start in the map: its leading coordinates, strided by the map's extent.
                        var rest = row, position = 0, stride = mapRow
                        for axis in (0..<(spatial.count - 1)).reversed() {
                            position += (rest % noiseSpatial[axis]) * stride
                            rest /= noiseSpatial[axis]
                            stride *= spatial[axis]
                        }
                        let from = base + position, to = m * perMap + row * rowLength
                        for i in 0..<rowLength { target[to + i] = source[from + i] }
                    }
                }
            }
        }
        return try Tensor(shape: shape, storage: values)
    }
}
