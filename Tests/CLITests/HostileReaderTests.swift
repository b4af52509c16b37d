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

    @Test("render refuses a hostile file with one error line, within the memory limit", arguments: cases.map(\.name))
    func render(name: String) throws {
        let bytes = try #require(Self.cases.first { $0.name == name }).bytes
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try Data(bytes).write(to: file)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(Self.addressSpaceKB) && exec \"$0\" \"$@\"",
                             Executable.url.path, "render", file.path, "--color", "never", "--width", "60", "--height", "20"]
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(name): status \(process.terminationStatus), stderr: \(stderr)")
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("error: ") == true, "\(name): \(stderr)")
    }
}
