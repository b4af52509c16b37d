import Foundation
import FuzzSupport
import SafetensorsIO

/// Any bytes as a `.safetensors` file: a typed error, or entries that tile the data exactly and
/// decode to as many values as their shapes say. The same bytes through a file
/// (`SafetensorsFileReader`, as `apply` and the visualizer read one) give the same entries, the
/// same error, and the same values, whole and from any element on.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let path = "/dev/shm/fuzz-safetensors-\(getpid()).safetensors"
    guard FileManager.default.createFile(atPath: path, contents: data) else { return 0 }
    defer { unlink(path) }
    let memory: SafetensorsFile
    do {
        memory = try SafetensorsFile(data: data)
    } catch {
        do {
            _ = try SafetensorsFileReader(path: path)
            fuzzCheck(false, "read from a file, accepted what the bytes refuse (\(error))")
        } catch let fileError {
            fuzzCheck(fileError == error, "refused as '\(fileError)' from a file, '\(error)' from memory")
        }
        return 0
    }
    guard let file = try? SafetensorsFileReader(path: path) else {
        fuzzCheck(false, "refused from a file what the bytes accept")
        return 0
    }
    fuzzCheck(file.entries == memory.entries && file.metadata == memory.metadata, "the file's entries differ from the bytes'")
    var end: Int? = nil
    for entry in memory.entries {
        if let end { fuzzCheck(entry.bytes.lowerBound == end, "entries overlap or leave a hole") }
        end = entry.bytes.upperBound
        fuzzCheck(entry.bytes.upperBound <= count, "entry past the end of the file")
        let values = memory.values(of: entry)
        fuzzCheck(values.count == entry.shape.reduce(1, *), "\(entry.name): shape \(entry.shape) but \(values.count) values")
        let read = try? file.values(of: entry)
        fuzzCheck(read.map { $0.elementsEqual(values) { $0.bitPattern == $1.bitPattern } } == true, "\(entry.name): the file's values differ")
        // A range from the middle, as a chunk or a sample is read.
        let first = values.count / 3
        var part = [Float](repeating: 0, count: min(5, values.count - first))
        let got = try? part.withUnsafeMutableBufferPointer { try file.read(entry, into: $0, from: first) }
        fuzzCheck(got == part.count && part.elementsEqual(values[first..<(first + part.count)]) { $0.bitPattern == $1.bitPattern },
                  "\(entry.name): elements from \(first) differ")
    }
    fuzzCheck(end == nil || end == count, "the last entry does not end the file")
    return 0
}
