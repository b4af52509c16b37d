import DropBlock
import Foundation
import Netpbm
import SampleAssets
import Testing
@testable import Visualizer

@Suite("Embedded sample data")
struct SampleDataTests {
    func photo() throws -> FeatureBank.Image {
        let image = try NetpbmImage(data: SampleAssets.photographPGM())
        return FeatureBank.Image(width: image.width, height: image.height, pixels: image.grey)
    }

    @Test("the photograph is compiled in, byte for byte assets/chelsea.pgm")
    func photographLoads() throws {
        let image = try NetpbmImage(data: SampleAssets.photographPGM())
        #expect(image.width == 224 && image.height == 224 && image.channels == 1)
        // assets/embed.py writes the C source from the file: they must not drift apart.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try Data(contentsOf: root.appendingPathComponent("assets/chelsea.pgm"))
        #expect(SampleAssets.photographPGM() == file, "run python3 assets/embed.py after changing assets/chelsea.pgm")
    }

    @Test("feature maps look like ReLU activations, not noise", arguments: [56, 28, 14, 7])
    func featuresLookLikeActivations(mapSize: Int) throws {
        let input = try SampleData.photographFeatures(try photo(), mapSize: mapSize)
        #expect(input.tensor.shape == [2, 16, mapSize, mapSize])
        let values = input.tensor.storage
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
        let plane = mapSize * mapSize
        var correlations: [Double] = []
        for channel in 0..<16 {
            let map = Array(values[(channel * plane)..<((channel + 1) * plane)])
            // Not empty, and not a constant.
            #expect(map.max()! > 0.5, "channel \(channel) is empty")
            // Neighbouring units are correlated (structure, not noise).
            var xs: [Double] = [], ys: [Double] = []
            for y in 0..<mapSize { for x in 0..<(mapSize - 1) { xs.append(Double(map[y * mapSize + x])); ys.append(Double(map[y * mapSize + x + 1])) } }
            correlations.append(correlation(xs, ys))
        }
        if mapSize >= 14 {
            let mean = correlations.reduce(0, +) / Double(correlations.count)
            #expect(mean > 0.3, "mean neighbour correlation \(mean)")
            // Sparse like ReLU output: a good share of exact zeros overall.
            let zeros = Double(values.filter { $0 == 0 }.count) / Double(values.count)
            #expect(zeros > 0.1 && zeros < 0.95, "zero fraction \(zeros)")
        }
    }

    func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            sab += (a[i] - ma) * (b[i] - mb)
            saa += (a[i] - ma) * (a[i] - ma)
            sbb += (b[i] - mb) * (b[i] - mb)
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
    }

    @Test func volumeDemoIsThreeD() throws {
        let volume = try SampleData.volumeDemo()
        #expect(volume.is3D && volume.tensor.shape == [1, 4, 16, 32, 32])
        #expect(volume.tensor.storage.contains { $0 > 0.9 })
    }

    @Test("the quantile's order statistic is sorted()[rank] at every rank, ties included")
    func orderStatisticMatchesSort() {
        var generator = SeededGenerator(seed: 11)
        for count in [1, 2, 7, 49, 200] {
            // Values on a coarse grid, so ties are common.
            let values = (0..<count).map { _ in Float(Int(generator.nextUniformFloat() * 12)) / 4 }
            let sorted = values.sorted()
            for rank in 0..<count {
                #expect(FeatureBank.orderStatistic(values, rank: rank) == sorted[rank], "count \(count) rank \(rank)")
            }
        }
    }

    @Test("the convolution equals the clamped 3x3 sum, bit for bit, at every pixel and border")
    func convolutionMatchesClampedSum() {
        var generator = SeededGenerator(seed: 12)
        for (w, h) in [(1, 1), (1, 5), (4, 1), (6, 5)] {
            let image = FeatureBank.Image(width: w, height: h, pixels: (0..<(w * h)).map { _ in Float(generator.nextUniformFloat()) })
            let kernel = (0..<9).map { _ in Float(generator.nextUniformFloat()) * 4 - 2 }
            var expected = [Float](repeating: 0, count: w * h)
            for y in 0..<h {
                for x in 0..<w {
                    var sum: Float = 0
                    for ky in -1...1 {
                        for kx in -1...1 {
                            let yy = min(h - 1, max(0, y + ky)), xx = min(w - 1, max(0, x + kx))
                            sum += kernel[(ky + 1) * 3 + kx + 1] * image.pixels[yy * w + xx]
                        }
                    }
                    expected[y * w + x] = sum
                }
            }
            #expect(FeatureBank.convolve(image, kernel: kernel) == expected, "\(w)x\(h)")
        }
    }
}

@Suite("PGM/PPM reading")
struct NetpbmTests {
    @Test func asciiAndBinaryGreymaps() throws {
        let ascii = try NetpbmImage(data: Data("P2\n# comment\n3 2\n4\n0 1 2\n3 4 4\n".utf8))
        #expect(ascii.width == 3 && ascii.height == 2 && ascii.samples == [0, 0.25, 0.5, 0.75, 1, 1])
        var binary = Data("P5 2 1 255\n".utf8)
        binary.append(contentsOf: [0, 255])
        #expect(try NetpbmImage(data: binary).samples == [0, 1])
        var wide = Data("P5 1 1 65535\n".utf8)
        wide.append(contentsOf: [0x80, 0x00])
        #expect(try NetpbmImage(data: wide).samples == [Float(0x8000) / 65535])
    }

    @Test func pixmapsArePlanar() throws {
        var binary = Data("P6 2 1 255\n".utf8)
        binary.append(contentsOf: [255, 0, 0, 0, 0, 255])
        let image = try NetpbmImage(data: binary)
        #expect(image.channels == 3 && image.samples == [1, 0, 0, 0, 0, 1])
        let ascii = try NetpbmImage(data: Data("P3 1 1 255 255 255 255".utf8))
        #expect(ascii.grey.count == 1 && abs(ascii.grey[0] - 1) < 1e-6)
    }

    @Test func rejectsBadInput() {
        #expect(throws: NetpbmError.notNetpbm) { try NetpbmImage(data: Data("GIF89a".utf8)) }
        #expect(throws: NetpbmError.self) { try NetpbmImage(data: Data("P4 1 1\n".utf8)) }
        #expect(throws: NetpbmError.self) { try NetpbmImage(data: Data("P5 100000 100000 255\n".utf8)) }
        #expect(throws: NetpbmError.truncated(expected: 4, available: 1)) {
            var data = Data("P5 2 2 255\n".utf8)
            data.append(7)
            return try NetpbmImage(data: data)
        }
        #expect(throws: NetpbmError.self) { try NetpbmImage(data: Data("P2 2 2 255 1 2".utf8)) }
        #expect(throws: NetpbmError.self) { try NetpbmImage(data: Data("P2 x 2 255".utf8)) }
    }
}

@Suite("The default channel shows the photograph")
struct DefaultChannelTests {
    /// The cat's eyes in the 28x28 maps (rows, columns), found by eye in `dropblock render`.
    static let eyes: [(rows: ClosedRange<Int>, columns: ClosedRange<Int>)] = [(9...14, 1...8), (11...15, 15...23)]

    /// How much brighter each eye is than the whole map, on average (the weaker eye).
    static func eyeContrast(_ map: ArraySlice<Float>, side: Int) -> Double {
        let base = map.startIndex
        let mean = Double(map.reduce(0, +)) / Double(map.count)
        let perEye = eyes.map { eye -> Double in
            var sum = 0.0
            for y in eye.rows { for x in eye.columns { sum += Double(map[base + y * side + x]) } }
            return sum / Double(eye.rows.count * eye.columns.count)
        }
        return (perEye.min() ?? 0) / max(mean, 1e-9)
    }

    @Test("channel 0 is centre-surround (on), which shows both eyes brighter than the map's mean")
    func firstChannelShowsEyes() throws {
        let image = try NetpbmImage(data: SampleAssets.photographPGM())
        let input = try SampleData.photographFeatures(FeatureBank.Image(width: image.width, height: image.height, pixels: image.grey), mapSize: 28)
        let plane = 28 * 28
        let contrasts = (0..<16).map { Self.eyeContrast(input.tensor.storage[($0 * plane)..<(($0 + 1) * plane)], side: 28) }
        print("eye contrast per channel:", contrasts.map { String(format: "%.2f", $0) })
        // Checked by eye (dropblock render --channel N for every N): the centre-surround (on)
        // channel shows both eyes and the nose as rings; edge channels show fragments.
        #expect(FeatureBank.channelNames[0] == "centre-surround on")
        #expect(contrasts[0] >= 2, "channel 0: \(contrasts[0])")
    }
}
