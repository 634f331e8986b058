import Foundation
import Testing
import TestSupport

/// `blocktop sweep` and `blocktop scale` as users run them: a warm-up, then rounds in alternating
/// order, headless (progress lines, table, JSON) and in the dashboard (tmux).
@Suite(.serialized, .tags(.binary)) struct SweepEndToEndTests {
    static let small = "x = random((400, 400), seed=1); (x @ x.T).sum()"

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The setting named in each progress line on stderr ("blocktop: round 1/2: block size 50, 64 tasks"), in order.
    func progress(_ stderr: String, prefix: String) -> [(phase: String, setting: Int)] {
        stderr.split(separator: "\n").compactMap { line in
            guard let match = line.firstMatch(of: #/^blocktop: (warm-up \(not counted\)|round \d+/\d+): [^0-9]*(\d+)/#) else { return nil }
            return line.contains(prefix) ? (String(match.1), Int(match.2)!) : nil
        }
    }

    /// warm-up + 2 rounds × 3 sizes = 7 runs, the second round in reverse, in the progress lines and the JSON alike.
    @Test func aHeadlessSweepRunsAWarmUpThenAlternatingRounds() throws {
        let outcome = try Blocktop.run(["sweep", "--headless", "--json", "--repeat", "2", "--chunks", "50,100,200",
                                        "--workers", "2", Self.small])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let order = [50, 50, 100, 200, 200, 100, 50]
        let lines = progress(outcome.stderr, prefix: "block size")
        #expect(lines.map(\.setting) == order, "\(outcome.stderr)")
        #expect(lines.map(\.phase) == ["warm-up (not counted)"] + Array(repeating: "round 1/2", count: 3)
                + Array(repeating: "round 2/2", count: 3))
        let report = try json(outcome.stdout)
        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.compactMap { $0["block_size"] as? Int } == order)
        #expect(runs.compactMap { $0["round"] as? Int } == [0, 1, 1, 1, 2, 2, 2])
        let settings = try #require(report["settings"] as? [[String: Any]])
        #expect(settings.compactMap { $0["block_size"] as? Int } == [50, 100, 200])
        for entry in settings {
            let (low, middle, high) = (entry["min_seconds"] as? Double ?? -1, entry["median_seconds"] as? Double ?? -1,
                                       entry["max_seconds"] as? Double ?? -1)
            #expect(entry["runs"] as? Int == 2 && 0 < low && low <= middle && middle <= high, "\(entry)")
        }
        let tied = try #require(report["tied"] as? [Int])
        switch report["verdict"] as? String {
        case "best": #expect([50, 100, 200].contains(report["best"] as? Int ?? 0) && tied.isEmpty)
        case "tie": #expect(report["best"] is NSNull && tied.count >= 2)
        case let other: Issue.record("verdict \(String(describing: other)) after two runs of each size")
        }
    }

    @Test func theTableShowsTheMedianAndRangeOfEachSizeAndTheVerdict() throws {
        let outcome = try Blocktop.run(["sweep", "--headless", "--repeat", "3", "--chunks", "50,100", "--workers", "2", Self.small])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // Besides a note for each run other processes disturbed (this machine is shared).
        let lines = outcome.stdout.split(separator: "\n").filter { !$0.contains("disturbed") }.map(String.init)
        #expect(lines.count == 1 + 1 + 2 + 2, "\(outcome.stdout)")
        #expect(lines[0].hasPrefix("warm-up (not counted): block size 50 in "))
        #expect(lines[1].hasPrefix("  block  runs   median        min-max   GFLOP/s"))
        for (line, size) in zip(lines[2...3], [50, 100]) {
            #expect(line.contains(try Regex(#"^ +\#(size) +3 +[0-9.]+s +[0-9.]+-[0-9.]+s +[0-9.]+ +█"#)), "\(line)")
        }
        #expect(lines[4].hasPrefix("best block size: ") || lines[4] == "block sizes 50 and 100 tie (ranges overlap)"
                || lines[4] == "block sizes 100 and 50 tie (ranges overlap)", "\(lines[4])")
        #expect(lines[5] == "results agree across block sizes")
    }

    @Test func oneRunEachNamesTheFastestAsFromSingleRuns() throws {
        let outcome = try Blocktop.run(["sweep", "--headless", "--repeat", "1", "--chunks", "50,100", "--workers", "2", Self.small])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(progress(outcome.stderr, prefix: "block size").map(\.setting) == [50, 50, 100])
        #expect(outcome.stdout.contains(#/\nbest block size: (50|100) \([0-9.]+ s\), from single runs: no spread to judge by\n/#),
                "\(outcome.stdout)")
    }

    @Test func aHeadlessScaleAlternatesWorkerCounts() throws {
        let outcome = try Blocktop.run(["scale", "--headless", "--json", "--repeat", "2", "--workers-list", "1,2",
                                        "random((300, 300), chunks=100).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(progress(outcome.stderr, prefix: "worker").map(\.setting) == [1, 1, 2, 2, 1], "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.compactMap { $0["workers"] as? Int } == [1, 1, 2, 2, 1])
        let settings = try #require(report["settings"] as? [[String: Any]])
        #expect(settings.compactMap { $0["runs"] as? Int } == [2, 2])
        #expect(settings.first?["speedup"] as? Double == 1)
        let low = try #require(settings.last?["speedup_min"] as? Double), high = try #require(settings.last?["speedup_max"] as? Double)
        let speedup = try #require(settings.last?["speedup"] as? Double)
        #expect(low <= speedup && speedup <= high)
    }

    /// Four sizes at 80×24, the smallest screen: each has its row with median and range, the title
    /// says the rounds, the bottom edge the verdict; after q the table.
    @Test(.enabled(if: Tmux.available, "needs tmux (`make deps` installs it)"))
    func aSweepRunsEachSizeInTheDashboardAndPrintsTheTable() throws {
        let tmux = try Tmux(arguments: "sweep --chunks 50,100,200,400 --repeat 2 --workers 2 '\(Self.small)'", width: 80, height: 24)
        defer { tmux.kill() }
        try tmux.waitFor("block size sweep")
        let screen = try tmux.waitForScreen("the sweep's two rounds done", seconds: 60) { $0.contains("block size sweep · 2 rounds") }
        for size in [50, 100, 200, 400] {
            #expect(screen.contains(try Regex(#"│ \#(size) +[0-9.]+s +[0-9.]+s-[0-9.]+s +[0-9.]+ "#)), "\(size) in\n\(screen)")
        }
        #expect(screen.contains("│ block  median      min-max  GFLOP/s "))
        #expect(screen.contains(#/╰─ (best: block size \d+|block sizes [0-9, ]+ and \d+ tie) ─/#), "\(screen)")
        #expect(!screen.contains("EXIT="))  // stays until q
        // Room for the table and any notes of runs that other processes disturbed.
        tmux.resize(width: 120, height: 50)
        tmux.send("q")
        try tmux.waitFor("EXIT=0 restored")
        let after = tmux.capture()
        #expect(after.contains("warm-up (not counted): block size 50 in "))
        #expect(after.contains(#/\n +400 +2 +[0-9.]+s/#))
    }
}
