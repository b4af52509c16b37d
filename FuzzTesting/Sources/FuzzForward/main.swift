import DropBlock
import Foundation
import FuzzSupport

/// A forward pass decoded from the bytes: the core's invariants hold, the thread count and
/// the API (allocating, in place, into a buffer) do not change the result, and no input traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForward(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var bytes = FuzzBytes(start, count: count)
    guard let testCase = ForwardCase(&bytes) else { return 0 }
    if getenv("FUZZ_DESCRIBE") != nil { FileHandle.standardError.write(Data("\(testCase)\n".utf8)) }
    ForwardRun.run(testCase, noiseBytes: &bytes)
    return 0
}
