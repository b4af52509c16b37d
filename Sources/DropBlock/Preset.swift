/// Which public implementation's semantics a DropBlock layer reproduces.
///
/// Each preset follows `shared/spec/semantics.md` exactly: gamma formula, noise
/// shape, allowed seed region, block placement, mask sharing and rescaling.
public enum Preset: String, CaseIterable, Sendable, Codable {
    /// PyPI `dropblock` 0.3.0, the original port (2D and 3D; one mask per sample).
    case dropblock
    /// `torchvision.ops.drop_block2d` / `drop_block3d` (odd clipped blocks; one mask per channel).
    case torchvision
    /// timm's `drop_block_2d` (2D only; rectangular blocks clipped per axis).
    case timm
    /// The TensorFlow TPU reference by the paper's authors (2D square maps only).
    case tf

    /// The spatial ranks this preset supports (2 for 2D, 3 for 3D).
    public var supportedSpatialRanks: [Int] {
        switch self {
        case .dropblock, .torchvision: return [2, 3]
        case .timm, .tf: return [2]
        }
    }

    /// Whether the reference shares one mask across all channels of a sample
    /// (timm's default `couple_channels=True` included).
    public var sharesMaskByDefault: Bool {
        switch self {
        case .dropblock, .timm: return true
        case .torchvision, .tf: return false
        }
    }

    /// The next preset in the cycle dropblock -> torchvision -> timm -> tf -> dropblock.
    public var next: Preset {
        let all = Preset.allCases
        let index = all.firstIndex(of: self) ?? 0
        return all[(index + 1) % all.count]
    }
}
