import DropBlock
import FuzzSupport
import Visualizer

/// What a rendered frame must satisfy.
enum FrameChecks {
    static func check(_ frame: Frame, model: VizModel, width: Int, height: Int, tier: ColorTier) {
        fuzzCheck(frame.width == max(0, width) && frame.height == max(0, height), "frame \(frame.width)x\(frame.height) for \(width)x\(height)")
        fuzzCheck(frame.cells.count == frame.width * frame.height, "frame cells")
        let text = AnsiWriter.text(frame, tier: tier)
        fuzzCheck(width == 0 || height == 0 || !text.isEmpty, "empty ANSI text")
        checkKeepMaskTitle(frame, model: model)
    }

    /// The keep-mask panel's title states the dropped fraction of what the panel draws: the
    /// shown channel's plane (per-channel masks) and, in 3D, the shown slice, in HxW order.
    /// Computed here from the mask itself, not from the renderer's own numbers.
    static func checkKeepMaskTitle(_ frame: Frame, model: VizModel) {
        guard model.modal == .none, model.activeScreen.kind == .main, model.main.zoom == nil, let result = model.view.result else { return }
        let mask = result.keepMask
        let height = mask.shape[mask.rank - 2], width = mask.shape[mask.rank - 1]
        let depth = mask.rank == 5 ? mask.shape[2] : 1
        let channel = mask.shape[1] == 1 ? 0 : model.channel
        let start = (channel * depth + (mask.rank == 5 ? model.slice : 0)) * height * width
        var dropped = 0
        for i in start..<(start + height * width) where mask[i] == 0 { dropped += 1 }
        let percent = FrameRenderer.percent(Double(dropped) / Double(height * width))
        for y in 0..<frame.height {
            let row = frame.row(y)
            // Only the longest wording names the size; the shorter ones keep the number.
            if let range = row.range(of: "keep mask "), let end = row[range.lowerBound...].range(of: " dropped") {
                let title = String(row[range.lowerBound..<end.upperBound])
                let expected = "keep mask \(height)x\(width) \(percent) dropped"
                fuzzCheck(title == expected, "title '\(title)' but the panel draws '\(expected)'")
            } else if let range = row.range(of: "+ mask "), let end = row[range.upperBound...].range(of: "%") {
                let number = String(row[range.upperBound..<end.upperBound])
                fuzzCheck(number == percent, "title 'mask \(number)' but the panel draws \(percent)")
            }
        }
    }
}
