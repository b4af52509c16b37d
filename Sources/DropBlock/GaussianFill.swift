/// Where timm's `with_noise` fill comes from.
enum GaussianFill: Sendable {
    /// Standard normals from per-mask streams of this key.
    case generator(key: UInt64)
    /// A recorded standard normal draw of the keep mask's shape (timm's `normal_()`), validated.
    case recorded(Tensor)
}
