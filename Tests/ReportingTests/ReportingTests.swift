import BlockArray
import BlocktopSupport
import Engine
import Foundation
import Reporting
import Testing
import TestSupport

/// Runs `array` on `engine` while recording, and returns the recorder and the summary.
func record(_ array: BlockArray, on engine: Engine) -> (RunRecorder, RunSummary) {
    HeadlessRun.run(array.graph(), on: engine, interval: 0.01)
}

func parse(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct JSONTests {
    @Test func serializesInOrderWithEscapes() {
        let value = JSON.object([("b", .number(2)), ("a", .array([.number(1.5), .null, .bool(true)])),
                                 ("text", .string("quote \" slash \\ line\n\u{1b}[31m"))])
        #expect(value.serialized() == #"{"b":2,"a":[1.5,null,true],"text":"quote \" slash \\ line\n\u001b[31m"}"#)
    }

    @Test func nonFiniteNumbersBecomeNamedStrings() throws {
        let text = JSON.array([.number(.nan), .number(.infinity), .number(-.infinity), .number(-0.25), .null]).serialized()
        #expect(text == #"["NaN","Infinity","-Infinity",-0.25,null]"#)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [Any])
    }
}

@Suite struct ReportTests {
    @Test func theJSONReportHasEveryDocumentedField() throws {
        let engine = Engine(workers: 2)
        let x = try BlockArray.random([300, 300], chunks: 100, seed: 1)
        let (_, summary) = record(try x.matmul(x.T).sum(), on: engine)
        let value = try summary.result.get().outputs[0]
        let report = RunReport(expression: "demo", summary: summary, largestInput: x.chunks)
        let object = try parse(report.json.serialized())
        for field in ["result", "shape", "chunks", "workers", "wall_seconds", "cpu_percent", "parallel_efficiency",
                      "gflops", "tasks", "tasks_per_second", "peak_rss_bytes", "peak_held_bytes", "others_cpus", "disturbed", "status"] {
            #expect(object[field] != nil, "missing \(field)")
        }
        #expect(object["status"] as? String == "done")
        #expect((object["result"] as? Double).map { abs($0 - value.storage[0]) < 1e-6 * value.storage[0] } == true)
        // The result is a scalar: no axes, no block sizes.
        #expect(object["shape"] as? [Int] == [])
        #expect(object["chunks"] as? [[Int]] == [])
        #expect(object["workers"] as? Int == 2)
        #expect(object["tasks"] as? Int == summary.graph.count)
        #expect((object["wall_seconds"] as? Double ?? 0) > 0)
        #expect((object["gflops"] as? Double ?? 0) > 0)
        #expect((object["peak_rss_bytes"] as? Int ?? 0) > 0)
        // Others' CPUs on this process's CPUs: none below zero, none past the CPUs there are.
        let others = try #require(object["others_cpus"] as? Double)
        #expect(others >= 0 && others <= summary.capacity + summary.othersCPUsMargin, "\(others) of \(summary.capacity) CPUs")
        #expect(object["disturbed"] as? Bool == summary.isDisturbed)
        #expect(report.text.contains("others       \(String(format: "%.2f", others)) of "))
        #expect(report.text.contains("status       done"))
        #expect(report.text.contains("input        largest array 300×300 in 3×3 blocks of up to 100×100"))
        #expect(!report.text.contains("blocks       result"))
    }

    @Test func smallArraysAreListedAndLargeOnesSummarized() throws {
        let engine = Engine(workers: 1)
        let small = try BlockArray.arange(0, 6, chunks: 4)
        let (_, s1) = record(small, on: engine)
        let listed = try parse(RunReport(expression: "", summary: s1).json.serialized())
        #expect(listed["result"] as? [Double] == [0, 1, 2, 3, 4, 5])
        let large = try BlockArray.ones([101, 100], chunks: 50)
        let (_, s2) = record(large, on: engine)
        let summarized = try parse(RunReport(expression: "", summary: s2).json.serialized())
        let result = try #require(summarized["result"] as? [String: Any])
        #expect(result["shape"] as? [Int] == [101, 100])
        #expect(result["mean"] as? Double == 1)
    }

    @Test func aFailedRunReportsItsStatusAndError() throws {
        struct Broken: Error {}
        let array = try BlockArray.ones([4], chunks: 2).mapBlocks(name: "broken") { _, _ in throw Broken() }
        let (_, summary) = record(array, on: Engine(workers: 2))
        let object = try parse(RunReport(expression: "broken", summary: summary).json.serialized())
        #expect(object["status"] as? String == "failed")
        #expect(object["result"] is NSNull)
        #expect((object["error"] as? String)?.contains("Broken()") == true)
    }
}

/// The JSON `shape` and `chunks` describe the result, and special values survive.
@Suite struct ResultDescriptionTests {
    func report(_ array: BlockArray, largestInput: Chunks? = nil) throws -> (object: [String: Any], text: String) {
        let (_, summary) = record(array, on: Engine(workers: 2))
        let report = RunReport(expression: "", summary: summary, largestInput: largestInput)
        return (try parse(report.json.serialized()), report.text)
    }

    @Test func aConcatenationReportsItsOwnShapeNotItsFirstInput() throws {
        let first = try BlockArray.ones([2, 3], chunks: .uniform(3))
        let joined = try BlockArray.concatenate([first, try BlockArray.zeros([2, 2], chunks: .uniform(2))], axis: 1)
        let (object, text) = try report(joined, largestInput: first.chunks)
        #expect(object["shape"] as? [Int] == [2, 5])
        #expect(object["chunks"] as? [[Int]] == [[2], [3, 2]])
        #expect(object["result"] as? [[Double]] == [[1, 1, 1, 0, 0], [1, 1, 1, 0, 0]])
        #expect(text.contains("blocks       result 2×5 in 1×2 blocks of up to 2×3"))
        #expect(text.contains("input        largest array 2×3 in one block"))
    }

    @Test func aRechunkedResultReportsItsNewBlocks() throws {
        let x = try BlockArray.ones([6, 4], chunks: .uniform(2))
        let (object, _) = try report(try x.rechunk(.perAxis([4, 3])))
        #expect(object["shape"] as? [Int] == [6, 4])
        #expect(object["chunks"] as? [[Int]] == [[4, 2], [3, 1]])
    }

    @Test(arguments: [(2500, [1000, 1000, 500]), (3500, [1000, 1000, 1000, 500]), (1000, [1000])])
    func everyBlockSizeIsListedDaskStyle(length: Int, sizes: [Int]) throws {
        let (object, _) = try report(try BlockArray.ones([length], chunks: .uniform(1000)) + 1)
        #expect(object["shape"] as? [Int] == [length])
        #expect(object["chunks"] as? [[Int]] == [sizes])
    }

    @Test func negativeInfinityInfinityAndNaNStayDistinct() throws {
        let minusOne = try BlockArray.full([1], -1, chunks: .uniform(1))
        let values = try BlockArray.concatenate([
            try BlockArray.zeros([1], chunks: .uniform(1)).apply(.log),       // -inf
            minusOne.apply(.sqrt),                                             // NaN
            try BlockArray.zeros([1], chunks: .uniform(1)).apply(.log).apply(.negate),  // +inf
            try BlockArray.full([1], 2.5, chunks: .uniform(1)),
        ])
        let (object, text) = try report(values)
        let listed = try #require(object["result"] as? [Any])
        #expect(listed.count == 4)
        #expect(listed[0] as? String == "-Infinity")
        #expect(listed[1] as? String == "NaN")
        #expect(listed[2] as? String == "Infinity")
        #expect(listed[3] as? Double == 2.5)
        #expect(text.contains(#"["-Infinity","NaN","Infinity",2.5]"#))
        let (scalar, _) = try report(try minusOne.apply(.log).sum())
        #expect(scalar["result"] as? String == "NaN")
    }

    @Test func aSummarizedResultKeepsInfinitiesAndSkipsNaN() throws {
        let large = try BlockArray.concatenate([
            try BlockArray.ones([RunReport.largestListedResult], chunks: .uniform(5_000)),
            try BlockArray.zeros([1], chunks: .uniform(1)).apply(.log),
            try BlockArray.full([1], -1, chunks: .uniform(1)).apply(.sqrt),
        ])
        let (object, _) = try report(large)
        let result = try #require(object["result"] as? [String: Any])
        #expect(result["min"] as? String == "-Infinity")
        #expect(result["max"] as? Double == 1)
        #expect(result["mean"] as? String == "-Infinity")
    }
}

@Suite struct TraceTests {
    @Test func theTraceHasOneEventPerTaskAndOneTrackPerWorker() throws {
        let engine = Engine(workers: 2)
        let x = try BlockArray.random([400, 400], chunks: 100, seed: 2)
        let (recorder, summary) = record(try (x + 1).sum(axes: [0]), on: engine)
        let object = try parse(ChromeTrace.json(of: [ChromeTrace.Run(name: "blocktop (done)", recorder: recorder)]))
        let events = try #require(object["traceEvents"] as? [[String: Any]])
        let tasks = events.filter { $0["ph"] as? String == "X" }
        #expect(tasks.count == summary.graph.count)
        // Named and categorised by operation, keyed by task.
        let keys = tasks.compactMap { ($0["args"] as? [String: Any])?["key"] as? String }
        #expect(Set(keys).count == summary.graph.count)
        #expect(Set(tasks.compactMap { $0["name"] as? String }) == Set(summary.graph.tasks.map(\.operation)))
        #expect(tasks.allSatisfy { $0["cat"] as? String == $0["name"] as? String })
        #expect(tasks.allSatisfy { ($0["dur"] as? Double ?? -1) >= 0 && [0, 1].contains($0["tid"] as? Int ?? -1) })
        let tracks = events.filter { $0["name"] as? String == "thread_name" }
        #expect(tracks.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }.sorted() == ["blocktop-w0", "blocktop-w1"])
        #expect(events.contains { $0["ph"] as? String == "C" }, "per-core CPU counters")
    }
}

@Suite struct ProgressLineTests {
    @Test func rendersABarPercentCountAndTime() {
        let line = ProgressLine(width: 10).render(done: 27, total: 100, seconds: 4.25)
        #expect(line == "\r[##        ]  27% | 27/100 tasks | 4.2 s")
        #expect(ProgressLine(width: 4).render(done: 0, total: 0, seconds: 0).hasPrefix("\r[####] 100%"))
    }
}

@Suite struct TuningTests {
    /// A warm-up of the first setting, then `repeats` rounds, every other one reversed, as `blocktop` plans them.
    func rows(_ settings: [Int], repeats: Int = 1, makeArray: (Int) throws -> BlockArray,
              engine: (Int) -> Engine) throws -> [TuningRow] {
        let rounds = (1...repeats).flatMap { round in (round % 2 == 1 ? settings : settings.reversed()).map { (round, $0) } }
        return try ([(0, settings[0])] + rounds).map { round, setting in
            TuningRow.measure(setting: setting, round: round, graph: try makeArray(setting).graph(), on: engine(setting))
        }
    }

    func sweep(repeats: Int) throws -> [TuningRow] {
        let engine = Engine(workers: 2)
        return try rows([25, 50, 100], repeats: repeats) { size in
            let x = try BlockArray.random([200, 200], chunks: .uniform(size), seed: 3)
            return try x.matmul(x.T).sum()
        } engine: { _ in engine }
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
        let different = try rows([1, 2]) { seed in try BlockArray.random([50], chunks: 10, seed: UInt64(seed)).sum() } engine: { _ in Engine(workers: 1) }
        #expect(!TuningReport.resultsAgree(different))
        #expect(TuningReport.sweepTable(different).contains("WARNING: results differ"))
    }

    @Test func aScaleTableShowsSpeedupAgainstOneWorker() throws {
        let scale = try rows([1, 2], repeats: 3) { _ in try BlockArray.random([300, 300], chunks: 50, seed: 1).sum() } engine: { Engine(workers: $0) }
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

/// The report of a run on a cluster: a local report's fields where the cluster has them, and the cluster.
@Suite struct ClusterRunReportTests {
    func figures(value: DenseArray?, outcome: RunOutcome = .done) throws -> ClusterRunReport.Figures {
        var figures = ClusterRunReport.Figures(outcome: outcome, expression: "x.sum(axis=0)",
                                               chunks: try Chunks(shape: [4], spec: .uniform(3)), scheduler: "tcp://127.0.0.1:9")
        figures.value = value
        figures.localWorkers = 2
        figures.workers = 2
        figures.threads = 2
        figures.wallSeconds = 2
        figures.cpuPercent = 150
        figures.parallelEfficiency = 0.75
        figures.tasks = 10
        figures.tasksDone = 8
        figures.peakMemoryBytes = 5_000_000
        return figures
    }

    @Test func theJSONReportNamesTheClusterAndListsTheResult() throws {
        let report = ClusterRunReport(try figures(value: try DenseArray(shape: [4], storage: [1, 2, 3, 4])))
        let object = try parse(report.json.serialized())
        #expect(object["status"] as? String == "done" && object["result"] as? [Double] == [1, 2, 3, 4])
        #expect(object["chunks"] as? [[Int]] == [[3, 1]] && object["shape"] as? [Int] == [4])
        let cluster = try #require(object["cluster"] as? [String: Any])
        #expect(cluster["scheduler"] as? String == "tcp://127.0.0.1:9" && cluster["started"] as? String == "local:2")
        #expect(cluster["workers"] as? Int == 2 && cluster["threads"] as? Int == 2 && object["workers"] as? Int == 2)
        #expect(object["tasks_per_second"] as? Double == 4 && object["parallel_efficiency"] as? Double == 0.75)
        #expect(report.text.contains("cluster      tcp://127.0.0.1:9 (local:2, started by blocktop) · 2 workers, 2 threads"))
        #expect(report.text.contains("result       array of shape [4]: [1,2,3,4]"))
        #expect(report.text.contains("cpu          150% of the workers (parallel efficiency 75.0% of their threads)"))
    }

    @Test func aLargeResultIsSummarizedAndACancelledRunHasNone() throws {
        let large = try DenseArray(shape: [20_000], storage: (0..<20_000).map(Double.init))
        let summarized = try parse(ClusterRunReport(try figures(value: large)).json.serialized())
        let result = try #require(summarized["result"] as? [String: Any])
        #expect(result["min"] as? Double == 0 && result["max"] as? Double == 19_999 && result["mean"] as? Double == 9_999.5)
        let cancelled = try parse(ClusterRunReport(try figures(value: nil, outcome: .cancelled)).json.serialized())
        #expect(cancelled["status"] as? String == "cancelled" && cancelled["result"] is NSNull)
    }
}
