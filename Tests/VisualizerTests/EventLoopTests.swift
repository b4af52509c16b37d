import DropBlock
import Testing
@testable import Visualizer

/// The event loop run against `TestBackend`: a scripted session of keys, clicks, resizes and
/// ticks, and the frames it paints. (The tmux tests run the same loop in a real terminal.)
@Suite("The event loop over an in-memory backend: key -> action -> frame -> paint")
struct EventLoopTests {
    let renderer = FrameRenderer(tier: .ascii)

    /// Runs the loop over `script` on a `width` by `height` screen.
    func run(_ script: [TestBackend.Input], width: Int = 80, height: Int = 24, model: VizModel? = nil) throws -> (backend: TestBackend, session: VizSession) {
        var session = VizSession(model: try model ?? Fixtures.model())
        var backend = TestBackend(width: width, height: height, script: script)
        EventLoop(renderer: renderer).run(&session, on: &backend)
        return (backend, session)
    }

    /// The value of status field `key` in `frame`.
    static func status(_ frame: Frame, _ key: String) -> String? {
        frame.plainText.split(whereSeparator: { $0 == " " || $0 == "\n" })
            .first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    @Test("each painted frame is the renderer's frame of the session after the same actions, unbound keys changing nothing")
    func framesFollowActions() throws {
        let script = TestBackend.keys("m+}#n]") + [.key("i"), .click(x: 20, y: 6), .key("i")] + TestBackend.keys("x")
        let (backend, _) = try run(script)
        var session = VizSession(model: try Fixtures.model())
        let screen = ScreenSize(width: 80, height: 24)
        var expected = [renderer.render(session.model, width: 80, height: 24)]
        for input in script {
            switch input {
            case .key(let key): if let action = KeyBindings.action(for: key) { session.apply(action, screen: screen) }
            case .click(let x, let y): session.apply(.click(x: x, y: y), screen: screen)
            case .tick, .resize: Issue.record("not in this script")
            }
            expected.append(renderer.render(session.model, width: 80, height: 24))
        }
        #expect(backend.frames.count == script.count + 1)
        #expect(backend.frames == expected)
        #expect(backend.restoreCount == 1)
    }

    /// Round 19: on a 64 MB sample the first `p` took 2 s with nothing on screen to say so.
    @Test("on a large sample the frame on screen is marked 'working...' while a key's action runs; not on a small one, nor for q or a tick")
    func busyMark() throws {
        let model = try Fixtures.model()
        let units = model.input.channels * model.input.spatial.reduce(1, *)
        func frames(busyUnits: Int, _ script: [TestBackend.Input]) -> [Frame] {
            var session = VizSession(model: model)
            var backend = TestBackend(width: 80, height: 24, script: script)
            EventLoop(renderer: renderer, busyUnits: busyUnits).run(&session, on: &backend)
            return backend.frames
        }
        let script: [TestBackend.Input] = [.key("m"), .key("#"), .tick, .key("q")]
        let small = frames(busyUnits: units + 1, script)
        #expect(small.count == 4 && !small.contains { $0.row(23).contains("working...") }, "\(small.map { $0.row(23) })")
        let large = frames(busyUnits: units, script)
        // The first frame, then the mark on it and the frame after m; # is unbound; the tick draws again; q quits.
        #expect(large.count == 5, "\(large.map { $0.row(23) })")
        #expect(large.count == 5 && large[1] == BusyMark.marked(large[0]) && large[1].row(23).hasSuffix(" working... "), "\(large.map { $0.row(23) })")
        #expect(large.count == 5 && large[2] == small[1] && !large[2].row(23).contains("working..."))
        #expect(BusyMark.marked(Frame(width: 5, height: 1)).row(0) == " work", "cut on a narrow screen, never outside it")
    }

    @Test("m changes the preset the status line shows")
    func presetKey() throws {
        let (backend, session) = try run(TestBackend.keys("m"))
        let before = try #require(Self.status(backend.frames[0], "preset"))
        let after = try #require(Self.status(backend.frames[1], "preset"))
        #expect(before != after)
        #expect(after == session.model.parameters.preset.rawValue)
    }

    @Test("a resize lays the next frame out for the new size")
    func resize() throws {
        let (backend, session) = try run([.resize(width: 120, height: 40), .resize(width: 60, height: 20)])
        #expect(backend.frames.map { [$0.width, $0.height] } == [[80, 24], [120, 40], [60, 20]])
        #expect(backend.frames[1] == renderer.render(session.model, width: 120, height: 40))
        #expect(backend.frames[2] == renderer.render(session.model, width: 60, height: 20))
    }

    @Test("autoplay waits a tick's time for keys, and each tick steps the schedule and draws again")
    func autoplayTicks() throws {
        let (backend, session) = try run([.key("a"), .tick, .tick, .key("a")])
        #expect(backend.waits == [nil, EventLoop.tickMilliseconds, EventLoop.tickMilliseconds, EventLoop.tickMilliseconds, nil])
        let steps = backend.frames.map { Self.status($0, "step") }
        let draws = backend.frames.map { Self.status($0, "draw") }
        #expect(steps[1] == steps[0] && steps[2] != steps[1] && steps[3] != steps[2] && steps[4] == steps[3], "\(steps)")
        #expect(draws == ["0", "0", "1", "2", "2"])
        #expect(!session.model.autoplay)
    }

    @Test("q ends the loop at once and restores the terminal; the rest of the input is not read")
    func quit() throws {
        let (backend, _) = try run(TestBackend.keys("q") + TestBackend.keys("mm"))
        #expect(backend.frames.count == 1)
        #expect(backend.script == TestBackend.keys("mm"))
        #expect(backend.restoreCount == 1)
    }

    @Test("the end of input ends the loop and restores the terminal too")
    func endOfInput() throws {
        let (backend, _) = try run(TestBackend.keys("mm"))
        #expect(backend.frames.count == 3 && backend.script.isEmpty)
        #expect(backend.restoreCount == 1)
    }

    @Test("mouse clicks are reported in seed mode only")
    func mouseInSeedMode() throws {
        let (backend, _) = try run(TestBackend.keys("i"))
        #expect(backend.mouseReporting && backend.mouseSwitches == 1)
        let (left, _) = try run(TestBackend.keys("ii"))
        #expect(!left.mouseReporting && left.mouseSwitches == 2)
        let (never, _) = try run(TestBackend.keys("mn"))
        #expect(never.mouseSwitches == 0)
    }
}
