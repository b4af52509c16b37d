import DropBlock
import ShapeFormat

/// The guided walk-through of Algorithm 1 (`t`): a caption over the main panels, one step at a
/// time (`t` next, `T` back); the panels a step talks about are highlighted, the rest dimmed.
/// Every number in a caption is the status line's value, at its precision.
public struct WalkScreen: VizScreen, Equatable {
    /// The step on show, 0-based.
    public var step = 0
    /// The drop-chance panel (`d`) under the four: the gamma step's `c(j)` and `p(j)` as a map.
    public var showsChances = false
    /// Steps of the walk-through.
    public static let stepCount = 5
    /// Caption rows under the header: at least these, more where a narrow terminal wraps the
    /// caption into more lines (up to `maximumCaptionRows`), so a sentence is not cut.
    static let captionRows = 5
    static let maximumCaptionRows = 10

    /// The walk-through at its first step.
    public init() {}

    /// The main screen's four panels under the step's caption rows.
    public func request(_ model: VizModel, size: ScreenSize) -> LayoutRequest {
        let rows = min(WalkScreen.maximumCaptionRows, max(WalkScreen.captionRows, wrapped(model, width: size.width).count))
        return LayoutRequest(mapWidth: model.input.width, mapHeight: model.input.height,
                             arrangement: .main(dropoutRow: false, sweep: false, chance: showsChances), headerLines: rows)
    }

    /// The current step's caption, wrapped to the terminal; a caption longer than the rows
    /// allow ends in `...` where it is cut.
    public func headerLines(_ model: VizModel, layout: VizLayout) -> [String] {
        let lines = wrapped(model, width: layout.width)
        guard lines.count > WalkScreen.maximumCaptionRows else { return lines }
        var shown = Array(lines.prefix(WalkScreen.maximumCaptionRows))
        let last = shown[shown.count - 1]
        shown[shown.count - 1] = String(last.prefix(max(0, max(20, layout.width) - 4))) + " ..."
        return shown
    }

    /// The step's caption lines, each wrapped to `width` columns (at least 20).
    func wrapped(_ model: VizModel, width: Int) -> [String] {
        WalkScreen.caption(step: step, model: model).flatMap { PresetsScreen.wrap($0, width: max(20, width)) }
    }

    /// The panels each step talks about.
    static func highlighted(step: Int) -> Set<PanelID> {
        switch step {
        case 0: return [.input]
        case 1: return [.seeds]
        case 2: return [.seeds, .chance]
        case 3: return [.seeds, .keepMask]
        default: return [.output]
        }
    }

    /// The main screen's panels, the ones the step talks about lit and the rest dimmed.
    public func panels(_ model: VizModel, layout: VizLayout) -> [Panel] {
        let lit = WalkScreen.highlighted(step: step)
        var main = MainScreen()
        if showsChances { main.extras = .chance }
        return main.panels(model, layout: layout).map { panel in
            var panel = panel
            panel.emphasis = lit.contains(panel.id) ? .highlighted : .dimmed
            return panel
        }
    }

    /// `t` moves on (and leaves after the last step), `T` goes back, Esc leaves; other keys pass.
    public mutating func route(_ action: VizAction, model: VizModel) -> KeyRoute {
        switch action {
        case .walkNext:
            if step + 1 >= WalkScreen.stepCount { return .leave }
            step += 1
            return .handled(message: nil)
        case .walkBack:
            step = max(0, step - 1)
            return .handled(message: nil)
        case .back:
            return .leave
        case .toggleChanceMap:
            // The map beside the caption that explains it (it left the walk-through for the main screen).
            showsChances.toggle()
            return .handled(message: nil)
        default:
            return .pass
        }
    }

    /// Why the expected drop at the preset's `gamma` is not `p`: an infinite or negative gamma
    /// read from the number, else the preset's own reason.
    static func expectedReason(_ p: DropBlockParameters, geometry: SeedGeometry, gamma: Double) -> String {
        let rules = p.preset.rules
        if gamma.isInfinite {
            let seeded = rules.seedGeometry(geometry, atGamma: gamma)
            let who = seeded.seedRegionSize == seeded.mapSize ? "every unit" : "every allowed unit"
            let nan = rules.rescale(kept: 0, count: seeded.mapSize, parameters: p).referenceReturnsNaN
            // Short: the caption has five rows at 80 columns, the calibrated line included.
            return "gamma = inf: \(who) seeds, all drop" + (nan ? " (reference NaN, here zeros)" : "")
        }
        if gamma < 0 { return "gamma < 0: no unit seeds, nothing drops" }
        return rules.expectedRateReason(p, geometry: geometry)
    }

    /// The caption of `step` for the model's state: the first line names the step.
    public static func caption(step: Int, model: VizModel) -> [String] {
        let p = model.parameters
        let input = model.input
        let f = StatusLine.format
        let result = model.view.result
        let spatial = input.spatial
        let size = ShapeText.size(spatial)
        let head = "\(step + 1)/\(stepCount) (t next, T back): "
        let geometry = model.view.plan?.geometry ?? (try? SeedGeometry(preset: p.preset, spatial: spatial, blockSize: p.blockSize))
        switch step {
        case 0:
            let mode = p.isTraining ? "In training the layer drops blocks; in eval mode (e) it is the identity, output = input."
                : "mode=eval now: the layer is the identity, output = input."
            // Round 24: a teacher on the default preset taught PyPI's simplified gamma as the paper's.
            let rules = p.preset.rules
            let source = rules.isPaperAuthorsCode
                ? "The steps follow \(rules.library), the paper's authors' code: its gamma is the paper's Eq.\u{00A0}1."
                : "The steps follow \(rules.library) (preset \(p.preset.rawValue)); the paper's authors' code is preset tf (m)."
            return [head + "the feature map. Channel c\(model.channel) of \(input.channels), \(size)" + (input.is3D ? " (slice \(model.slice) shown)" : "")
                    + ", sample \(model.sample) of \(input.batch).", mode, source]
        case 1:
            guard let geometry else { return [head + "the allowed seed region.", "\(p.preset.rawValue) cannot run here."] }
            let names = spatial.count == 3 ? ["slices", "rows", "cols"] : ["rows", "cols"]
            let region = zip(names, geometry.seedRegion).map { "\($0) \($1.lowerBound)-\($1.upperBound - 1)" }.joined(separator: ", ")
            // Where seeds may fall anywhere, the step says the paper's region differs (round 24).
            let paper = !p.preset.rules.isPaperAuthorsCode && geometry.seedRegionSize == geometry.mapSize
                ? " The paper seeds only where a whole block fits (preset tf)." : ""
            let why = p.preset.rules.seedRegionNote + paper
            if !p.isTraining {
                // The seeds panel is empty in eval mode: the region is training's, said as such.
                return [head + "the allowed seed region. mode=eval: the identity now, so the seeds panel shows none. "
                        + "In training: \(region).", why]
            }
            return [head + "the allowed seed region: \(region).", why]
        case 2:
            if p.isTraining && p.isIdentityLayer {
                // keras-cv's formula would give 0/0 here for a block one larger than the map.
                return [head + "the seed probability. At p = 0 the layer is the identity, as every reference returns its input "
                        + "before computing gamma: gamma=0, expected=0."]
            }
            let gamma = p.presetGamma(spatial: spatial)
            // PyPI's p / bs^2 leaves out Eq.\u{00A0}1's share of seed positions: said beside it (round 24).
            let paper = p.preset.rules.gammaOmitsSeedPositionShare
                ? " (a simplification of the paper's Eq.\u{00A0}1, preset tf)" : ""
            let formula = p.preset.rules.gammaFormula(p, spatial: spatial, format: f) + paper
            // The numbers `dropblock stats` prints, from the function `c` and the stages view share.
            let study = DropRateStudy(preset: p.preset, spatial: spatial, blockSize: p.blockSize, dropProb: p.dropProb, samples: 0, seed: 0)
            let expected = study.expected ?? 0
            // The reference's own region: the reasons count its seed positions.
            let region = try? SeedGeometry(preset: p.preset, spatial: spatial, blockSize: p.blockSize)
            // A no-break space keeps "p = 0.1" on one line where the caption wraps.
            let comparison = f(expected) == f(p.dropProb) ? "p itself."
                : "not p\u{00A0}=\u{00A0}\(f(p.dropProb)): " + (region.map { expectedReason(p, geometry: $0, gamma: gamma) } ?? "the preset cannot run here") + "."
            // In eval mode the status line's gamma and expected are 0: the step says so once,
            // then gives training's numbers on the lines below.
            let eval = p.isIdentityLayer
            let expectation = "expected = 1 - mean_j (1-gamma)^c(j) = \(f(expected)) (c(j): allowed seed positions whose block covers j), " + comparison
            if p.calibrated, !eval, let maximum = study.maximumReachable {
                // The panels use the calibrated gamma: the step leads with it, then shows the
                // preset's own formula and why calibration is needed.
                let used = f(result?.gamma ?? study.calibratedGamma ?? 1)
                let lead = study.calibratedGamma == nil
                    ? "no gamma reaches p = \(f(p.dropProb)) here: gamma=\(used) gives at most \(f(maximum))."
                    : "gamma=\(used) makes expected = p."
                return [head + "the seed probability, calibrated (c on): " + lead,
                        "Uncalibrated: " + formula + "; " + expectation]
            }
            var lines = eval
                ? [head + "the seed probability. mode=eval: the identity now (gamma=0, expected=0). In training:", formula, expectation]
                : [head + "the seed probability " + formula, expectation]
            if let maximum = study.maximumReachable {
                // Calibration on reaches here only in eval mode, where it changes nothing on screen and
                // the draw's gamma is 0: the line gives training's calibrated gamma (round 24: "(on (c): gamma=0)").
                let state = p.calibrated ? "on (c)" : "off; c turns it on"
                lines.append(study.calibratedGamma.map { "calibrated gamma = \(f($0)) makes expected = p (\(state))." }
                    ?? "no gamma reaches p here: at most \(f(maximum)) (calibrated \(state)).")
            }
            return lines
        case 3:
            let stats = model.view.stats
            let seeds = stats.seeds
            let block = geometry.map { ShapeText.size($0.window) } ?? "\(p.blockSize)"
            // In 3D the panels show one slice: its seeds, and the blocks reaching it from seeds in other slices.
            let place = input.is3D ? "slice \(model.slice) of c\(model.channel)" : "c\(model.channel)"
            let nearby = input.is3D ? " (+\(stats.nearbySeeds) in other slices whose blocks reach it)" : ""
            let share = input.is3D ? "of this slice (\(FrameRenderer.percent(stats.channelDropped)) of the channel)" : "of this channel"
            let sharing = p.sharesMask
                ? "The mask is shared across channels (\(p.preset.rawValue)'s default): every channel has the same holes."
                : "The mask is per channel (\(p.preset.rawValue)'s default): each channel draws its own seeds."
            if !p.isTraining {
                // The panels show no seeds and no holes: the step says why, not "n=0 this draw".
                return [head + "seeds. mode=eval: the identity now, so no seeds are drawn and nothing drops (e: training).",
                        "In training, each allowed position is a seed with probability gamma and becomes a \(block) block.",
                        sharing]
            }
            let drawn: String
            if case .seeds = model.modal {
                drawn = "Seeds placed by hand (seed mode, i): n=\(seeds) in \(place)\(nearby)."
            } else {
                drawn = "Each allowed position is a seed with probability gamma=\(f(result?.gamma ?? 0)): n=\(seeds) in \(place)\(nearby) this draw."
            }
            return [head + "seeds. " + drawn,
                    "Each seed becomes a \(block) block\(geometry?.blocksCanClip == false ? "" : ", clipped to the map"): the mask drops \(FrameRenderer.percent(stats.sliceDropped)) \(share), realized=\(f(result?.droppedFraction ?? 0)) of the sample.",
                    sharing]
        default:
            guard let result, !result.isIdentity else {
                let why = p.isTraining ? "The layer is the identity here" : "mode=eval: the identity now"
                return [head + "the rescale. \(why): output = input, scale=1."]
            }
            let numel = result.keepMask.count
            let kept = Int(result.keepMask.storage.reduce(0) { $0 + Double($1) })
            let form = p.preset.rules.rescaleFormula(kept: kept, count: numel, parameters: p)
            if result.referenceReturnsNaN {
                // Every unit dropped: the reference divides by zero.
                return [head + "the rescale. output = input x mask x scale; \(form): a division by zero.",
                        "Every unit is dropped: the reference returns NaN here; this tool returns zeros and says so (scale=0)."]
            }
            // What numel and kept count: the per-channel presets' whole sample, beside the one
            // channel lit (round 24: 11585 / 12544 beside a panel of 735 of 784 kept).
            let channels = result.keepMask.shape[1], plane = numel / max(1, channels)
            var counted: String
            if channels > 1 {
                let start = min(numel, model.channel * plane)
                let own = Int(result.keepMask.storage[start..<min(numel, start + plane)].reduce(0) { $0 + Double($1) })
                counted = "numel and kept count all \(channels) channels' masks (each draws its own): c\(model.channel) alone keeps \(own) of \(plane)."
            } else {
                counted = "numel and kept count the one mask every channel shares."
            }
            // The references (and apply) count the whole batch; this screen runs one sample (verification round).
            if input.batch > 1 { counted += " This sample alone: the reference, and dropblock apply, count all \(input.batch) samples." }
            // Exact for mask x scale, not for the output's mean, which depends on where the holes fall (round 24).
            return [head + "the rescale. output = input x mask x scale; \(form) = \(f(Double(result.scale))).", counted,
                    "The kept units grow by x\(f(Double(result.scale))) so that mask x scale averages 1: the mean activation stays about the same (exactly, on a constant map)."]
        }
    }
}
