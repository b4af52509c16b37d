import Foundation
import Testing

/// Hostile files through the real binary under a memory limit: the readers must check the
/// declared sizes against the bytes present before allocating, so each fails with one
/// `error:` line and exit 1 instead of allocating gigabytes or trapping.
@Suite("hostile files under a memory limit")
struct HostileReaderTests {
    /// 400 MB of address space: ample for the CLI, far below what the hostile headers declare.
    static let addressSpaceKB = 400_000

    static let cases: [(name: String, bytes: [UInt8])] = [
        // 19 bytes declaring 16384x16384 RGB: 805M samples, 3 GB as floats.
        ("huge-p6.ppm", Array("P6\n16384 16384\n255\n".utf8)),
        ("huge-p5-16bit.pgm", Array("P5\n16384 16384\n65535\n\u{1}".utf8)),
        ("huge-p3.ppm", Array("P3\n16384 16384\n255\n1 2 3".utf8)),
        ("huge-p2.pgm", Array("P2 16384 16384 255 0".utf8)),
        ("fortran-empty-huge.npy", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (0, 4611686018427387904, 4611686018427387904), }")),
    ]

    static func npy(_ dict: String) -> [UInt8] {
        let text = Array(dict.utf8)
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text
    }

    /// Runs the binary with `arguments` under the address-space limit (no backtrace) and
    /// returns the finished process and what it wrote to stderr.
    static func runLimited(_ arguments: [String]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(addressSpaceKB) && exec \"$0\" \"$@\"", Executable.url.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process, stderr)
    }

    @Test("render refuses a hostile file with one error line, within the memory limit", arguments: cases.map(\.name))
    func render(name: String) throws {
        let bytes = try #require(Self.cases.first { $0.name == name }).bytes
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try Data(bytes).write(to: file)

        let (process, stderr) = try Self.runLimited(["render", file.path, "--color", "never", "--width", "60", "--height", "20"])
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(name): status \(process.terminationStatus), stderr: \(stderr)")
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("error: ") == true, "\(name): \(stderr)")
    }

    /// A genuine file too big to read whole under the limit (a 1 GiB Fortran-order `.npy`,
    /// sparse on disk, which cannot stream): `render` and `apply` refuse it in one line that
    /// says why, before allocating (a failed Swift allocation would trap instead).
    @Test("a real file too big to read whole is one error line that says memory", arguments: ["render", "apply"])
    func tooBigToReadWhole(command: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whole-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big-fortran.npy")
        var header = Self.npy("{'descr': '<f4', 'fortran_order': True, 'shape': (16, 64, 512, 512), }")
        // Pad the header to a multiple of 64 bytes, ending in a newline, as NumPy writes it.
        let length = (header.count + 1 + 63) / 64 * 64
        header += [UInt8](repeating: 0x20, count: length - header.count - 1) + [0x0A]
        header[8] = UInt8((length - 10) & 0xFF)
        header[9] = UInt8((length - 10) >> 8)
        try Data(header).write(to: file)
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: UInt64(length + 4 * 16 * 64 * 512 * 512))
        try handle.close()

        let output = folder.appendingPathComponent("out.npy").path
        let arguments = command == "render" ? ["render", file.path, "--color", "never", "--width", "60", "--height", "20"]
                                            : ["apply", file.path, "-o", output, "--preset", "torchvision"]
        let (process, stderr) = try Self.runLimited(arguments)
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(command): status \(process.terminationStatus), stderr: \(stderr)")
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("error: not enough memory for reading") == true, "\(command): \(stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
