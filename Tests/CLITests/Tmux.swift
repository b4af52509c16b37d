import Foundation

/// A private tmux server driving the real binary in a real pseudo-terminal.
struct Tmux {
    let server: String
    let scratch: Scratch

    init() throws {
        server = "dropblock-test-\(UUID().uuidString.prefix(8))"
        scratch = try Scratch()
    }

    /// Runs `tmux -S SOCKET ARGUMENTS` and returns what it printed. The socket lives in the
    /// scratch folder, so that `stop()` removes it (named servers left thousands of socket
    /// files in /tmp/tmux-UID).
    ///
    /// posix_spawn and waitpid, not Foundation's Process: the server tmux forks inherits
    /// the client's descriptors, and Process waits for pipes and children in ways that hang here.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let outputPath = scratch.path("tmux-out-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ["tmux", "-S", scratch.path("tmux-\(server)"), "-f", "/dev/null"] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        // A clean signal mask and a small, fixed environment: the pane must not inherit the test runner's.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let environment = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", "TERM=xterm-256color"]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for pointer in cEnvironment { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw TmuxError(message: "cannot start tmux: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Starts `dropblock arguments` in a `width x height` pane; afterwards the pane prints
    /// `EXIT=<status>` and the terminal modes, so tests can check the terminal was restored.
    /// With `limitKilobytes`, the command runs under that address-space limit (`ulimit -v`).
    func start(_ arguments: [String], width: Int = 120, height: Int = 40, environment: String = "TERM=tmux-256color LANG=C.UTF-8",
               limitKilobytes: Int? = nil) throws {
        // Double quotes: the whole script is one argument to the pane's shell.
        let quoted = ([Executable.url.path] + arguments).map { "\"\($0)\"" }.joined(separator: " ")
        let pidFile = scratch.path("pid")
        let limit = limitKilobytes.map { "ulimit -v \($0); " } ?? ""
        let script = """
            sh -c 'echo $$ > \(pidFile); \(limit)exec env SWIFT_BACKTRACE=interactive=no \(environment) \(quoted)'; \
            echo "EXIT=$?"; stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; sleep 60
            """
        try tmux(["new-session", "-d", "-x", String(width), "-y", String(height), script])
    }

    func capture() throws -> String { try tmux(["capture-pane", "-p"]) }

    /// The screen with its colours and attributes, as escape sequences.
    func captureEscapes() throws -> String { try tmux(["capture-pane", "-e", "-p"]) }

    func send(_ keys: String...) throws { try tmux(["send-keys"] + keys) }

    /// Polls the screen until `predicate` holds (instead of sleeping) and returns that screen.
    /// - Throws: `TmuxError` with the last screen if it does not hold within `timeout`, so a
    ///   wait that gives up fails the test instead of passing silently.
    @discardableResult
    func waitFor(timeout: TimeInterval = 15, line: Int = #line, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if predicate(screen) { return screen }
            usleep(20_000)
        }
        throw TmuxError(message: "tmux wait at line \(line) timed out after \(timeout)s; the screen was:\n\(screen)")
    }

    /// How the pane's command ended: its exit status and the terminal modes printed after it.
    struct Ending {
        /// What followed `EXIT=` (the shell's `$?`).
        let status: String
        /// `icanon echo` in cooked mode; `-icanon`, `-echo` if the program left the terminal raw.
        let modes: String
        let screen: String
    }

    /// Waits until the command has ended and the pane printed its exit status and modes.
    func waitForExit(timeout: TimeInterval = 15, line: Int = #line) throws -> Ending {
        var ending: Ending?
        try waitFor(timeout: timeout, line: line) { screen in
            ending = Self.ending(of: screen)
            return ending != nil
        }
        guard let ending else { throw TmuxError(message: "tmux wait at line \(line): no exit status") }
        return ending
    }

    static func ending(of screen: String) -> Ending? {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let index = lines.lastIndex(where: { $0.hasPrefix("EXIT=") }), index + 1 < lines.count else { return nil }
        let modes = lines[index + 1]
        guard modes.contains("icanon") && modes.contains("echo") else { return nil }
        return Ending(status: String(lines[index].dropFirst("EXIT=".count)), modes: modes, screen: screen)
    }

    var pid: Int32? {
        (try? String(contentsOfFile: scratch.path("pid"), encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func stop() {
        _ = try? tmux(["kill-server"])
        scratch.cleanup()
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
