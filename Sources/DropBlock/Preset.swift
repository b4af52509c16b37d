/// Which public implementation's semantics a DropBlock layer reproduces.
///
/// Each preset follows `shared/spec/semantics.md` exactly. Everything that makes a preset
/// that preset (gamma, seed region, block window, seed rule, noise shape, mask sharing,
/// rescaling, ranks and validation) lives in one `PresetRules` value, `rules`.
public enum Preset: String, CaseIterable, Sendable, Codable {
    /// PyPI `dropblock` 0.3.0, the original port (2D and 3D; one mask per sample).
    case dropblock
    /// `torchvision.ops.drop_block2d` / `drop_block3d` (odd clipped blocks; one mask per channel).
    case torchvision
    /// timm's `drop_block_2d` (2D only; rectangular blocks clipped per axis).
    case timm
    /// The TensorFlow TPU reference by the paper's authors (2D square maps only).
    case tf
    /// keras-cv's `DropBlock2D` (2D; one mask per channel; unclipped blocks, a `W` typo in its seed region).
    case kerascv

    /// The registry: this preset's rules.
    public var rules: any PresetRules {
        switch self {
        case .dropblock: return DropblockPresetRules()
        case .torchvision: return TorchvisionPresetRules()
        case .timm: return TimmPresetRules()
        case .tf: return TFPresetRules()
        case .kerascv: return KerasCVPresetRules()
        }
    }

    /// The spatial ranks this preset supports (2 for 2D, 3 for 3D).
    public var supportedSpatialRanks: [Int] { rules.supportedSpatialRanks }

    /// Whether the reference shares one mask across all channels of a sample with its
    /// default options (timm's `couple_channels=True` included).
    public var sharesMaskByDefault: Bool { rules.sharesMaskByDefault(DropBlockParameters(preset: self)) }

    /// The next preset in the cycle dropblock -> torchvision -> timm -> tf -> kerascv -> dropblock.
    public var next: Preset {
        let all = Preset.allCases
        let index = all.firstIndex(of: self) ?? 0
        return all[(index + 1) % all.count]
    }
}
