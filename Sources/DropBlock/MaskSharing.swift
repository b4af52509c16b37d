/// Whether one keep mask serves every channel of a sample or each channel draws its own.
public enum MaskSharing: String, CaseIterable, Sendable, Codable {
    /// Whatever the preset does (timm: its `coupleChannels` option).
    case presetDefault = "preset"
    /// One mask per sample, applied to all channels.
    case shared
    /// An independent mask for every channel.
    case perChannel = "per-channel"
}
