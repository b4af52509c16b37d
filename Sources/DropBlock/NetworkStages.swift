/// Feature-map sizes of common networks' stages, for choosing DropBlock settings per stage.
public enum NetworkStages {
    /// The networks `stages(network:imageSize:)` knows.
    public static let networks = ["resnet18", "resnet34", "resnet50", "resnet101"]

    /// The map side of conv2_x ... conv5_x of a torchvision ResNet at `imageSize` pixels.
    ///
    /// Every down-sampling step (the 7x7/2 stem, the 3x3/2 max pool, and the stride-2
    /// convolution opening conv3_x, conv4_x and conv5_x) maps n to floor((n - 1) / 2) + 1,
    /// as a padded stride-2 convolution does; the four ResNets share it.
    /// - Returns: nil for an unknown network or an image size below 1.
    public static func stages(network: String, imageSize: Int) -> [(stage: String, side: Int)]? {
        guard networks.contains(network.lowercased()), imageSize >= 1 else { return nil }
        func down(_ n: Int) -> Int { (n - 1) / 2 + 1 }
        var side = down(down(imageSize))   // stem conv, then max pool
        var result: [(String, Int)] = [("conv2_x", side)]
        for name in ["conv3_x", "conv4_x", "conv5_x"] {
            side = down(side)
            result.append((name, side))
        }
        return result
    }
}
