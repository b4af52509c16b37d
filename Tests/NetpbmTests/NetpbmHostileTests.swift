import Foundation
import Netpbm
import Testing

/// Hostile and unsupported Netpbm input: each gets a typed, named error.
@Suite("Netpbm hostile input")
struct NetpbmHostileTests {
    @Test("PBM and PAM are recognised and named as unsupported variants", arguments: [
        ("P1\n1 1\n0\n", "P1 (ASCII PBM bitmap)"),
        ("P4\n8 1\n\u{0}", "P4 (binary PBM bitmap)"),
        ("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n\u{0}", "P7 (PAM)"),
    ])
    func unsupportedVariants(file: String, name: String) {
        #expect(throws: NetpbmError.unsupported("\(name); only PGM (P2, P5) and PPM (P3, P6) are read")) {
            try NetpbmImage(data: Data(file.utf8))
        }
        #expect(NetpbmImage.looksLikeNetpbm(Data(file.utf8)), "\(name) is sniffed as Netpbm, so callers report it as such")
    }

    @Test("a P-word that is no Netpbm magic is not called Netpbm", arguments: ["PK\u{3}\u{4}zip", "P8\n1 1\n", "P0 1 1 1", "Plain text"])
    func notNetpbm(file: String) {
        #expect(throws: NetpbmError.notNetpbm) { try NetpbmImage(data: Data(file.utf8)) }
        #expect(!NetpbmImage.looksLikeNetpbm(Data(file.utf8)))
    }

    @Test("the magic must be followed by whitespace to be sniffed")
    func sniffing() {
        #expect(NetpbmImage.looksLikeNetpbm(Data("P5\n2 1\n255\n".utf8)))
        #expect(NetpbmImage.looksLikeNetpbm(Data("P6 1 1 255 ".utf8)))
        #expect(NetpbmImage.looksLikeNetpbm(Data("P2".utf8)))
        #expect(!NetpbmImage.looksLikeNetpbm(Data("P5x".utf8)))
        #expect(!NetpbmImage.looksLikeNetpbm(Data("P".utf8)))
    }

    @Test("a short binary file declaring the largest image reports truncation with the byte counts", arguments: [
        ("P6\n16384 16384\n255\n", 16_384 * 16_384 * 3, 0),
        ("P5\n16384 16384\n65535\nab", 16_384 * 16_384 * 2, 2),
    ])
    func truncatedBinary(header: String, expected: Int, available: Int) {
        #expect(throws: NetpbmError.truncated(expected: expected, available: available)) {
            try NetpbmImage(data: Data(header.utf8))
        }
    }

    @Test("a short ASCII file reports how many samples it has")
    func truncatedASCII() {
        #expect(throws: NetpbmError.truncated(expected: 16_384 * 16_384 * 3, available: 2)) {
            try NetpbmImage(data: Data("P3\n16384 16384\n255\n1 2".utf8))
        }
    }

    @Test("an ASCII sample that is not a number is named as such, not as a short file; trailing blanks and comments are a short file")
    func badASCIISample() {
        #expect(throws: NetpbmError.badSample(index: 3, byte: 17)) { try NetpbmImage(data: Data("P2\n4 4\n255\n1 2 3 x".utf8)) }
        #expect(throws: NetpbmError.truncated(expected: 16, available: 3)) { try NetpbmImage(data: Data("P2\n4 4\n255\n1 2 3 \n# end\n".utf8)) }
        #expect(NetpbmError.badSample(index: 3, byte: 17).description == "malformed PGM/PPM data: sample 3 (at byte 17) is not a number")
    }

    @Test("an image too large names its size in HxW order, as every shape in messages reads")
    func sizeInHxWOrder() {
        // Netpbm's header says width first; the message says rows first, like the map it becomes.
        #expect(throws: NetpbmError.malformed("image size 3x20000 (HxW) is outside 1...16384")) {
            try NetpbmImage(data: Data("P5\n20000 3\n255\n".utf8))
        }
    }

    @Test("binary and ASCII images still read, colour made planar")
    func reads() throws {
        var ppm = Data("P6\n2 1\n255\n".utf8)
        ppm.append(contentsOf: [255, 0, 0, 0, 255, 0])
        let colour = try NetpbmImage(data: ppm)
        #expect(colour.channels == 3 && colour.samples == [1, 0, 0, 1, 0, 0])
        let grey = try NetpbmImage(data: Data("P2 3 1 4 0 2 4".utf8))
        #expect(grey.samples == [0, 0.5, 1])
    }

    /// Inputs the fuzzer found crashing, kept in `FuzzTesting/FailCases/FuzzNetpbm` and replayed here.
    @Test("fuzzer fail cases give typed errors or images")
    func failCases() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("FuzzTesting/FailCases/FuzzNetpbm")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!names.isEmpty, "no fail cases in \(folder.path)")
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            if let image = try? NetpbmImage(data: data) {
                #expect(image.samples.count == image.width * image.height * image.channels, "\(name)")
            }
        }
    }
}
