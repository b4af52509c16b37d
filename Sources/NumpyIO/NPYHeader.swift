import Foundation

/// The three fields of a `.npy` header dictionary.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// Parses the Python-literal dict `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
    static func parse(_ text: String) throws(NPYError) -> NPYHeader {
        var scanner = LiteralScanner(text: Array(text.unicodeScalars))
        var descr: String?, fortran: Bool?, shape: [Int]?
        try scanner.expect("{")
        while true {
            scanner.skipSpace()
            if scanner.consume("}") { break }
            let key = try scanner.string()
            try scanner.expect(":")
            switch key {
            case "descr":
                scanner.skipSpace()
                guard scanner.peek == "'" || scanner.peek == "\"" else {
                    throw .unsupportedDType("structured dtype")
                }
                descr = try scanner.string()
            case "fortran_order":
                fortran = try scanner.boolean()
            case "shape":
                shape = try scanner.tuple()
            default:
                throw .malformedHeader("unexpected key '\(key)'")
            }
            scanner.skipSpace()
            if scanner.consume(",") { continue }
            try scanner.expect("}")
            break
        }
        guard let descr else { throw .malformedHeader("missing 'descr'") }
        guard let fortran else { throw .malformedHeader("missing 'fortran_order'") }
        guard let shape else { throw .malformedHeader("missing 'shape'") }
        return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }
}

/// A cursor over the header's Python literal.
private struct LiteralScanner {
    let text: [Unicode.Scalar]
    var index = 0

    var peek: Unicode.Scalar? { index < text.count ? text[index] : nil }

    mutating func skipSpace() {
        while let c = peek, c == " " || c == "\n" || c == "\t" || c == "\r" { index += 1 }
    }

    mutating func consume(_ c: Unicode.Scalar) -> Bool {
        skipSpace()
        if peek == c { index += 1; return true }
        return false
    }

    mutating func expect(_ c: Unicode.Scalar) throws(NPYError) {
        guard consume(c) else { throw .malformedHeader("expected '\(c)' at offset \(index)") }
    }

    mutating func string() throws(NPYError) -> String {
        skipSpace()
        guard let quote = peek, quote == "'" || quote == "\"" else { throw .malformedHeader("expected a string at offset \(index)") }
        index += 1
        var result = ""
        while let c = peek, c != quote {
            result.unicodeScalars.append(c)
            index += 1
        }
        guard peek == quote else { throw .malformedHeader("unterminated string") }
        index += 1
        return result
    }

    mutating func boolean() throws(NPYError) -> Bool {
        skipSpace()
        for (word, value) in [("True", true), ("False", false)] {
            let scalars = Array(word.unicodeScalars)
            if index + scalars.count <= text.count, Array(text[index..<(index + scalars.count)]) == scalars {
                index += scalars.count
                return value
            }
        }
        throw .malformedHeader("fortran_order must be True or False")
    }

    mutating func tuple() throws(NPYError) -> [Int] {
        try expect("(")
        var values: [Int] = []
        while true {
            skipSpace()
            if consume(")") { return values }
            var digits = ""
            while let c = peek, c == "-" || c == "+" || c == "." || c == "e" || c == "L" || ("0"..."9").contains(c) {
                digits.unicodeScalars.append(c)
                index += 1
            }
            if digits.hasSuffix("L") { digits.removeLast() }
            guard let value = Int(digits), value >= 0 else {
                throw .invalidShape("dimension '\(digits.isEmpty ? String(peek.map(Character.init) ?? " ") : digits)' is not a non-negative integer")
            }
            values.append(value)
            skipSpace()
            if consume(",") { continue }
            try expect(")")
            return values
        }
    }
}
