import DropBlock

/// One press of `+` or `-`: the next block size a preset runs on an input, and what to say
/// about the step. The main screen's block and each stage's own block in the stages view
/// step by this one rule.
struct BlockStep {
    /// The new block size (unchanged when no size runs in that direction).
    let blockSize: Int
    /// What to tell the user: a refusal, or a step of more than one (nil for a plain step).
    let message: String?

    /// The step from `parameters.blockSize`, up or down, among the sizes `parameters.preset`
    /// runs on `input`.
    init(from parameters: DropBlockParameters, up: Bool, input: VizInput) {
        var candidate = parameters
        let limit = input.largestSide
        // Above the map, `-` goes straight to the largest size the preset accepts.
        var size = up ? parameters.blockSize : min(parameters.blockSize, limit + 1)
        // The first size the preset refused on the way: the reason when no larger one runs.
        var refused: DropBlockError?
        while true {
            size += up ? 1 : -1
            guard size >= 1, size <= limit else {
                if up, let refused {
                    // Round 25: torchvision on an 8x16x16 volume said "at most 16 (the map size)" at block 7.
                    message = "block \(parameters.blockSize) is the largest \(parameters.preset.rawValue) runs here: \(refused.description)"
                } else {
                    message = up ? "block size is at most \(limit) (the map size)" : "block size is at least 1"
                }
                blockSize = parameters.blockSize
                return
            }
            candidate.blockSize = size
            do {
                try VizModel.validate(candidate, input: input)
                break
            } catch {
                refused = BlockStep.moreTelling(refused, error)
            }
        }
        if parameters.blockSize > limit + 1 && !up {
            message = "block size \(parameters.blockSize) -> \(size): at most the map size"
        } else if abs(size - parameters.blockSize) > 1 {
            // Said as a step, not a refusal: the size did change.
            message = "block \(parameters.blockSize) -> \(size): \(parameters.preset.rawValue) takes odd sizes only"
        } else {
            message = nil
        }
        blockSize = size
    }

    /// The refusal to give: the first, unless a later one says why the sizes above run no
    /// better (torchvision's 8 "needs an odd block size", its 9 is clipped to an even 8).
    static func moreTelling(_ first: DropBlockError?, _ later: DropBlockError) -> DropBlockError {
        guard let first else { return later }
        if case .evenBlockSize(_, let asked, let clipped) = first, asked == clipped,
           case .evenBlockSize(_, let laterAsked, let laterClipped) = later, laterAsked != laterClipped {
            return later
        }
        return first
    }
}
