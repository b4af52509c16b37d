/// The numbers of a forward pass, without the tensors (what the in-place API returns).
public struct DropBlockSummary: Sendable, Equatable {
    /// The seed probability used.
    public var gamma: Double
    /// The factor applied to kept units (1 when not rescaling; 0 when nothing was kept and
    /// the reference would have divided by zero).
    public var scale: Float
    /// The fraction of mask units dropped.
    public var droppedFraction: Double
    /// How many seeds fell.
    public var seedCount: Int
    /// True when every unit was dropped.
    public var everythingDropped: Bool
    /// True when the reference returns NaN here; the library wrote zeros.
    public var referenceReturnsNaN: Bool
    /// True when the layer was the identity.
    public var isIdentity: Bool
    /// The calibration used, when calibrated.
    public var calibration: GammaCalibration?
    /// How many worker threads built and applied the masks (1 for the identity).
    public var workers: Int

    /// The identity's numbers: nothing seeded, dropped or rescaled.
    static let identity = DropBlockSummary(gamma: 0, scale: 1, droppedFraction: 0, seedCount: 0, everythingDropped: false,
                                           referenceReturnsNaN: false, isIdentity: true, calibration: nil, workers: 1)
}
