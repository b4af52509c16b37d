import Foundation
import FuzzSupport
import SafetensorsIO

/// Any bytes as a `.safetensors` file: a typed error, or entries that tile the data exactly and
/// decode to as many values as their shapes say.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let file = try? SafetensorsFile(data: Data(bytes: start, count: count)) else { return 0 }
    var end: Int? = nil
    for entry in file.entries {
        if let end { fuzzCheck(entry.bytes.lowerBound == end, "entries overlap or leave a hole") }
        end = entry.bytes.upperBound
        fuzzCheck(entry.bytes.upperBound <= count, "entry past the end of the file")
        let values = file.values(of: entry)
        fuzzCheck(values.count == entry.shape.reduce(1, *), "\(entry.name): shape \(entry.shape) but \(values.count) values")
    }
    fuzzCheck(end == nil || end == count, "the last entry does not end the file")
    return 0
}
