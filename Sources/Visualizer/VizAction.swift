/// Everything a key can do in the visualizer.
public enum VizAction: Equatable, Sendable {
    /// `q`: leaves the visualizer.
    case quit
    /// Esc: closes the help, leaves a view, or quits on the main screen.
    case back
    /// `?`: the help overlay on or off.
    case toggleHelp
    /// `+`: the next block size.
    case blockSizeUp
    /// `-`: the previous block size.
    case blockSizeDown
    /// `]`, `[`, `}`, `{`: changes the drop probability by the amount, kept in [0, 1].
    case dropProb(Double)
    /// Space: the next draw of the seed (in seed mode, toggles the seed under the cursor).
    case newDraw
    /// `s`: one step of the drop-probability schedule.
    case schedulerStep
    /// `r`: back to the launch state.
    case schedulerReset
    /// `a`: autoplay (a scheduler step and a new draw per tick) on or off.
    case toggleAutoplay
    /// `m`: the next preset in the cycle.
    case nextPreset
    /// `c`: calibrated gamma on or off.
    case toggleCalibrated
    /// `e`: training (DropBlock on) or eval (the identity).
    case toggleTraining
    /// `n`: the next channel (the next page in the grid).
    case nextChannel
    /// `N`: the previous channel (the previous page in the grid).
    case previousChannel
    /// `j`: the next sample.
    case nextSample
    /// `k`: the previous sample.
    case previousSample
    /// `.`: the next depth slice (3D).
    case nextSlice
    /// `,`: the previous depth slice (3D).
    case previousSlice
    /// `x`: the row comparing with plain dropout of the same rate, on or off.
    case toggleDropoutRow
    /// `v`: the sweep of expected drop against block size, on or off.
    case toggleSweep
    /// The 1:1 zoom on or off.
    case toggleZoom
    /// `d`: the map of each unit's drop chance p(j), on or off.
    case toggleChanceMap
    /// Show the next / previous array of a file with several (a session's, not the model's).
    case nextArray, previousArray
    /// Write the shown draw to a file (a session's, not the model's: the model does no I/O).
    case writeDraw
    /// Moves the zoomed view by half a view: `dx` columns and `dy` rows of halves.
    case pan(dx: Int, dy: Int)
    /// The channel grid on or off (`g`).
    case toggleGrid
    /// In the grid: output or input (`o`).
    case toggleGridSource
    /// The presets side by side on or off (`p`).
    case togglePresets
    /// Block size across stages on or off (`b`).
    case toggleStages
    /// Seed mode on or off (`i`).
    case toggleSeedMode
    /// In seed mode: remove every placed seed (`0`).
    case clearSeeds
    /// The walk-through: open it, or the next step (`t`).
    case walkNext
    /// The walk-through's previous step (`T`).
    case walkBack
    /// A mouse click on terminal cell (`x`, `y`); in seed mode, on a map cell of the seeds
    /// panel, it moves the cursor there and toggles a seed.
    case click(x: Int, y: Int)
    /// An autoplay tick (no key): one scheduler step and a new draw.
    case tick
}
