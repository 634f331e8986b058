import Foundation
import RunSources
import Runs
import RunVocabulary
import Testing
import Tuning

func parse(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct TuningReportTests {
    /// The rows of a series of `text` run through the local backend headless, as `blocktop sweep`
    /// and `scale` make them: a warm-up of the first setting, then `repeats` rounds, every other one reversed.
    func rows(_ text: String, kind: TuningKind, _ settings: [RunSettings], repeats: Int = 1) throws -> [TuningRow] {
        let computation = Computation(title: text, text: text, defaultBlockSize: 100, seed: 3)
        let plan = TuningPlan(kind: kind, settings: settings, repeats: repeats)
        return try TuningSeries(backend: LocalBackend(), computation: computation, plan: plan)
            .runHeadless(progress: false, say: { _ in }, interruption: { 0 }).rows
    }

    func sweep(repeats: Int) throws -> [TuningRow] {
        try rows("x = random((200, 200)); (x @ x.T).sum()", kind: .blockSizes,
                 [25, 50, 100].map { RunSettings(blockSize: $0, workers: 2) }, repeats: repeats)
    }

    /// A finished row of `setting` that computed `value`.
    func row(_ setting: Int, value: Double) -> TuningRow {
        TuningRow(setting: setting, round: 1, outcome: .done, wallSeconds: 1, cpuPercent: 100, flops: 0, tasks: 1, peakHeldBytes: 0, value: value)
    }

    @Test func aSweepTableHasARowPerSizeWithItsMedianAndRange() throws {
        let sweep = try sweep(repeats: 2)
        #expect(TuningReport.resultsAgree(sweep))
        #expect(Set(sweep.map(\.tasks)).count == 3, "block size changes the task count")
        let table = TuningReport.sweepTable(sweep)
        // Besides a note for each run other processes disturbed (this machine is shared), and one
        // when noise made two workers more than twice as fast.
        let lines = table.split(separator: "\n").filter { !$0.contains("disturbed") && $0 != TuningReport.superlinearNote }.map(String.init)
        #expect(lines.count == 1 + 1 + 3 + 2)
        #expect(lines[0].hasPrefix("warm-up (not counted): block size 25 in "))
        #expect(lines[1].hasPrefix("  block  runs   median        min-max   GFLOP/s "))
        let comparison = TuningReport.comparison(sweep)
        for (line, size) in zip(lines[2...4], [25, 50, 100]) {
            let statistics = try #require(comparison.statistics(of: size))
            #expect(statistics.runs == 2)
            #expect(line.hasPrefix(String(format: "%7d     2", size)), "\(line)")
            #expect(line.contains(String(format: " %.3fs ", statistics.median)), "\(line)")
            #expect(line.contains(String(format: " %.3f-%.3fs ", statistics.minimum, statistics.maximum)), "\(line)")
        }
        #expect(lines[5] == TuningReport.verdictLine(comparison, kind: .blockSizes))
        #expect(lines[6] == "results agree across block sizes")
        #expect(sweep.allSatisfy { $0.overheadShare.map { (0...1).contains($0) } == true })
    }

    @Test func disagreeingResultsAreFlagged() throws {
        let different = [row(1, value: 24.9), row(2, value: 25.1)]
        #expect(!TuningReport.resultsAgree(different))
        #expect(TuningReport.resultsAgree([row(1, value: 25), row(2, value: 25 + 1e-12)]))
        #expect(TuningReport.sweepTable(different).contains("WARNING: results differ"))
    }

    @Test func aScaleTableShowsSpeedupAgainstOneWorker() throws {
        let scale = try rows("random((300, 300)).sum()", kind: .workers, [1, 2].map { RunSettings(blockSize: 50, workers: $0) }, repeats: 3)
        let table = TuningReport.scaleTable(scale)
        // Besides a note for each run other processes disturbed (this machine is shared), and one
        // when noise made two workers more than twice as fast.
        let lines = table.split(separator: "\n").filter { !$0.contains("disturbed") && $0 != TuningReport.superlinearNote }
        #expect(lines.count == 1 + 1 + 2 + 2)
        #expect(lines[0].hasPrefix("warm-up (not counted): 1 worker in "))
        #expect(lines[1] == "workers  runs   median        min-max  efficiency  speedup  (· ideal)")
        #expect(lines[2].hasPrefix("      1     3 ") && lines[2].contains("100.0%    1.00x  "))
        #expect(table.contains("results agree across worker counts"))
    }

    /// An efficiency above 100% is explained under the scale table, never left bare.
    @Test func aScaleTableExplainsEfficiencyAbove100Percent() {
        // Two workers more than twice as fast as one: 2.0 s against 0.9 s.
        #expect(TuningReport.efficiencyNotes(Self.comparison([1: [2.0, 2.0], 2: [0.9, 0.9]])) == [TuningReport.superlinearNote])
        #expect(TuningReport.efficiencyNotes(Self.comparison([1: [2.0, 2.0], 2: [1.2, 1.3]])) == [])
    }

    static func comparison(_ times: [Int: [Double]]) -> TuningComparison {
        TuningComparison(times.keys.sorted().flatMap { setting in
            times[setting]!.enumerated().map { TuningMeasurement(setting: setting, round: $0 + 1, seconds: $1, flops: 1e9, outcome: .done) }
        })
    }

    /// The table's last lines say what the rule found.
    @Test func theVerdictSaysBestTieOrSingleRuns() {
        let best = Self.comparison([500: [2.0, 2.1, 2.2], 1000: [2.3, 2.4, 2.5]])
        #expect(TuningReport.verdictLine(best, kind: .blockSizes)
                == "best block size: 500 (median 2.10 s; its slowest run beat every other block size's fastest)")
        let tie = Self.comparison([250: [2.2, 2.3, 2.4], 500: [2.0, 2.1, 2.2], 1000: [2.2, 2.4, 2.5]])
        #expect(TuningReport.verdictLine(tie, kind: .blockSizes) == "block sizes 500, 250 and 1000 tie (ranges overlap)")
        #expect(TuningReport.verdictLine(Self.comparison([1: [2.0, 2.5], 2: [2.4, 2.6]]), kind: .workers)
                == "worker counts 1 and 2 tie (ranges overlap)")
        #expect(TuningReport.verdictLine(Self.comparison([1: [3.0], 2: [2.0]]), kind: .workers)
                == "best worker count: 2 (2.00 s), from single runs: no spread to judge by")
        #expect(TuningReport.verdictLine(TuningComparison([]), kind: .blockSizes) == nil)
    }

    /// JSON: every run with its round, then the statistics per setting and the verdict.
    @Test func theJSONHasEveryRunAndTheStatisticsPerSetting() throws {
        let sweep = try sweep(repeats: 2)
        let report = try parse(TuningReport.json(sweep, kind: .blockSizes).serialized())
        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.compactMap { $0["block_size"] as? Int } == [25, 25, 50, 100, 100, 50, 25])
        #expect(runs.compactMap { $0["round"] as? Int } == [0, 1, 1, 1, 2, 2, 2])
        #expect(runs.allSatisfy { $0["wall_seconds"] is Double && $0["status"] as? String == "done" })
        let settings = try #require(report["settings"] as? [[String: Any]])
        #expect(settings.compactMap { $0["block_size"] as? Int } == [25, 50, 100])
        for (entry, size) in zip(settings, [25, 50, 100]) {
            let times = runs.filter { $0["block_size"] as? Int == size && $0["round"] as? Int != 0 }.compactMap { $0["wall_seconds"] as? Double }
            #expect(entry["runs"] as? Int == 2)
            // Equal to what the runs say, to the rounding of a JSON number.
            let close = { (key: String, value: Double) in abs((entry[key] as? Double ?? .nan) - value) <= 1e-12 }
            #expect(close("min_seconds", times.min()!) && close("max_seconds", times.max()!))
            #expect(close("median_seconds", (times[0] + times[1]) / 2))
            #expect(close("spread_seconds", times.max()! - times.min()!))
        }
        let verdict = try #require(report["verdict"] as? String)
        let tied = try #require(report["tied"] as? [Int])
        #expect(verdict == "tie" ? report["best"] is NSNull && tied.count >= 2 : report["best"] is Int && tied.isEmpty)
        #expect(report["results_agree"] as? Bool == true)
    }

    @Test func barsScaleToTheirMaximum() {
        #expect(TuningReport.bar(5, of: 10, width: 4) == "██  ")
        #expect(TuningReport.bar(20, of: 10, width: 3) == "███")
        #expect(TuningReport.bar(1, of: 0, width: 2) == "  ")
    }
}
