/// What one legend entry names: a colour or glyph a panel uses.
public enum LegendRole: Sendable, Hashable, CaseIterable {
    /// A seed: a unit whose draw fell under gamma and starts a block (`o` in ASCII).
    case seed
    /// A seed in another slice whose block reaches this one (3D only; `+`).
    case nearbySeed
    /// Where seeds may fall (`:`).
    case region
    /// Where no seed may fall, in the seeds panel (blank in ASCII).
    case outside
    /// A kept unit (`.`).
    case kept
    /// A dropped unit (`#`).
    case dropped
    /// A downsampled cell's share of dropped units, in tenths (`1`-`9`).
    case tenths
    /// A dropped unit in the output (`x`; in colour, the dropped colour).
    case droppedOutput
    /// The bottom of the value scale: zero, or the lowest value for signed data (blank).
    case zero
    /// The top of the value scale (`@`).
    case high
    /// A bar of the sweep (`v`): the expected drop at one block size (`I`).
    case sweepBar
    /// The sweep's bar at the current block size (`H`).
    case sweepCurrent
}
