import ArgumentParser
import Foundation

/// `dropblock copy-file` (hidden): a plain chunked copy, the I/O floor that `bench --case io`
/// compares `apply` with, run in a child process exactly as `apply` is.
struct CopyFileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-file", abstract: "Copy a file in 1 MiB chunks (the bench's I/O floor).", shouldDisplay: false)

    @Argument(help: "The file to read.")
    var source: String

    @Argument(help: "The file to write.")
    var destination: String

    func run() throws {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw CLIError("cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else { throw CLIError("cannot write \(destination): \(String(cString: strerror(errno)))") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        try buffer.withUnsafeMutableBytes { chunk in
            while true {
                let got = read(input, chunk.baseAddress, chunk.count)
                if got == 0 { break }
                guard got > 0 else { throw CLIError("cannot read \(source): \(String(cString: strerror(errno)))") }
                var written = 0
                while written < got {
                    let put = write(output, chunk.baseAddress.map { $0 + written }, got - written)
                    guard put > 0 else { throw CLIError("cannot write \(destination): \(String(cString: strerror(errno)))") }
                    written += put
                }
            }
        }
    }
}
