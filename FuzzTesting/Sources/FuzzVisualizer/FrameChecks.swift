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

    /// For a shared mask on a 2D input, the keep-mask panel's title states the fraction the
    /// panel draws. TODO(issue 11): per-channel masks, where the title states the fraction
    /// over all channels and the panel draws one channel's; check them once issue 11 is fixed.
    static func checkKeepMaskTitle(_ frame: Frame, model: VizModel) {
        guard model.parameters.sharesMask, !model.input.is3D, model.modal == .none, model.activeScreen.kind == .main, let result = model.view.result else { return }
        let mask = result.keepMask.storage
        let dropped = mask.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        let fraction = mask.isEmpty ? 0 : Double(dropped) / Double(mask.count)
        let percent = StatusLine.format((fraction * 100 * 10).rounded() / 10) + "%"
        let expected = "keep mask \(model.input.width)x\(model.input.height) \(percent) dropped"
        for y in 0..<frame.height {
            let row = frame.row(y)
            guard let start = row.range(of: "keep mask "), let end = row[start.lowerBound...].range(of: " dropped") else { continue }
            let title = String(row[start.lowerBound..<end.upperBound])
            fuzzCheck(title == expected, "title '\(title)' but the panel draws '\(expected)'")
        }
    }
}
