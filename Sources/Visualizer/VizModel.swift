import DropBlock
import ShapeFormat

/// The visualizer's state and what it currently shows. Pure: no terminal, no files.
///
/// Every key becomes a `VizAction`; `apply(_:)` changes the state and recomputes the
/// draw with the core library (the same code the tests use).
public struct VizModel: Sendable {
    /// What the panels show.
    public private(set) var input: VizInput
    /// The layer's parameters (preset, block size, drop probability, training, calibrated).
    public private(set) var parameters: DropBlockParameters
    /// The sample on show (0-based).
    public private(set) var sample = 0
    /// The channel on show (0-based).
    public private(set) var channel = 0
    /// The depth slice on show (0-based; 0 for 2D).
    public private(set) var slice = 0
    /// The seed of every draw.
    public let seed: UInt64
    /// The RNG position: how many new draws were requested (space, autoplay).
    public private(set) var draw: UInt64 = 0
    /// The drop-probability schedule that autoplay steps.
    public private(set) var schedule: Schedule
    /// The drop probability at launch (what `r` restores).
    public var initialDropProb: Double { launchParameters.dropProb }
    /// The parameters at launch: `--drop-prob`, or START with an explicit `--schedule`.
    public let launchParameters: DropBlockParameters
    /// Whether ticks step the schedule and draw again.
    public private(set) var autoplay = false
    /// The terminal's size, as the last `apply(_:screen:)` saw it (help pages depend on it).
    public private(set) var screen = ScreenSize(width: 120, height: 40)
    /// The screen on show; keys go through it first.
    public private(set) var activeScreen: ActiveScreen = .main {
        didSet {
            // The stages' own blocks outlast the view (round 26: `bb` lost them without a word).
            if case .stages(let stages) = oldValue, activeScreen.kind != .stages { keptStages = stages }
        }
    }
    /// The stages view as it was left, opened again by `b`.
    private var keptStages: StagesScreen?
    /// The main screen's own options (dropout row, sweep, zoom); kept while another screen is on show.
    public private(set) var main = MainScreen()
    /// What is shown over the screen (the help overlay), taking its keys first.
    public private(set) var modal: Modal = .none
    /// A one-line note about the last action, in every wording, longest first (empty: none):
    /// the message line shows the longest that fits, so that a narrow screen keeps the part
    /// that matters rather than cutting it off.
    public private(set) var messageWordings: [String] = []
    /// A one-line note about the last action (a skipped preset, a clamped value): its longest wording.
    public private(set) var message: String? {
        get { messageWordings.first }
        set { messageWordings = newValue.map { [$0] } ?? [] }
    }
    /// The current draw, recomputed after every action.
    public private(set) var view: VizView
    /// The presets view's columns while it is on show (nil elsewhere): recomputed only when
    /// their key changes, so keys that change neither the parameters nor the draw cost nothing.
    public private(set) var presetComparison: PresetComparison?
    /// Asked before each draw whether it fits in memory (nil: everything fits).
    let memory: (any MemoryGate)?
    /// What `view` was drawn for (nil when it holds no draw).
    private var drawKey: VizView.Key?
    /// The sweep's bars (`v`) and what they were computed for: the parameters but the block
    /// size and calibration, and the map's shape. They do not depend on the draw, and making
    /// them (an expectation and a calibration per block size) cost 10 ms a key.
    private(set) var sweepCache: (parameters: DropBlockParameters, spatial: [Int], points: [VizView.SweepPoint])?

    /// Creates the model. With an explicit `schedule` the layer starts at its START (step 0,
    /// as the PyPI package's README builds the layer with drop_prob equal to the start);
    /// without one it starts at `parameters.dropProb`, and the default schedule ramps from 0
    /// to that value in 10 steps, beginning at the first `s`.
    /// With a `memory` gate, a view or row that does not fit closes with a message instead of
    /// allocating (and a draw that does not fit alone shows an error).
    public init(input: VizInput, parameters: DropBlockParameters, seed: UInt64 = 0, schedule: Schedule? = nil, channel: Int = 0,
                memory: (any MemoryGate)? = nil) throws(DropBlockError) {
        self.input = input
        self.memory = memory
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
        try plan(shape: input.shape, parameters: parameters)
    }

    /// The plan for one sample of an input of `shape`, `(N, C, ...)`.
    static func plan(shape: [Int], parameters: DropBlockParameters) throws(DropBlockError) -> DropPlan {
        try DropBlockND(parameters: parameters).plan(for: [1] + Array(shape.dropFirst()))
    }

    /// Whether the preset can run with these parameters on this input, whatever p and the mode
    /// (the plan alone skips geometry checks when the layer is the identity).
    func isValid(_ candidate: DropBlockParameters) -> Bool {
        (try? VizModel.validate(candidate, input: input)) != nil
    }

    static func validate(_ candidate: DropBlockParameters, input: VizInput) throws(DropBlockError) {
        try validate(candidate, shape: input.shape)
    }

    /// Whether the preset can run with these parameters on an input of `shape`, `(N, C, ...)`.
    static func validate(_ candidate: DropBlockParameters, shape: [Int]) throws(DropBlockError) {
        _ = try plan(shape: shape, parameters: candidate)
        _ = try SeedGeometry(preset: candidate.preset, spatial: Array(shape.dropFirst(2)), blockSize: candidate.blockSize)
    }

    /// Applies one action on a terminal of `screen` size. Returns false when the action asks to quit.
    @discardableResult
    public mutating func apply(_ action: VizAction, screen: ScreenSize) -> Bool {
        self.screen = screen
        return apply(action)
    }

    /// The active screen, with its state.
    public var currentScreen: any VizScreen {
        switch activeScreen {
        case .main: return main
        case .grid(let grid): return grid
        case .presets(let presets): return presets
        case .stages(let stages): return stages
        case .walk(let walk): return walk
        }
    }

    /// Applies one action. Returns false when the action asks to quit.
    ///
    /// The modal state sees it first, then the active screen (which may use it, leave, or
    /// pass it on), then the model.
    @discardableResult
    public mutating func apply(_ action: VizAction) -> Bool {
        message = nil
        switch action {
        case .quit:
            return false
        case .toggleHelp:
            // Open on the first page; then each `?` shows the next page, and closes after the last.
            if case .help(let requested) = modal {
                // The page on screen, which a resize may have moved back (HelpOverlay.shownPage).
                let overlay = HelpOverlay(width: screen.width, height: screen.height)
                let page = overlay.shownPage(requested)
                modal = page + 1 < overlay.pageCount ? .help(page: page + 1) : .none
            } else {
                modal = .help(page: 0)
            }
            return true
        case .back where modal != .none:
            modal = .none
            recompute()
            return true
        case .toggleSeedMode:
            if case .seeds = modal {
                modal = .none
            } else {
                // Seeds are placed on the main panels: the walk-through shows them with its
                // caption; the other views give way to the main screen, as for x, v, z and d.
                if activeScreen.kind != .main && activeScreen.kind != .walk { activeScreen = .main }
                var placement = SeedPlacement(input: input)
                // In the 1:1 zoom the cursor starts at the centre of the view, not of the map
                // (which the view may not show).
                if let view = FrameRenderer.zoomWindow(self, width: screen.width, height: screen.height) {
                    (placement.x, placement.y) = ((view.columns.lowerBound + view.columns.upperBound) / 2,
                                                  (view.rows.lowerBound + view.rows.upperBound) / 2)
                }
                modal = .seeds(placement)
            }
            recompute()
            return true
        case .clearSeeds:
            guard case .seeds = modal else {
                message = "0 clears hand-placed seeds: press i first"
                return true
            }
        default:
            break
        }
        if case .seeds(var placement) = modal, let route = placement.route(action, model: self) {
            modal = .seeds(placement)
            if case .handled(let note) = route { message = note }
            followCursor(placement)
            recompute()
            return true
        }
        switch route(action) {
        case .handled(let note):
            message = note
            recompute()
            return true
        case .leave:
            activeScreen = .main
            recompute()
            return true
        case .pass:
            break
        }
        switch action {
        case .quit, .toggleHelp:
            return false
        case .back:
            // Esc on the main screen quits.
            return false
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
        case .toggleGrid:
            activeScreen = .grid(GridScreen())
        case .togglePresets:
            activeScreen = .presets(PresetsScreen())
        case .toggleStages:
            activeScreen = .stages(keptStages?.reopened() ?? StagesScreen())
        case .walkNext:
            activeScreen = .walk(WalkScreen())
        case .walkBack:
            message = "T goes back a step in the walk-through: press t first"
            return true
        case .toggleSeedMode, .clearSeeds, .click:
            return true
        case .toggleGridSource:
            message = "o switches the channel grid between output and input: press g first"
            return true
        case .toggleDropoutRow, .toggleSweep, .toggleZoom, .toggleChanceMap:
            // Views of the main screen (it used the key when it was on show): from another
            // view the key opens the main screen with it, as `g`, `p`, `b` and `t` open theirs.
            activeScreen = .main
            return apply(action)
        case .pan:
            message = "the arrow keys move the 1:1 view of the main screen: Esc, then z"
            return true
        case .nextArray, .previousArray, .writeDraw:
            // A session's actions (VizSession): a model alone has one input and does no I/O.
            message = action == .writeDraw ? "w writes draws in the visualizer of a session" : "this input has one array"
            return true
        }
        recompute()
        return true
    }

    /// Hands `action` to the active screen, which may change its own state.
    private mutating func route(_ action: VizAction) -> KeyRoute {
        switch activeScreen {
        case .main:
            var screen = main
            let route = screen.route(action, model: self)
            main = screen
            return route
        case .grid(var grid):
            let route = grid.route(action, model: self)
            activeScreen = .grid(grid)
            return route
        case .presets(var presets):
            let route = presets.route(action, model: self)
            activeScreen = .presets(presets)
            return route
        case .stages(var stages):
            let route = stages.route(action, model: self)
            activeScreen = .stages(stages)
            return route
        case .walk(var walk):
            let route = walk.route(action, model: self)
            activeScreen = .walk(walk)
            return route
        }
    }

    /// The same state on another input (a session's next array): parameters, seed, schedule,
    /// draw and open views (the zoom too) kept; channel, sample and slice kept where `other`
    /// has them (else the first).
    /// - Throws: the preset's error when it cannot run on `other`.
    func replacingInput(_ other: VizInput) throws(DropBlockError) -> VizModel {
        try VizModel.validate(parameters, input: other)
        var next = self
        next.input = other
        // The same sample, channel and slice where the other array has them (comparing one
        // sample across a network's layers), else the first.
        if next.sample >= other.batch { next.sample = 0 }
        if next.channel >= other.channels { next.channel = 0 }
        if next.slice >= other.depth { next.slice = 0 }
        // The zoom stays on (it closed, silently): its corner is kept inside the new map when drawn.
        // Neither the draw's key nor the comparison's names the input.
        next.releaseDraw()
        // Hand-placed seeds belong to the old map.
        if case .seeds = next.modal { next.modal = .none }
        next.message = nil
        next.recompute()
        return next
    }

    /// Shows `text` in the status line until the next action (a session's messages: a written draw, a skipped array).
    public mutating func note(_ text: String) {
        message = text
    }

    /// Shows the longest of `wordings` (longest first) that fits the message line until the next action.
    public mutating func note(wordings: [String]) {
        messageWordings = wordings
    }

    private mutating func stepSchedule() {
        if let value = schedule.step() { parameters.dropProb = value }
    }

    /// Moves to the next block size in range 1...largest side that the preset accepts.
    private mutating func changeBlockSize(up: Bool) {
        let step = BlockStep(from: parameters, up: up, input: input)
        message = step.message
        parameters.blockSize = step.blockSize
    }

    /// dropblock -> torchvision -> timm -> tf -> kerascv, skipping presets that cannot run on this input.
    private mutating func cyclePreset() {
        var skipped: [(preset: String, reason: String)] = []
        var candidate = parameters
        for _ in 0..<Preset.allCases.count {
            candidate.preset = candidate.preset.next
            if isValid(candidate) { break }
            // A preset that needs an odd block (torchvision) takes the nearest smaller one; other failures skip the preset.
            var odd = candidate
            odd.blockSize = max(1, candidate.blockSize - 1)
            if candidate.preset.rules.needsOddBlock, isValid(odd) {
                candidate = odd
                message = "\(candidate.preset.rawValue) needs an odd block size: block \(parameters.blockSize) -> \(odd.blockSize)"
                break
            }
            skipped.append((candidate.preset.rawValue, VizModel.reason(preset: candidate.preset, input: input, parameters: candidate)))
        }
        if !skipped.isEmpty { message = VizModel.skippedMessage(skipped) }
        parameters = candidate
    }

    /// Why `preset` cannot run on `input`, without the preset's own name (so that presets with
    /// the same reason share it).
    static func reason(preset: Preset, input: VizInput, parameters: DropBlockParameters) -> String {
        do {
            try validate(parameters, input: input)
            return "cannot run"
        } catch {
            let text = error.description, name = "preset \(preset.rawValue) "
            return text.hasPrefix(name) ? String(text.dropFirst(name.count)) : text
        }
    }

    /// `skipped timm, tf, kerascv (supports 2D input only, not 3D)`: presets skipped for the same
    /// reason are named once with it, so the message fits the status row.
    static func skippedMessage(_ skipped: [(preset: String, reason: String)]) -> String {
        var groups: [(presets: [String], reason: String)] = []
        for item in skipped {
            if let index = groups.firstIndex(where: { $0.reason == item.reason }) {
                groups[index].presets.append(item.preset)
            } else {
                groups.append(([item.preset], item.reason))
            }
        }
        return "skipped " + groups.map { "\($0.presets.joined(separator: ", ")) (\($0.reason))" }.joined(separator: "; ")
    }

    /// Recomputes the draw of the current sample with the core library, or keeps it when
    /// nothing it depends on changed (`VizView.Key`).
    ///
    /// A large draw that is not kept is let go first, so the new one is built in its place
    /// rather than beside it. With a memory gate, what does not fit is closed first, heaviest
    /// first, and said so.
    private mutating func recompute() {
        if case .stages(var stages) = activeScreen {
            let follow = stages.follow(self)
            activeScreen = .stages(stages)
            var candidate = parameters
            if let block = follow.adopt {
                candidate.blockSize = block
                if isValid(candidate) { parameters.blockSize = block }
            }
            if let note = follow.note { message = message.map { "\($0); \(note)" } ?? note }
        }
        let key = VizView.Key(model: self)
        let drawKept = view.result != nil && drawKey == key
        if !drawKept {
            drawKey = nil
            // A large draw goes before the next is built, so that the two never stand side by
            // side; a small one stays until then, so that the allocator reuses its pages
            // (letting the 56x56x16 sample's draw go first cost 0.2 ms a draw in page faults).
            if let plan = view.plan, VizMemory.passBytes(plan: plan, replaysNoise: true) >= Self.releaseFirstBytes { releaseDraw() }
        }
        let comparisonKept = activeScreen.kind == .presets && presetComparison?.key == PresetComparison.Key(model: self)
        if !comparisonKept { presetComparison = nil }
        if let memory, !fitMemory(memory, comparisonKept: comparisonKept, drawKept: drawKept) { return }
        if main.extras.contains(.sweep) { refreshSweep() }
        if case .stages(var stages) = activeScreen {
            stages.refreshTable(self)
            activeScreen = .stages(stages)
        }
        if drawKept && VizView.Key(model: self) == key {
            view.measure(model: self)
        } else {
            view = VizView.compute(model: self)
            drawKey = view.result == nil ? nil : VizView.Key(model: self)
        }
        if activeScreen.kind == .presets {
            if !comparisonKept { presetComparison = PresetComparison.compute(model: self) }
        } else {
            // One pass per preset over the whole sample: not kept off screen.
            presetComparison = nil
        }
    }

    /// Makes the sweep's bars unless the cache already holds them for these parameters and map.
    private mutating func refreshSweep() {
        var key = parameters
        (key.blockSize, key.calibrated) = (1, false)
        if let cache = sweepCache, cache.parameters == key, cache.spatial == input.spatial { return }
        sweepCache = (key, input.spatial, VizView.sweepPoints(input: input, parameters: parameters))
    }

    /// In the 1:1 zoom, moves the view by as little as it takes to show seed mode's cursor
    /// (the arrow keys move the cursor then, not the view).
    private mutating func followCursor(_ placement: SeedPlacement) {
        guard main.zoom != nil, let view = FrameRenderer.zoomWindow(self, width: screen.width, height: screen.height) else { return }
        func follow(_ start: Int, _ range: Range<Int>, _ at: Int) -> Int {
            at < range.lowerBound ? at : at >= range.upperBound ? at - range.count + 1 : start
        }
        main.zoom = (follow(view.columns.lowerBound, view.columns, placement.x), follow(view.rows.lowerBound, view.rows, placement.y))
    }

    /// The size of a draw (`VizMemory.passBytes`) from which `recompute` lets it go before
    /// building the next.
    static let releaseFirstBytes = 64 << 20

    /// Lets go of the draw (and the presets view's columns), so that their memory is free
    /// before the next is built.
    mutating func releaseDraw() {
        view = VizView.empty
        drawKey = nil
        presetComparison = nil
    }

    /// Draws again what `releaseDraw` let go of.
    mutating func redraw() {
        recompute()
    }

    /// Closes, with a message, the views and rows `memory` has no room for; returns false,
    /// with the view's error set, when the main screen's draw alone does not fit.
    private mutating func fitMemory(_ memory: any MemoryGate, comparisonKept: Bool, drawKept: Bool) -> Bool {
        var closed: [String] = []
        var needs = VizMemory.needs(self, comparisonKept: comparisonKept, drawKept: drawKept)
        while !memory.allows(needs.total) {
            let total = needs.total
            if needs.presets > 0 || needs.stages > 0 {
                closed.append((needs.presets > 0 ? "the presets view" : "the stages view") + " (\(ByteText.megabytes(total)))")
                activeScreen = .main
            } else if needs.dropout > 0 {
                closed.append("the dropout row (\(ByteText.megabytes(total)))")
                main.extras.remove(.dropoutRow)
            } else if needs.seeds > 0 {
                closed.append("seed mode (\(ByteText.megabytes(total)))")
                modal = .none
            } else {
                view = VizView(result: nil, plan: nil, dropout: nil, sweep: [], error: "not enough memory for this draw (\(ByteText.megabytes(total)))")
                return false
            }
            needs = VizMemory.needs(self, comparisonKept: false, drawKept: drawKept)
        }
        if !closed.isEmpty { message = "not enough memory for " + closed.joined(separator: ", ") + ": closed" }
        return true
    }

    /// The same state without the presets view's cached columns (which the screen then computes afresh).
    func withoutCaches() -> VizModel {
        var copy = self
        copy.presetComparison = nil
        copy.sweepCache = nil
        copy.view = VizView.compute(model: copy)
        return copy
    }
}
