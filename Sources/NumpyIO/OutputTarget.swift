#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a writer puts the file a user named: the file itself, never the name's link, and
/// never a device in place of a device.
///
/// Writers build a file beside its target and rename it into place, so that a failed write
/// leaves nothing half written. A rename replaces whatever the name is: `apply -o /dev/null`
/// run as root turned the system's `/dev/null` into a regular file, and `-o link.npy` replaced
/// the link instead of writing the file it points to. So an existing name is resolved through
/// its links first, and a target that is not a regular file (a device, a FIFO, a socket) is
/// written in place, as `cp` would.
public struct OutputTarget: Sendable {
    /// The path to write: `path` with its links resolved when it exists, else `path`.
    public let path: String
    /// Whether the target is not a regular file (a device, a FIFO or a socket): it is written
    /// in place, without a temporary file or a rename.
    public let inPlace: Bool

    /// The target of a write to `path`.
    public init(_ path: String) {
        guard let resolved = realpath(path, nil) else {
            (self.path, inPlace) = (path, false)
            return
        }
        defer { free(resolved) }
        self.path = String(cString: resolved)
        var status = stat()
        inPlace = stat(self.path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG
    }
}
