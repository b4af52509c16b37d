import SafetensorsIO

/// One tensor of a `.safetensors` file as a `ChunkedArrayReader` (safetensors data are always
/// C order).
final class SafetensorsTensorChunks: ChunkedArrayReader {
    let file: SafetensorsFileReader
    let entry: SafetensorsFile.Entry
    let count: Int
    /// Elements read so far by `read(into:)`.
    private(set) var position = 0

    init(file: SafetensorsFileReader, entry: SafetensorsFile.Entry) {
        (self.file, self.entry) = (file, entry)
        count = SafetensorsFileReader.count(of: entry)
    }

    func read(into target: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let got = try read(into: target, from: position)
        position += got
        return got
    }

    func read(into target: UnsafeMutableBufferPointer<Float>, from first: Int) throws -> Int {
        try file.read(entry, into: target, from: first)
    }
}
