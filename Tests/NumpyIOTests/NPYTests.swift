import Foundation
import NumpyIO
import Testing

/// Files written by NumPy 2.4 (`Fixtures/`), plus hand-made corrupt ones.
@Suite(".npy reading and writing")
struct NPYTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func load(_ name: String) throws -> NPYArray {
        try NPYArray(contentsOf: Self.fixtures.appendingPathComponent(name).path)
    }

    @Test("float16/32/64, both byte orders", arguments: ["f2_le", "f2_be", "f4_le", "f4_be", "f8_le", "f8_be"])
    func floats(name: String) throws {
        let array = try load("real_\(name).npy")
        #expect(array.shape == [2, 3])
        #expect(array.values == [1.5, -2.0, 3.25, 0.0, 7.0, -0.5])
    }

    @Test("signed integers, both byte orders", arguments: ["i1_le", "i2_le", "i2_be", "i4_le", "i4_be", "i8_le", "i8_be"])
    func signed(name: String) throws {
        let array = try load("int_\(name).npy")
        #expect(array.values == [1, -2, 3, 0, 127, -128])
    }

    @Test("unsigned integers and bool", arguments: ["uint_u1.npy", "uint_u2.npy", "uint_u4.npy", "uint_u8.npy"])
    func unsigned(name: String) throws {
        #expect(try load(name).values == [1, 2, 3, 0, 255, 200])
    }

    @Test func bool() throws {
        #expect(try load("bool.npy").values == [1, 0, 1, 0, 0, 1])
    }

    @Test("Fortran order is returned in C order")
    func fortranOrder() throws {
        let array = try load("fortran_f4.npy")
        #expect(array.shape == [2, 3, 4])
        #expect(array.values == (0..<24).map(Float.init))
    }

    @Test("format versions 2.0 and 3.0", arguments: ["v2_f4.npy", "v3_f4.npy"])
    func versions(name: String) throws {
        let array = try load(name)
        #expect(array.shape == [2, 3] && array.values == [0, 1, 2, 3, 4, 5])
    }

    @Test func scalarAndEmpty() throws {
        #expect(try load("scalar_f8.npy").shape == [] && load("scalar_f8.npy").values == [2.5])
        #expect(try load("empty_f4.npy").shape == [0, 3])
    }

    @Test("unsupported dtypes are refused", arguments: ["complex.npy", "object.npy", "unicode.npy", "structured.npy"])
    func unsupported(name: String) {
        #expect {
            _ = try load(name)
        } throws: { error in
            guard case NPYError.unsupportedDType = error else { return false }
            return true
        }
    }

    @Test("round trip through float32 C order, readable by the header rules NumPy writes")
    func roundTrip() throws {
        let array = NPYArray(shape: [2, 1, 3, 2], values: (0..<12).map { Float($0) * 0.25 - 1 })
        let data = array.encoded()
        // The data starts on a 64-byte boundary and the header ends with a newline.
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(data[10 + headerLength - 1] == 0x0A)
        let back = try NPYArray(data: data)
        #expect(back == array)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try array.write(to: path)
        #expect(try NPYArray(contentsOf: path) == array)
    }

    // MARK: - Corrupt input

    func header(_ dict: String, version: UInt8 = 1) -> Data {
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0])
        let text = Array(dict.utf8)
        data.append(contentsOf: [UInt8(text.count & 0xFF), UInt8(text.count >> 8)])
        data.append(contentsOf: text)
        return data
    }

    @Test func badMagic() {
        #expect(throws: NPYError.badMagic) { try NPYArray(data: Data("PK\u{3}\u{4}not numpy".utf8)) }
        #expect(throws: NPYError.badMagic) { try NPYArray(data: Data()) }
    }

    @Test func truncatedHeader() {
        #expect(throws: NPYError.truncatedHeader) { try NPYArray(data: Data([0x93, 0x4E, 0x55, 0x4D, 0x50])) }
        var data = header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }")
        data.removeLast(10)
        #expect(throws: NPYError.truncatedHeader) { try NPYArray(data: data) }
    }

    @Test func unsupportedVersion() {
        #expect(throws: NPYError.unsupportedVersion(major: 9, minor: 0)) {
            try NPYArray(data: header("{}", version: 9))
        }
    }

    @Test("a shape implying more bytes than the file has is refused before allocating")
    func shapeLargerThanFile() {
        var data = header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000000), }")
        data.append(contentsOf: [UInt8](repeating: 0, count: 16))
        #expect(throws: NPYError.truncatedData(expectedBytes: 8_000_000_000_000_000, availableBytes: 16)) { try NPYArray(data: data) }
        var overflow = header("{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 4), }")
        overflow.append(0)
        #expect(throws: NPYError.self) { try NPYArray(data: overflow) }
    }

    @Test("truncated data")
    func truncatedData() throws {
        var data = NPYArray(shape: [4], values: [1, 2, 3, 4]).encoded()
        data.removeLast(3)
        #expect(throws: NPYError.truncatedData(expectedBytes: 16, availableBytes: 13)) { try NPYArray(data: data) }
    }

    @Test("negative or non-integer dimensions", arguments: ["(-1, 3)", "(2.5, 3)", "('a',)"])
    func badShapes(shape: String) {
        #expect {
            try NPYArray(data: header("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"))
        } throws: { error in
            guard case NPYError.invalidShape = error else { return false }
            return true
        }
    }

    @Test("malformed header dictionaries", arguments: [
        "not a dict", "{'descr': '<f4', 'shape': (1,), }", "{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,)}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "{'descr: '<f4'",
    ])
    func malformed(dict: String) {
        #expect {
            try NPYArray(data: header(dict))
        } throws: { error in
            guard case NPYError.malformedHeader = error else { return false }
            return true
        }
    }

    @Test("missing file gives an I/O error naming it")
    func missingFile() {
        #expect {
            try NPYArray(contentsOf: "/nonexistent/dir/x.npy")
        } throws: { error in
            guard case NPYError.io(let message) = error else { return false }
            return message.contains("/nonexistent/dir/x.npy")
        }
    }
}
