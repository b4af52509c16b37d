import ZIPFoundation

/// ZIPFoundation's errors in words: its case names (`missingEndOfCentralDirectoryRecord`)
/// reached the `error:` line, which should say what is wrong with the user's file.
enum ArchiveErrorReason {
    /// What `error`, thrown by ZIPFoundation while opening or reading an archive, says about the file.
    static func words(_ error: any Error) -> String {
        guard let archiveError = error as? Archive.ArchiveError else {
            // Its inflate errors (`CompressionError`) are internal types, known by name only.
            if String(describing: type(of: error)).contains("CompressionError") { return "its compressed bytes are damaged" }
            return FileErrorReason.of(error)
        }
        switch archiveError {
        case .missingEndOfCentralDirectoryRecord:
            return "no zip directory at its end: the file is cut short, or not a zip file"
        case .invalidCentralDirectoryOffset, .invalidCentralDirectorySize, .invalidCentralDirectoryEntryCount:
            return "its zip directory is damaged"
        case .invalidLocalHeaderDataOffset, .invalidLocalHeaderSize, .invalidEntrySize:
            return "a member's zip header is damaged"
        case .invalidCompressionMethod:
            return "a member is compressed other than stored or deflated"
        case .invalidCRC32:
            return "a member fails its CRC-32 check"
        default:
            return "its zip structure cannot be read"
        }
    }
}
