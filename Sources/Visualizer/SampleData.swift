import DropBlock

/// The embedded default input and the synthetic 3D demo.
public enum SampleData {
    /// Feature maps of the photograph: two samples (the whole photo and a centre zoom),
    /// 16 channels, `mapSize x mapSize` — shape `(2, 16, mapSize, mapSize)`.
    public static func photographFeatures(_ photo: FeatureBank.Image, mapSize: Int) throws(DropBlockError) -> VizInput {
        let whole = FeatureBank.features(of: photo, mapSize: mapSize)
        let zoom = FeatureBank.features(of: FeatureBank.centreCrop(photo, fraction: 0.55), mapSize: mapSize)
        let tensor = try Tensor(shape: [2, FeatureBank.channels, mapSize, mapSize], storage: whole + zoom)
        return try VizInput(name: "embedded photo features", tensor: tensor)
    }

    /// A synthetic volume `(1, 4, 16, 32, 32)`: soft spheres of several sizes per channel, for DropBlock3D.
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
