import DropBlock
import Foundation
import NumpyIO
import SafetensorsIO
import Testing

/// The README's "your own activations" snippet, as a user's package writes it (round 24: the
/// file libraries were not products, so user code could not read a `.npy`).
@Suite("The file libraries, from a user's code")
struct LibraryFilesTests {
    @Test("read a .npy and an .npz member, run a layer, write the output: what the README shows")
    func readmeSnippet() throws {
        let scratch = try Scratch()
        defer { scratch.cleanup() }
        let values: [Float] = (0..<486).map { (index: Int) -> Float in Float(index % 17) / 4 }
        try NPYArray(shape: [2, 3, 9, 9], values: values).write(to: scratch.path("acts.npy"))
        try NPZWriter.write(arrays: [("layer3", NPYArray(shape: [2, 3, 9, 9], values: values))], to: scratch.path("acts.npz"))

        let file = try NPYArray(contentsOf: scratch.path("acts.npy"))
        let acts = try Tensor(shape: file.shape, storage: file.values)
        let dropped = try DropBlockND(dropProb: 0.3, blockSize: 3, preset: .torchvision).forward(acts, seed: 0).output
        try NPYArray(shape: dropped.shape, values: dropped.storage).write(to: scratch.path("dropped.npy"))
        let member = try NPZArchive(contentsOf: scratch.path("acts.npz")).array(named: "layer3")

        let back = try NPYArray(contentsOf: scratch.path("dropped.npy"))
        let expected = try DropBlockND(dropProb: 0.3, blockSize: 3, preset: .torchvision).forward(acts, seed: 0).output
        #expect(back.shape == [2, 3, 9, 9] && back.values == expected.storage)
        #expect(member.values == values && member.shape == file.shape)
        #expect(back.values != values, "the layer dropped something at seed 0")
    }

    @Test("a .safetensors tensor reads whole or by range, as the README says")
    func safetensors() throws {
        let reader = try SafetensorsFileReader(path: ActivationInputTests.safetensors)
        let entry = try #require(reader.entries.first)
        let whole = try reader.values(of: entry)
        var part = [Float](repeating: 0, count: min(3, whole.count))
        let count = part.count
        let got = try part.withUnsafeMutableBufferPointer { try reader.read(entry, into: $0, from: whole.count - count) }
        #expect(got == count && Array(whole.suffix(count)) == part)
    }
}
