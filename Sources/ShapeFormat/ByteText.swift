/// How a number of bytes is written in messages (`not enough memory for ... (336.0 MB)`), in
/// one place so that the CLI's errors and the visualizer's status lines agree.
public enum ByteText {
    /// `bytes` as megabytes with one decimal, cut rather than rounded (`336.0 MB`), or as whole
    /// gigabytes from 10 GB (`9223372036 GB` for `Int.max`, an estimate that overflowed).
    public static func megabytes(_ bytes: Int) -> String {
        bytes >= 10_000_000_000 ? "\(bytes / 1_000_000_000) GB" : "\(Double(bytes / 100_000) / 10) MB"
    }
}
