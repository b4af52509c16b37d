import Foundation
import FuzzSupport
import Netpbm

/// Any bytes: a typed error or an image whose samples fit its size and lie in [0, 1].
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNetpbm(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = NetpbmImage.looksLikeNetpbm(data)
    guard let image = try? NetpbmImage(data: data) else { return 0 }
    fuzzCheck(image.channels == 1 || image.channels == 3, "\(image.channels) channels")
    fuzzCheck(image.samples.count == image.width * image.height * image.channels, "sample count disagrees with the size")
    fuzzCheck(image.samples.allSatisfy { $0 >= 0 && $0 <= 1 }, "a sample outside [0, 1]")
    fuzzCheck(image.grey.count == image.width * image.height, "grey count disagrees with the size")
    return 0
}
