import Foundation
@testable import NumpyIO
import Testing

/// Hostile headers (several found by fuzzing `FuzzNPY`): each must give a typed error, never
/// a trap or an allocation the file's bytes do not back.
@Suite(".npy hostile headers")
struct NPYHostileTests {
    /// A version `major`.0 file with `dict` as its header and `payload` after it.
    func file(_ dict: String, major: UInt8 = 1, payload: [UInt8] = []) -> Data {
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0])
        let text = Array(dict.utf8)
        if major == 1 {
            data.append(contentsOf: [UInt8(text.count & 0xFF), UInt8(text.count >> 8)])
        } else {
            data.append(contentsOf: (0..<4).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) })
        }
        data.append(contentsOf: text)
        data.append(contentsOf: payload)
        return data
    }

    @Test("an empty Fortran-order array with huge other extents is refused, not a trap while computing strides")
    func emptyFortranWithHugeExtents() {
        let hostile = file("{'descr': '<f4', 'fortran_order': True, 'shape': (0, 4611686018427387904, 4611686018427387904), }")
        #expect(throws: NPYError.invalidShape("(0, 4611686018427387904, 4611686018427387904) is too large")) {
            try NPYArray(data: hostile)
        }
    }

    @Test("a non-zero product past Int.max is refused whatever the order of the zero extent", arguments: [
        "(3037000500, 3037000500, 0)", "(0, 3037000500, 3037000500)", "(9223372036854775807, 2, 0)",
    ])
    func overflowBesideZero(shape: String) {
        #expect {
            try NPYArray(data: file("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"))
        } throws: { error in
            guard case NPYError.invalidShape(let text) = error else { return false }
            return text.hasSuffix("is too large")
        }
    }

    @Test("empty arrays with ordinary extents still read, in both orders", arguments: [false, true])
    func emptyArraysRead(fortran: Bool) throws {
        let order = fortran ? "True" : "False"
        let array = try NPYArray(data: file("{'descr': '<f8', 'fortran_order': \(order), 'shape': (3, 0, 1000000), }"))
        #expect(array.shape == [3, 0, 1_000_000])
        #expect(array.values.isEmpty)
    }

    @Test("the element count bound is 8 bytes per element, whatever the dtype")
    func elementCountBound() throws {
        // 2^60 eight-byte elements is 2^63 bytes: one past Int.max.
        #expect(throws: NPYError.invalidShape("(1152921504606846976,) is too large")) {
            try NPYReader.elementCount([1 << 60])
        }
        #expect(try NPYReader.elementCount([1 << 59]) == 1 << 59)
        #expect(try NPYReader.elementCount([0, 1 << 58, 3]) == 0)
        #expect(throws: NPYError.self) { try NPYReader.elementCount([0, 1 << 62, 7]) }
        #expect(try NPYReader.elementCount([]) == 1)
    }

    @Test("an empty array of a narrow dtype is accepted only if it reads back after it is written as float32", arguments: ["<f2", "|u1", "<f4"])
    func narrowEmptyRoundTrip(descr: String) throws {
        // Found by FuzzNPY: 2 bytes x these extents fit in Int, 4 bytes do not, so the reader
        // accepted a float16 array and then refused what the writer made of it.
        #expect(throws: NPYError.invalidShape("(0, 37203685417750, 80732) is too large")) {
            try NPYArray(data: file("{'descr': '\(descr)', 'fortran_order': True, 'shape': (0, 37203685417750, 80732), }"))
        }
        let array = try NPYArray(data: file("{'descr': '\(descr)', 'fortran_order': True, 'shape': (0, 576460752303423488), }"))
        #expect(try NPYArray(data: array.encoded()).shape == [0, 1 << 59])
    }

    @Test("shapes too large at 8 bytes per element are refused for every dtype", arguments: ["|u1", "<f2", "<f4", "<f8"])
    func tooLargeForEveryDType(descr: String) {
        #expect(throws: NPYError.invalidShape("(0, 1152921504606846976) is too large")) {
            try NPYArray(data: file("{'descr': '\(descr)', 'fortran_order': False, 'shape': (0, 1152921504606846976), }"))
        }
    }

    @Test("a header longer than NumPy's 10000-byte limit is refused before it is decoded", arguments: [UInt8(2), 3])
    func headerTooLarge(major: UInt8) {
        // A valid dictionary padded as NumPy pads it: readable but for its length.
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }"
        let padded = dict + String(repeating: " ", count: 10_001 - dict.utf8.count - 1) + "\n"
        #expect(throws: NPYError.headerTooLarge(length: 10_001, limit: 10_000)) {
            try NPYArray(data: file(padded, major: major, payload: [0, 0, 0x80, 0x3F]))
        }
        // Exactly at the limit it still reads.
        let atLimit = dict + String(repeating: " ", count: 10_000 - dict.utf8.count - 1) + "\n"
        #expect((try? NPYArray(data: file(atLimit, major: major, payload: [0, 0, 0x80, 0x3F])))?.values == [1])
    }

    @Test("a huge header length field is refused by the limit before the truncation check")
    func hugeHeaderLengthField() {
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        data.append(contentsOf: Array("{}".utf8))
        #expect(throws: NPYError.headerTooLarge(length: 0xFFFF_FFFF, limit: 10_000)) { try NPYArray(data: data) }
    }

    /// Inputs the fuzzer found crashing, kept in `FuzzTesting/FailCases/FuzzNPY` and replayed here.
    @Test("fuzzer fail cases give typed errors or arrays")
    func failCases() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("FuzzTesting/FailCases/FuzzNPY")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!names.isEmpty, "no fail cases in \(folder.path)")
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            do {
                let array = try NPYArray(data: data)
                #expect(array.values.count == array.shape.reduce(1, *), "\(name)")
            } catch {
                // Any typed error is the right outcome; reaching here means no trap.
            }
        }
    }
}
