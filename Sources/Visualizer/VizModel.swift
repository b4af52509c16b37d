import DropBlock

/// The visualizer's state and what it currently shows. Pure: no terminal, no files.
///
/// Every key becomes a `VizAction`; `apply(_:)` changes the state and recomputes the
/// draw with the core library (the same code the tests use).
public struct VizModel: Sendable {
    /// What the panels show.
    public private(set) var input: VizInput
    /// The layer's parameters (preset, block size, drop probability, training, calibrated).
    public private(set) var parameters: DropBlockParameters
    public private(set) var sample = 0
    public private(set) var channel = 0
    public private(set) var slice = 0
    /// The seed of every draw.
    public let seed: UInt64
    /// The RNG position: how many new draws were requested (space, autoplay).
    public private(set) var draw: UInt64 = 0
    public private(set) var schedule: Schedule
    /// The drop probability at launch (what `r` restores).
    public var initialDropProb: Double { launchParameters.dropProb }
    /// The parameters at launch: `--drop-prob`, or START with an explicit `--schedule`.
    public let launchParameters: DropBlockParameters
    public private(set) var autoplay = false
    public private(set) var showHelp = false
    /// The help overlay's page (it pages when the terminal cannot show every key at once).
    public private(set) var helpPage = 0
    /// The terminal's size, as the last `apply(_:screen:)` saw it (help pages depend on it).
    public private(set) var screen = ScreenSize(width: 120, height: 40)
    public private(set) var showDropout = false
    public private(set) var showSweep = false
    /// The 1:1 zoom: maps at one unit per pixel, in a view the arrow keys move.
    public private(set) var zoom = false
    /// The zoomed view's top-left unit (column, row), kept inside the map.
    public private(set) var zoomX = 0, zoomY = 0
    /// A one-line note about the last action (a skipped preset, a clamped value).
    public private(set) var message: String?
    /// The current draw, recomputed after every action.
    public private(set) var view: VizView

    /// Creates the model. With an explicit `schedule` the layer starts at its START (step 0,
    /// as the PyPI package's README builds the layer with drop_prob equal to the start);
    /// without one it starts at `parameters.dropProb`, and the default schedule ramps from 0
    /// to that value in 10 steps, beginning at the first `s`.
    public init(input: VizInput, parameters: DropBlockParameters, seed: UInt64 = 0, schedule: Schedule? = nil, channel: Int = 0) throws(DropBlockError) {
        self.input = input
        var launch = parameters
        if let schedule {
            self.schedule = schedule
            launch.dropProb = schedule.start
        } else {
            self.schedule = try Schedule(start: 0, stop: parameters.dropProb, steps: 10)
        }
        self.parameters = launch
        self.launchParameters = launch
        self.seed = seed
        self.channel = min(max(channel, 0), input.channels - 1)
        // Fail early, before any screen opens, if the preset cannot run on this input.
        _ = try VizModel.plan(input: input, parameters: launch)
        view = VizView.empty
        recompute()
    }

    static func plan(input: VizInput, parameters: DropBlockParameters) throws(DropBlockError) -> DropPlan {
        let shape = [1] + Array(input.tensor.shape.dropFirst())
        return input.is3D ? try DropBlock3D(parameters: parameters).plan(for: shape) : try DropBlock2D(parameters: parameters).plan(for: shape)
    }

    /// Whether the preset can run with these parameters on this input, whatever p and the mode
    /// (the plan alone skips geometry checks when the layer is the identity).
    func isValid(_ candidate: DropBlockParameters) -> Bool {
        (try? VizModel.validate(candidate, input: input)) != nil
    }

    static func validate(_ candidate: DropBlockParameters, input: VizInput) throws(DropBlockError) {
        _ = try plan(input: input, parameters: candidate)
        _ = try SeedGeometry(preset: candidate.preset, spatial: input.spatial, blockSize: candidate.blockSize)
    }

    /// Applies one action on a terminal of `screen` size. Returns false when the action asks to quit.
    @discardableResult
    public mutating func apply(_ action: VizAction, screen: ScreenSize) -> Bool {
        self.screen = screen
        return apply(action)
    }

    /// Applies one action. Returns false when the action asks to quit.
    @discardableResult
    public mutating func apply(_ action: VizAction) -> Bool {
        message = nil
        switch action {
        case .quit:
            return false
        case .toggleHelp:
            // Open on the first page; then each `?` shows the next page, and closes after the last.
            if !showHelp {
                showHelp = true
                helpPage = 0
            } else if helpPage + 1 < HelpOverlay(width: screen.width, height: screen.height).pageCount {
                helpPage += 1
            } else {
                showHelp = false
                helpPage = 0
            }
            return true
        case .blockSizeUp, .blockSizeDown:
            changeBlockSize(up: action == .blockSizeUp)
        case .dropProb(let delta):
            let value = ((parameters.dropProb + delta) * 1e6).rounded() / 1e6
            let clamped = min(1, max(0, value))
            if clamped != value { message = "drop_prob stays in [0, 1]" }
            parameters.dropProb = clamped
        case .newDraw:
            draw &+= 1
        case .schedulerStep:
            stepSchedule()
        case .schedulerReset:
            // Back to the launch state: parameters, scheduler position and draw.
            schedule.reset()
            parameters = launchParameters
            draw = 0
            autoplay = false
        case .toggleAutoplay:
            autoplay.toggle()
            if autoplay && schedule.isFinished { schedule.reset() }
        case .tick:
            guard autoplay else { return true }
            stepSchedule()
            draw &+= 1
            if schedule.isFinished { autoplay = false }
        case .nextPreset:
            cyclePreset()
        case .toggleCalibrated:
            parameters.calibrated.toggle()
        case .toggleTraining:
            parameters.isTraining.toggle()
        case .nextChannel: channel = (channel + 1) % input.channels
        case .previousChannel: channel = (channel + input.channels - 1) % input.channels
        case .nextSample: sample = (sample + 1) % input.batch
        case .previousSample: sample = (sample + input.batch - 1) % input.batch
        case .nextSlice, .previousSlice:
            guard input.is3D else {
                message = "the input is 2D: no depth slices"
                return true
            }
            slice = (slice + (action == .nextSlice ? 1 : input.depth - 1)) % input.depth
        case .toggleDropoutRow:
            showDropout.toggle()
        case .toggleSweep:
            showSweep.toggle()
        case .toggleZoom:
            zoom.toggle()
            return true
        case .pan(let dx, let dy):
            pan(dx: dx, dy: dy)
            return true
        case .nextArray, .previousArray, .writeDraw:
            // A session's actions (VizSession): a model alone has one input and does no I/O.
            message = action == .writeDraw ? "w writes draws in the visualizer of a session" : "this input has one array"
            return true
        }
        recompute()
        return true
    }

    /// The same state on another input (a session's next array): parameters, seed, schedule,
    /// draw and open views kept; channel, sample and slice start over, the zoom closes.
    /// - Throws: the preset's error when it cannot run on `other`.
    func replacingInput(_ other: VizInput) throws(DropBlockError) -> VizModel {
        try VizModel.validate(parameters, input: other)
        var next = self
        next.input = other
        next.channel = 0
        next.sample = 0
        next.slice = 0
        next.zoom = false
        next.zoomX = 0
        next.zoomY = 0
        next.message = nil
        next.recompute()
        return next
    }

    /// Shows `text` in the status line until the next action (a session's messages: a written draw, a skipped array).
    public mutating func note(_ text: String) {
        message = text
    }

    /// Moves the zoomed view by half its size per step, keeping it inside the map.
    private mutating func pan(dx: Int, dy: Int) {
        guard zoom, let view = FrameRenderer.zoomWindow(self, width: screen.width, height: screen.height) else {
            message = "the arrow keys move the 1:1 view: press z first"
            return
        }
        let stepX = max(1, view.columns.count / 2), stepY = max(1, view.rows.count / 2)
        zoomX = min(max(0, view.columns.lowerBound + dx * stepX), input.width - view.columns.count)
        zoomY = min(max(0, view.rows.lowerBound + dy * stepY), input.height - view.rows.count)
    }

    private mutating func stepSchedule() {
        if let value = schedule.step() { parameters.dropProb = value }
    }

    /// Moves to the next block size in range 1...largest side that the preset accepts.
    private mutating func changeBlockSize(up: Bool) {
        var candidate = parameters
        let limit = input.largestSide
        // Above the map, `-` goes straight to the largest size the preset accepts.
        var size = up ? parameters.blockSize : min(parameters.blockSize, limit + 1)
        while true {
            size += up ? 1 : -1
            guard size >= 1, size <= limit else {
                message = up ? "block size is at most \(limit) (the map size)" : "block size is at least 1"
                return
            }
            candidate.blockSize = size
            if isValid(candidate) { break }
        }
        if parameters.blockSize > limit + 1 && !up {
            message = "block size \(parameters.blockSize) -> \(size): at most the map size"
        } else if abs(size - parameters.blockSize) > 1 {
            message = "\(parameters.preset.rawValue) needs an odd block size"
        }
        parameters.blockSize = size
    }

    /// dropblock -> torchvision -> timm -> tf, skipping presets that cannot run on this input.
    private mutating func cyclePreset() {
        var skipped: [String] = []
        var candidate = parameters
        for _ in 0..<Preset.allCases.count {
            candidate.preset = candidate.preset.next
            if isValid(candidate) { break }
            // torchvision accepts the nearest smaller odd block; other failures skip the preset.
            var odd = candidate
            odd.blockSize = max(1, candidate.blockSize - 1)
            if candidate.preset == .torchvision, isValid(odd) {
                candidate = odd
                message = "torchvision needs an odd block size: block \(parameters.blockSize) -> \(odd.blockSize)"
                break
            }
            skipped.append(VizModel.reason(preset: candidate.preset, input: input, parameters: candidate))
        }
        if !skipped.isEmpty { message = "skipped " + skipped.joined(separator: "; ") }
        parameters = candidate
    }

    static func reason(preset: Preset, input: VizInput, parameters: DropBlockParameters) -> String {
        do {
            try validate(parameters, input: input)
            return preset.rawValue
        } catch {
            return "\(preset.rawValue) (\(error.description))"
        }
    }

    /// Recomputes the draw of the current sample with the core library.
    private mutating func recompute() {
        view = VizView.compute(model: self)
    }
}
