import ArgumentParser
import DropBlock
import Foundation
import Netpbm
import NumpyIO

/// Runs the root command with this project's exit-status convention:
/// 0 success, 1 runtime error (bad file, bad data), 2 usage error; one `error:` line on stderr.
enum Entry {
    static func main() {
        let arguments = joinDashValues(splitEmptyValues(Array(CommandLine.arguments.dropFirst())))
        do {
            try checkKeysValue(arguments)
            var command = try DropblockCommand.parseAsRoot(arguments)
            try command.run()
        } catch let error as CLIError {
            fail(error.description, status: 1)
        } catch let error as UsageError {
            fail(error.description, status: 2)
        } catch let error as DropBlockError {
            fail(error.description, status: 1)
        } catch let error as NPYError {
            fail(error.description, status: 1)
        } catch let error as NetpbmError {
            fail(error.description, status: 1)
        } catch {
            let code = DropblockCommand.exitCode(for: error)
            if code == .success {
                // --help and --version print their text and succeed.
                print(DropblockCommand.fullMessage(for: error))
                exit(0)
            }
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
            // One line: a list of allowed values that the parser puts on further lines joins the first.
            let message = DropblockCommand.message(for: error)
                .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .joined(separator: " ")
            fail(message.replacingOccurrences(of: "Error: ", with: ""), status: 2)
        }
    }

    /// `--keys --` means "press minus twice", but a bare `--` ends the options for the parser;
    /// joining it to its option (`--keys=--`) keeps the user's meaning wherever it stands.
    static func joinDashValues(_ arguments: [String]) -> [String] {
        var joined: [String] = []
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--keys", index + 1 < arguments.count, arguments[index + 1] == "--" {
                joined.append("--keys=--")
                index += 2
            } else {
                joined.append(arguments[index])
                index += 1
            }
        }
        return joined
    }

    /// `--keys --width 80` (keys forgotten) pressed `--width` and read `80` as the input file,
    /// then said only that no file `80` exists. A detached value that reads as a long option
    /// is refused with the way to write either meaning; `--keys=--width` still presses those keys.
    static func checkKeysValue(_ arguments: [String]) throws(UsageError) {
        for (option, value) in zip(arguments, arguments.dropFirst()) {
            // After a bare `--` every argument is positional.
            if option == "--" { return }
            let name = value.dropFirst(2)
            // `-o`, render's one short option with a value, too (verification round: `--keys -o
            // f.png` read f.png as the input).
            let longOption = value.hasPrefix("--") && name.count >= 2 && name.first?.isLetter == true
                && name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
            guard option == "--keys", longOption || value == "-o" else { continue }
            throw UsageError("--keys took '\(value)' as its keys, which reads as an option: give --keys its keys first "
                             + "(--keys 'tt' \(value) ...), or write --keys=\(value) to press those keys")
        }
    }

    /// `--keys=` (an empty value, as `--keys=''` reaches us) is read by the parser as `--keys`
    /// alone, which then takes the next argument as its value: `--keys='' --width 80` pressed
    /// `--width` and read `80` as the input file. Given apart, the empty value stays empty.
    static func splitEmptyValues(_ arguments: [String]) -> [String] {
        var split: [String] = []
        var positional = false
        for argument in arguments {
            if !positional, argument.count > 3, argument.hasPrefix("--"), argument.hasSuffix("="), !argument.dropLast().contains("=") {
                split += [String(argument.dropLast()), ""]
            } else {
                split.append(argument)
            }
            // After a bare `--` every argument is positional, kept as it is.
            positional = positional || argument == "--"
        }
        return split
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(status)
    }
}
