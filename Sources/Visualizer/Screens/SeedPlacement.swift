import DropBlock

/// Seed mode (`i`): seeds placed by hand at a cursor, replayed through the core's noise path
/// as a uniform draw with u = 0 at the seeds and u = 1 elsewhere, so what is shown is exactly
/// what the preset does with those seeds (clipping, block anchoring, sharing).
public struct SeedPlacement: Sendable, Equatable {
    /// The cursor: column and row of the selected slice.
    public var x: Int, y: Int
    /// Placed seeds, as positions `[(z,) y, x]` in the map.
    public private(set) var seeds: Set<[Int]> = []

    /// Seed mode on `input`, the cursor at the centre of the map.
    public init(input: VizInput) {
        x = input.width / 2
        y = input.height / 2
    }

    /// The cursor's position in the map (`[z, y, x]` in 3D, at `slice`).
    func cursor(input: VizInput, slice: Int) -> [Int] {
        input.is3D ? [slice, y, x] : [y, x]
    }

    /// Handles a key of seed mode; nil when the key is not one of its own.
    mutating func route(_ action: VizAction, model: VizModel) -> KeyRoute? {
        let input = model.input
        switch action {
        case .pan(let dx, let dy):
            x = min(max(0, x + dx), input.width - 1)
            y = min(max(0, y + dy), input.height - 1)
            return .handled(message: nil)
        // h / j / k / l move the cursor too: in seed mode j, k and l are not sample and array keys.
        case .nextSample: return route(.pan(dx: 0, dy: 1), model: model)
        case .previousSample: return route(.pan(dx: 0, dy: -1), model: model)
        case .nextArray: return route(.pan(dx: 1, dy: 0), model: model)
        case .newDraw:
            let position = cursor(input: input, slice: model.slice)
            if seeds.contains(position) {
                seeds.remove(position)
                return .handled(message: nil)
            }
            if let reason = SeedPlacement.outside(position, model: model) { return .handled(message: reason) }
            seeds.insert(position)
            return .handled(message: nil)
        case .clearSeeds:
            seeds.removeAll()
            return .handled(message: nil)
        case .click(let cx, let cy):
            guard let unit = SeedPlacement.unit(atCell: cx, cy, model: model) else {
                return .handled(message: "click a cell of the seeds panel's map")
            }
            (x, y) = unit
            return route(.newDraw, model: model)
        default:
            return nil
        }
    }

    /// The map unit a terminal cell of the seeds panel shows (its upper pixel), or nil off the map.
    static func unit(atCell cx: Int, _ cy: Int, model: VizModel) -> (x: Int, y: Int)? {
        let layout = FrameRenderer(tier: .ascii).layout(model, width: model.screen.width, height: model.screen.height)
        guard let rect = layout.panels[.seeds], let scale = layout.scale else { return nil }
        let origin = layout.mapOrigin(rect)
        let column = cx - origin.x, row = cy - origin.y
        guard column >= 0, column < scale.columns, row >= 0, row < scale.rows else { return nil }
        // In the 1:1 zoom the map starts at the view's corner.
        let window = FrameRenderer.zoomWindow(model, width: model.screen.width, height: model.screen.height)
        let ax = PoolingAxis(units: model.input.width, pixels: scale.width, scale: scale, origin: window?.columns.lowerBound ?? 0)
        let ay = PoolingAxis(units: model.input.height, pixels: scale.height, scale: scale, origin: window?.rows.lowerBound ?? 0)
        let x = ax.unit(at: column), y = ay.unit(at: 2 * row)
        guard x < model.input.width, y < model.input.height else { return nil }
        return (x, y)
    }

    /// Why a seed cannot go at `position` (nil when it can).
    static func outside(_ position: [Int], model: VizModel) -> String? {
        guard let geometry = model.view.plan?.geometry else {
            return "the layer is the identity here (eval or p = 0): no seeds"
        }
        let names = geometry.seedRegion.count == 3 ? ["slices", "rows", "cols"] : ["rows", "cols"]
        // Every axis the position is outside of (round 22: a corner named its rows only).
        let outside = geometry.seedRegion.enumerated().filter { !$0.element.contains(position[$0.offset]) }
            .map { "\(names[$0.offset]) \($0.element.lowerBound)-\($0.element.upperBound - 1)" }
        guard !outside.isEmpty else { return nil }
        let why = model.parameters.preset.rules.seedRegionReason
        return "\(model.parameters.preset.rawValue) allows seeds only in \(outside.joined(separator: " and ")): \(why)"
    }

    /// The preset's noise tensor for `plan`: u = 0 at the placed seeds of the selected
    /// channel (every channel when the mask is shared), u = 1 elsewhere.
    func noise(plan: DropPlan, channel: Int) throws(DropBlockError) -> Tensor {
        let shape = plan.noiseShape
        let rank = plan.spatial.count
        let noiseSpatial = Array(shape.suffix(rank))
        let maps = shape.dropLast(rank).reduce(1, *)
        let perMap = noiseSpatial.reduce(1, *)
        var values = [Float](repeating: 1, count: maps * perMap)
        // torchvision's noise covers its seed region only: index = position - the region's start.
        let offsets = plan.noiseCoversSeedRegionOnly ? (plan.geometry?.seedRegion.map(\.lowerBound) ?? []) : Array(repeating: 0, count: rank)
        let map = maps == 1 ? 0 : min(channel, maps - 1)
        for seed in seeds {
            var index = 0, inside = true
            for axis in 0..<rank {
                let coordinate = seed[axis] - (offsets.isEmpty ? 0 : offsets[axis])
                if coordinate < 0 || coordinate >= noiseSpatial[axis] { inside = false }
                index = index * noiseSpatial[axis] + coordinate
            }
            if inside { values[map * perMap + index] = 0 }
        }
        return try Tensor(shape: shape, storage: values)
    }
}
