import DropBlock

/// The embedded default input and the synthetic 3D demo.
public enum SampleData {
    /// Feature maps of the photograph: two samples (the whole photo and a centre zoom),
    /// 16 channels, `mapSize x mapSize` — shape `(2, 16, mapSize, mapSize)`.
    ///
    /// Its stages (the `b` view) are the same maps at 56, 28, 14 and 7, as ResNet-50's
    /// conv2_x..conv5_x see a 224 px image.
    public static func photographFeatures(_ photo: FeatureBank.Image, mapSize: Int) throws(DropBlockError) -> VizInput {
        let stages = NetworkStages.stages(network: "resnet50", imageSize: 224) ?? []
        var sizes = stages.map(\.side)
        if !sizes.contains(mapSize) { sizes.append(mapSize) }
        let whole = FeatureBank.features(of: photo, mapSizes: sizes)
        let zoom = FeatureBank.features(of: FeatureBank.centreCrop(photo, fraction: 0.55), mapSizes: sizes)
        func tensor(_ i: Int) throws(DropBlockError) -> Tensor {
            try Tensor(shape: [2, FeatureBank.channels, sizes[i], sizes[i]], storage: whole[i] + zoom[i])
        }
        var input = try VizInput(name: "embedded photo features", tensor: try tensor(sizes.firstIndex(of: mapSize) ?? 0))
        var named: [VizStage] = []
        for (i, stage) in stages.enumerated() { named.append(VizStage(name: stage.stage, tensor: try tensor(i))) }
        input.stages = named
        return input
    }

    /// A synthetic volume `(1, 4, 16, 32, 32)`: soft spheres of several sizes per channel, for 3D DropBlock.
    public static func volumeDemo() throws(DropBlockError) -> VizInput {
        let (channels, depth, side) = (4, 16, 32)
        var generator = SeededGenerator(seed: 3)
        var storage = [Float](repeating: 0, count: channels * depth * side * side)
        for c in 0..<channels {
            for _ in 0..<6 {
                let cz = Float(generator.nextUniformFloat()) * Float(depth)
                let cy = Float(generator.nextUniformFloat()) * Float(side)
                let cx = Float(generator.nextUniformFloat()) * Float(side)
                let radius = 2 + Float(generator.nextUniformFloat()) * 6
                for z in 0..<depth {
                    for y in 0..<side {
                        for x in 0..<side {
                            let dz = (Float(z) - cz) * 2, dy = Float(y) - cy, dx = Float(x) - cx
                            let d2 = (dz * dz + dy * dy + dx * dx) / (radius * radius)
                            let index = ((c * depth + z) * side + y) * side + x
                            storage[index] = max(storage[index], max(0, 1 - d2))
                        }
                    }
                }
            }
        }
        return try VizInput(name: "3D demo volume", tensor: try Tensor(shape: [1, channels, depth, side, side], storage: storage))
    }
}
