import Foundation
@testable import NumpyIO
import Testing

/// A failed write or read is said in `strerror`'s words on one line, never as a Foundation dump
/// (`w` in a read-only folder showed `Error Domain=NSCocoaErrorDomain Code=642 ... UserInfo={...}`).
@Suite("file error reasons")
struct FileErrorReasonTests {
    @Test("Foundation's errors, with and without the errno they came from, and a POSIX error")
    func reasons() {
        #expect(FileErrorReason.of(CocoaError(.fileWriteVolumeReadOnly)) == "Read-only file system")
        #expect(FileErrorReason.of(CocoaError(.fileWriteOutOfSpace)) == "No space left on device")
        #expect(FileErrorReason.of(CocoaError(.fileWriteNoPermission)) == "Permission denied")
        let underlying = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))
        #expect(FileErrorReason.of(NSError(domain: NSCocoaErrorDomain, code: 640, userInfo: [NSUnderlyingErrorKey: underlying]))
                == "No space left on device")
        #expect(FileErrorReason.of(POSIXError(.EROFS)) == "Read-only file system")
        #expect(FileErrorReason.of(CocoaError(.fileWriteUnknown)) == "Input/output error")
    }

    @Test("an archive that cannot be written names the path and the reason on one line")
    func unwritableArchive() {
        let path = "/proc/dropblock-\(getpid()).npz"
        #expect(throws: NPYError.io("cannot write \(path): No such file or directory")) {
            try NPZWriter.write(arrays: [("x", NPYArray(shape: [1], values: [1]))], to: path)
        }
    }
}
