import Foundation
import FuzzSupport
import NumpyIO

/// Any bytes: a typed error or an array whose shape and values agree and that round-trips.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let array = try? NPYArray(data: Data(bytes: start, count: count)) else { return 0 }
    var elements = 1
    for extent in array.shape {
        let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
        fuzzCheck(!overflow, "accepted shape \(array.shape) overflows")
        elements = product
    }
    fuzzCheck(elements == array.values.count, "shape \(array.shape) but \(array.values.count) values")
    // What we write we read back, bit for bit (NaN payloads included), unless the shape alone
    // makes the header longer than the reading limit, as NumPy's own files can.
    do {
        let back = try NPYArray(data: array.encoded())
        fuzzCheck(back.shape == array.shape, "round trip changed the shape")
        fuzzCheck(back.values.map(\.bitPattern) == array.values.map(\.bitPattern), "round trip changed values")
    } catch NPYError.headerTooLarge {
    } catch {
        fuzzCheck(false, "cannot read back what was written: \(error)")
    }
    return 0
}
