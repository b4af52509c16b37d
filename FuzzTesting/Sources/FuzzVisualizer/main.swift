import DropBlock
import Foundation
import FuzzSupport
import Visualizer

/// Keys and terminal sizes applied to the view model: no trap, every frame fits its terminal,
/// and titles agree with panels (where the current code supports that check).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVisualizer(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var bytes = FuzzBytes(start, count: count)
    guard var session = VizCase(&bytes) else { return 0 }
    if getenv("FUZZ_DESCRIBE") != nil { FileHandle.standardError.write(Data("\(session)\n".utf8)) }
    let renderer = FrameRenderer(tier: session.tier)
    for step in session.steps {
        switch step {
        case .key(let action):
            if !session.model.apply(action) { return 0 }
        case .render(let width, let height):
            let frame = renderer.render(session.model, width: width, height: height)
            FrameChecks.check(frame, model: session.model, width: width, height: height, tier: session.tier)
        }
    }
    return 0
}
