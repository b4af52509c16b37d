import Foundation

/// One short reason for a failed file operation, as `strerror` words it ("Read-only file
/// system", "No space left on device"), instead of a Foundation error's dump (`Error
/// Domain=NSCocoaErrorDomain Code=642 ... UserInfo={...}`) in a one-line message.
enum FileErrorReason {
    static func of(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if let cocoa = error as? CocoaError {
            // Foundation reports these without the errno it read.
            switch cocoa.code {
            case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
            case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
            case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
            case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
            default: break
            }
        }
        // Never a bare Foundation domain and code; a library's own error (ZIPFoundation's
        // cases) by its name, on one line.
        if ns.domain == NSCocoaErrorDomain { return String(cString: strerror(EIO)) }
        return String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
