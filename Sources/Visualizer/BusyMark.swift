/// What the event loop shows while a key's action runs on a large sample: the frame on screen,
/// its last row marked `working...`, so that a wait of seconds (the presets view of a 64 MB
/// sample took 2 s) does not look like a hang.
public enum BusyMark {
    /// The mark, reversed at the right of the last row (the key hint's).
    public static let text = " working... "

    /// The units per sample (channels times map units) from which a key's work can take a
    /// visible while: a 16 MB float32 sample.
    public static let defaultUnits = 1 << 22

    /// `frame` with the mark on its last row, right-aligned (cut at the left on a narrow screen).
    public static func marked(_ frame: Frame) -> Frame {
        var marked = frame
        marked.put(text, x: max(0, frame.width - text.count), y: frame.height - 1, attributes: .reverse)
        return marked
    }
}
