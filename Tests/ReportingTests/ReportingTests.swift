import BlockArray
import BlocktopSupport
import Engine
import Foundation
import Reporting
import RunSources
import RunVocabulary
import Testing
import TestSupport

/// Runs `array` on `engine` headless as the local backend does (its engine source advanced to
/// the end), and returns the recorder and the summary.
func record(_ array: BlockArray, on engine: Engine) -> (RunRecorder, RunSummary) {
    let source = EngineSource(engine: engine, graph: array.graph(), title: "", chunks: array.chunks)
    while !source.advance(waitingUpTo: 0.01) {}
    let summary = source.finish()
    source.settle()
    return (source.recorder, summary)
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

/// The report of a run on a cluster: a local report's fields where the cluster has them, and the cluster.
@Suite struct ClusterReportTests {
    func report(value: DenseArray?, outcome: RunOutcome = .done) throws -> RunReport {
        var report = RunReport(outcome: outcome, expression: "x.sum(axis=0)", chunks: try Chunks(shape: [4], spec: .uniform(3)))
        if let value { report.setResult(whole: value) }
        var cluster = RunReport.Cluster(scheduler: "tcp://127.0.0.1:9", localWorkers: 2)
        cluster.workers = 2
        cluster.threads = 2
        cluster.peakMemoryBytes = 5_000_000
        report.cluster = cluster
        report.workers = 2
        report.wallSeconds = 2
        report.cpuPercent = 150
        report.parallelEfficiency = 0.75
        report.tasks = 10
        report.tasksDone = 8
        return report
    }

    @Test func theJSONReportNamesTheClusterAndListsTheResult() throws {
        let report = try report(value: try DenseArray(shape: [4], storage: [1, 2, 3, 4]))
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

    /// One report type for both places: a cluster's has none of the figures only a run here
    /// measures, and says what its workers held.
    @Test func aClusterReportLeavesOutWhatOnlyARunHereMeasures() throws {
        let report = try report(value: nil, outcome: .failed)
        let object = try parse(report.json.serialized())
        for field in ["gflops", "peak_rss_bytes", "peak_held_bytes", "others_cpus", "disturbed", "inputs"] {
            #expect(object[field] == nil, "\(field)")
        }
        #expect(object["peak_worker_memory_bytes"] as? Int == 5_000_000)
        #expect(!report.text.contains("others ") && !report.text.contains("gflops"))
        #expect(report.text.hasSuffix("memory       peak held by the workers \(ByteCount.text(5_000_000))"))
    }

    @Test func aLargeResultIsSummarizedAndACancelledRunHasNone() throws {
        let large = try DenseArray(shape: [20_000], storage: (0..<20_000).map(Double.init))
        let summarized = try parse(try report(value: large).json.serialized())
        let result = try #require(summarized["result"] as? [String: Any])
        #expect(result["min"] as? Double == 0 && result["max"] as? Double == 19_999 && result["mean"] as? Double == 9_999.5)
        let cancelled = try parse(try report(value: nil, outcome: .cancelled).json.serialized())
        #expect(cancelled["status"] as? String == "cancelled" && cancelled["result"] is NSNull)
    }
}
