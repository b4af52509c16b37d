import Foundation
import Testing

/// The benchmark runs and reports every field; it asserts nothing about speed.
@Suite("dropblock bench, end to end")
struct BenchCommandTests {
    @Test("--json prints one object per row with every field, plus the frame benchmark")
    func json() throws {
        let outcome = try Executable.run(["bench", "--case", "small", "--case", "frame", "--repeat", "1", "--json"], timeout: 120)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let objects = try outcome.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let rows = objects.filter { ($0["case"] as? String) == "small" }
        #expect(rows.count == 5 * 2, "five presets, in place and out of place")
        #expect(rows.contains { ($0["preset"] as? String) == "kerascv" })
        for field in ["case", "shape", "block_size", "preset", "mode", "threads", "median_ms", "melem_per_s", "floor_melem_per_s", "peak_rss_mb"] {
            #expect(rows.allSatisfy { JSONFields.isPresent(field, in: $0) }, "missing or null \(field)")
        }
        #expect(Set(rows.compactMap { $0["mode"] as? String }) == ["inplace", "out-of-place"])
        let frames = objects.filter { ($0["case"] as? String) == "frame" }
        #expect(frames.compactMap { $0["view"] as? String } == ["main", "grid", "presets", "stages", "walk-through", "zoom", "main+x+v+d", "stages+v"])
        for field in ["shape", "input", "median_ms", "peak_rss_mb"] {
            #expect(frames.allSatisfy { JSONFields.isPresent(field, in: $0) }, "missing or null \(field)")
        }
    }

    /// A column mixed `1.01e+04` with `9611`, which read as the smaller (new-user round 17).
    @Test("the text table prints rates as plain numbers, each row with its own floor, and no trailing spaces")
    func textTable() throws {
        let outcome = try Executable.run(["bench", "--case", "small", "--preset", "dropblock", "--repeat", "1"], timeout: 120)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("case") == true && lines.count == 3, "\(lines)")
        for line in lines {
            #expect(!line.contains("e+") && line.last != " ", "\(line)")
        }
        for row in lines.dropFirst() {
            // Melem/s over floor_Melem/s is x_floor, to its two decimals.
            let fields = row.split(separator: " ").map(String.init)
            let (rate, floor, ratio) = (try #require(Double(fields[7])), try #require(Double(fields[8])), try #require(Double(fields[9])))
            #expect(abs(rate / floor - ratio) <= 0.006, "\(row)")
        }
    }

    @Test("--case io runs a copy, apply and render on the same 103 MB tensor (.npy, .safetensors, .npz) in child processes and reports their peak memory")
    func io() throws {
        let outcome = try Executable.run(["bench", "--case", "io", "--repeat", "1", "--json"], timeout: 300)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try outcome.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(rows.compactMap { $0["mode"] as? String } == ["copy", "apply", "render", "apply", "render", "apply", "render"])
        #expect(rows.compactMap { $0["input"] as? String } == ["npy", "npy", "npy", "safetensors", "safetensors", "npz", "npz"])
        for row in rows {
            let file = try #require(row["file_mb"] as? Double), peak = try #require(row["peak_rss_mb"] as? Double)
            #expect(file > 100 && file < 110)
            // A child's own peak: more than nothing, and not the parent's (which held the whole tensor).
            #expect(peak > 1 && (row["mode"] as? String != "copy" || peak < file), "\(row)")
            #expect(row["median_ms"] as? Double != nil && row["x_copy"] as? Double != nil && row["cpu_ms"] as? Double != nil)
        }
    }

    @Test("bad arguments are usage errors")
    func badArguments() throws {
        for (arguments, mention) in [(["bench", "--case", "huge"], "huge"), (["bench", "--repeat", "0"], "--repeat"),
                                     (["bench", "--block-size", "0"], "--block-size"), (["bench", "--block-size", "100001"], "--block-size")] {
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 2 && outcome.stderr.hasPrefix("error: "), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(mention) && outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
        }
    }

    @Test("a preset named with --preset that cannot run a case's rank says so on stderr")
    func skippedPresetIsNamed() throws {
        let outcome = try Executable.run(["bench", "--case", "vol3d", "--preset", "kerascv", "--preset", "dropblock", "--repeat", "1"], timeout: 120)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("note: kerascv runs 2D input only: no vol3d rows"), "\(outcome.stderr)")
        #expect(outcome.stdout.contains("dropblock") && !outcome.stdout.contains("kerascv"))
    }
}
