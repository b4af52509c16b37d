import Foundation
import Testing

@Suite("dropblock stats, end to end")
struct StatsCommandTests {
    @Test("json has every field, one object per (preset, size, block, p)")
    func json() throws {
        let outcome = try Executable.run(["stats", "--network", "resnet50", "--image-size", "224", "--block-size", "3,7",
                                          "--preset", "dropblock", "--preset", "timm", "--samples", "50", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 4 * 2 * 2)
        for field in ["preset", "size", "block_size", "drop_prob", "stage", "gamma", "expected", "measured", "measured_se",
                      "calibrated_gamma", "whole_map_fraction", "blocks"] {
            #expect(objects.allSatisfy { JSONFields.isPresent(field, in: $0) }, "missing or null \(field)")
        }
        #expect(Set(objects.compactMap { $0["size"] as? String }) == ["56x56", "28x28", "14x14", "7x7"])
        #expect(objects.contains { ($0["stage"] as? String) == "conv5_x" && ($0["preset"] as? String) == "timm" && ($0["block_size"] as? Int) == 7 })
    }

    @Test("json rows for --size maps have every key too: stage is null")
    func jsonSizeRowsHaveStage() throws {
        let outcome = try Executable.run(["stats", "--size", "14x14", "--block-size", "3", "--samples", "0", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 5)
        #expect(objects.allSatisfy { $0.keys.contains("stage") && $0["stage"] is NSNull }, "\(objects.map(\.keys))")
    }

    @Test("csv parses, --samples 0 gives empty measured cells, default grid is 20 rows (five presets, four block sizes)")
    func csv() throws {
        let outcome = try Executable.run(["stats", "--samples", "0", "--format", "csv"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = lines[0].map(String.init)
        #expect(header.contains("measured") && header.contains("calibrated_gamma") && header.contains("whole_map_fraction"))
        #expect(lines.count == 21)
        let measured = try #require(header.firstIndex(of: "measured"))
        #expect(lines.dropFirst().allSatisfy { $0.count == header.count && $0[measured].isEmpty })
    }

    @Test("the table marks expectations more than 10% off p, and reports invalid presets")
    func table() throws {
        let outcome = try Executable.run(["stats", "--size", "7x7", "--size", "4x6", "--block-size", "7", "--samples", "0"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("0.93*"))
        // The tf row on the 4x6 map carries the library's error; the 7x7 row does not.
        let rows = outcome.stdout.split(separator: "\n").map(String.init)
        let tfRows = rows.filter { $0.hasPrefix("tf ") }
        #expect(tfRows.count == 2, "\(rows)")
        #expect(tfRows.contains { $0.contains("4x6") && $0.contains("error: the tf preset supports square maps only, got 4x6") }, "\(tfRows)")
        #expect(tfRows.contains { $0.contains("7x7") && !$0.contains("error") }, "\(tfRows)")
        #expect(outcome.stdout.contains("* expected differs from p by more than 10%"))
    }

    /// Round 21: at 7x7, block 7 and 200 draws, measured sat 5.6 se from expected with nothing to say why.
    @Test("an se resting on fewer than 30 expected seeds is marked ~ and explained; with enough draws it is not")
    func fewSeeds() throws {
        let few = try Executable.run(["stats", "--size", "7x7", "--block-size", "7", "--preset", "dropblock", "--samples", "200"])
        let fewRow = few.stdout.split(separator: "\n").first { $0.hasPrefix("dropblock ") }.map(String.init) ?? ""
        #expect(fewRow.contains("~"), "\(few.stdout)")
        #expect(few.stdout.contains("~ fewer than 30 seeds expected over all 200 draws"), "\(few.stdout)")
        // 0.1 seeds per map: 1000 draws expect 100, enough.
        let enough = try Executable.run(["stats", "--size", "7x7", "--block-size", "7", "--preset", "dropblock", "--samples", "1000"])
        #expect(enough.status == 0 && !enough.stdout.contains("~"), "\(enough.stdout)")
        let closedForm = try Executable.run(["stats", "--size", "7x7", "--block-size", "7", "--preset", "dropblock", "--samples", "0"])
        #expect(!closedForm.stdout.contains("~"), "no draws, no se to mark")
        // Scripts get the mark too: csv's last column and json's few_seeds.
        let csv = try Executable.run(["stats", "--size", "7x7", "--block-size", "7", "--preset", "dropblock", "--samples", "200", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").first?.hasSuffix(",few_seeds,block_note") == true
                && csv.stdout.split(separator: "\n").last?.hasSuffix(",true,blocks_clipped_at_the_map_edges") == true,
                "\(csv.stdout)")
        let json = try Executable.run(["stats", "--size", "7x7", "--block-size", "7", "--preset", "dropblock", "--samples", "1000", "--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["few_seeds"] as? Bool } == [false], "\(json.stdout)")
    }

    @Test("kerascv with a block one past the map: gamma inf (a JSON string), everything expected dropped")
    func kerascvInfiniteGamma() throws {
        let outcome = try Executable.run(["stats", "--preset", "kerascv", "--size", "7x7", "--block-size", "8", "--samples", "10",
                                          "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["gamma"] as? String == "inf" && row["expected"] as? Double == 1 && row["measured"] as? Double == 1, "\(row)")
    }

    /// Round 25: torchvision's block 7 on a 7x7 stage showed expected = p, like the best row,
    /// and nothing in stats said it was whole-channel dropout (the status line and `b` did).
    @Test("a block as large as the map: the table marks it ! and names what each preset does; csv and json carry block_note")
    func blockAsLargeAsTheMap() throws {
        let arguments = ["stats", "--size", "7x7", "--block-size", "3,7", "--preset", "torchvision,timm", "--samples", "0"]
        let table = try Executable.run(arguments)
        let rows = table.stdout.split(separator: "\n").filter { $0.hasPrefix("torchvision") || $0.hasPrefix("timm") }
        #expect(rows.count == 4 && rows.filter { $0.contains(" 7! ") }.count == 2 && rows.filter { $0.contains(" 3  ") }.count == 2, "\(table.stdout)")
        #expect(table.stdout.contains("! block as large as the map: torchvision: each seed drops its whole channel (SpatialDropout); "
                                      + "timm: blocks clipped at the map edges\n"), "\(table.stdout)")
        let json = try Executable.run(arguments + ["--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json.stdout)")
        let notes = objects.map { "\($0["preset"] ?? "") \($0["block_size"] ?? "") \($0["block_note"] is NSNull ? "-" : ($0["block_note"] as? String ?? "?"))" }
        #expect(notes == ["torchvision 3 -", "torchvision 7 each_seed_drops_its_whole_channel(SpatialDropout)", "timm 3 -",
                          "timm 7 blocks_clipped_at_the_map_edges"], "\(notes)")
        let csv = try Executable.run(arguments + ["--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasSuffix(",few_seeds,block_note") == true && lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 17 },
                "\(csv.stdout)")
        #expect(lines.last?.hasSuffix(",blocks_clipped_at_the_map_edges") == true, "\(csv.stdout)")
    }

    /// Round 24: `"calibrated_gamma": "unreachable"` put a string in a numeric field, and an
    /// error row said `few_seeds: false` about draws it never made.
    @Test("json: an unreachable calibrated gamma is null beside max_reachable; an error row's few_seeds is null")
    func jsonNulls() throws {
        // keras-cv's row bound in W leaves rows of a 9x4 map without seeds: at most 0.444 drops.
        let outcome = try Executable.run(["stats", "--preset", "kerascv,tf", "--size", "9x4", "--block-size", "3", "--drop-prob", "0.9",
                                          "--samples", "10", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]], "\(outcome.stdout)")
        let kerascv = try #require(rows.first { $0["preset"] as? String == "kerascv" })
        let tf = try #require(rows.first { $0["preset"] as? String == "tf" })
        #expect(kerascv["calibrated_gamma"] is NSNull && (kerascv["max_reachable"] as? Double).map { $0 < 0.9 } == true, "\(kerascv)")
        #expect(kerascv["few_seeds"] is Bool, "\(kerascv)")
        #expect(tf["error"] is String && tf["few_seeds"] is NSNull && tf["calibrated_gamma"] is NSNull, "\(tf)")
        let table = try Executable.run(["stats", "--preset", "kerascv", "--size", "9x4", "--block-size", "3", "--drop-prob", "0.9", "--samples", "10"])
        #expect(table.stdout.contains("unreachable(max "), "\(table.stdout)")
    }

    @Test("bad arguments: one-line error, exit 2")
    func badArguments() throws {
        // Each error must name what was wrong, not just be some usage error.
        for (arguments, mention) in [(["stats", "--size", "14"], "--size"), (["stats", "--block-size", "0"], "--block-size"),
                                     (["stats", "--drop-prob", "2"], "--drop-prob"), (["stats", "--preset", "keras"], "keras"),
                                     (["stats", "--network", "vgg"], "--network"), (["stats", "--format", "xml"], "xml"),
                                     (["stats", "--samples", "-1"], "--samples"), (["stats", "--threads", "0"], "--threads"),
                                     (["stats", "--threads", "257"], "--threads")] {
            let outcome = try Executable.run(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(mention), "\(arguments): \(outcome.stderr)")
        }
    }

    /// Rows are made on several threads, each put in its own place: the first row (a 96x96 map)
    /// costs about 150 times the others, so rows kept in the order they finish would move it.
    @Test("--threads 1, 2 and 3 give the same csv, byte for byte, in the requested order")
    func threadsGiveTheSameRows() throws {
        let arguments = ["stats", "--size", "96x96", "--size", "8x8", "--size", "5x9", "--preset", "dropblock,torchvision,timm",
                         "--block-size", "3,5", "--samples", "300", "--format", "csv"]
        let outputs = try ["1", "2", "3"].map { threads in
            let outcome = try Executable.run(arguments + ["--threads", threads])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return outcome.stdout
        }
        #expect(outputs[0].split(separator: "\n").count == 1 + 3 * 3 * 2)
        #expect(outputs[0].split(separator: "\n").dropFirst().prefix(6).allSatisfy { $0.contains(",96x96,") }, "\(outputs[0])")
        #expect(outputs[1] == outputs[0] && outputs[2] == outputs[0], "\(outputs)")
    }

    /// Round 26: `--size 3x3,1x1` was refused, where the other lists take commas.
    @Test("--size takes a comma-separated list, as the other lists do")
    func sizeList() throws {
        let outcome = try Executable.run(["stats", "--size", "3x3,1x1", "--size", "5x5", "--preset", "dropblock", "--block-size", "1",
                                          "--samples", "0", "--format", "csv"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let sizes = outcome.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        #expect(sizes == ["3x3", "1x1", "5x5"], "\(outcome.stdout)")
    }

    /// Verification round 16: with two sizes marked, dropblock stood under both notes.
    @Test("the note under the table names each size where the marked rows have several")
    func blockNotesBySize() throws {
        let outcome = try Executable.run(["stats", "--size", "3x3,1x1", "--block-size", "3", "--samples", "0"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("! block as large as the map: dropblock, timm at 3x3: blocks clipped at the map edges; "
                                        + "torchvision, tf, kerascv at 3x3 and dropblock, torchvision, timm, tf, kerascv at 1x1: each seed drops"),
                "\(outcome.stdout)")
    }
}
