import Foundation
import Testing
import TestSupport

/// The real `blocktop` binary, run headless as scripts run it.
@Suite(.tags(.binary)) struct CommandLineTests {
    /// Runs blocktop with `arguments`; stdout is a pipe, so no dashboard.
    func blocktop(_ arguments: [String]) throws -> Blocktop.Outcome {
        try Blocktop.run(arguments)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Under an address-space limit (`prlimit --as`), a run without matrix products finishes and
    /// exits (OpenBLAS's own threads, which retried their buffer for ever, are never started),
    /// and one with them fails at once saying why, instead of spinning. `timeout` turns a
    /// regression into status 137 rather than a hang.
    @Test func anAddressSpaceLimitFailsMatrixProductsAndLetsTheRestRun() throws {
        let limited = ["timeout", "-s", "KILL", "60", "prlimit", "--as=\(200 << 20)"]
        let sum = try Blocktop.run(["run", "--json", "--workers", "2", "ones((100, 100), chunks=10).sum()"], launcher: limited)
        #expect(sum.status == 0, "\(sum.stderr)")
        #expect(try json(sum.stdout)["result"] as? Double == 10_000)
        let product = try Blocktop.run(["run", "--workers", "2", "x = ones((100, 100), chunks=50); (x @ x).sum()"], launcher: limited)
        #expect(product.status == 64, "\(product.stderr)")
        let errors = product.stderr.split(separator: "\n").filter { $0.hasPrefix("blocktop: error:") }
        #expect(errors.count == 1 && errors[0].contains("matmul needs OpenBLAS's") && errors[0].contains("address-space limit"),
                "\(product.stderr)")
    }

    @Test func runJSONReportsTheResultAndTheFigures() throws {
        // About 8 GFLOP: enough CPU time (clock ticks of 10 ms) for cpu_percent to be measured.
        let outcome = try blocktop(["run", "--json", "--workers", "2", "x = random((1600, 1600), chunks=400, seed=5); (x @ x.T).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        let n = 1600.0
        let result = try #require(report["result"] as? Double)
        #expect(abs(result - (n * n * n / 4 + n * n / 12)) / result < 0.02)
        #expect(report["status"] as? String == "done")
        // shape and chunks describe the result: a scalar has no axes.
        #expect(report["shape"] as? [Int] == [])
        #expect(report["chunks"] as? [[Int]] == [])
        #expect(report["workers"] as? Int == 2)
        #expect(report["tasks"] as? Int == report["tasks_done"] as? Int)
        for field in ["wall_seconds", "gflops", "tasks_per_second", "peak_rss_bytes", "peak_held_bytes", "cpu_percent"] {
            #expect((report[field] as? Double ?? -1) > 0, "\(field)")
        }
        // Efficiency is CPU% over two workers' worth, at most 1 (blocktop's other threads count in its CPU%).
        let cpu = try #require(report["cpu_percent"] as? Double)
        let efficiency = try #require(report["parallel_efficiency"] as? Double)
        #expect(abs(efficiency - min(1, cpu / 200)) < 1e-9, "efficiency \(efficiency) for \(cpu)% on 2 workers")
    }

    @Test func presetsAndChunksComeFromTheCommandLine() throws {
        let outcome = try blocktop(["run", "--preset", "fused", "--chunks", "4000"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.contains("input        largest array 8000×8000 in 2×2 blocks of up to 4000×4000"), "\(outcome.stdout)")
        let result = lines.first { $0.hasPrefix("result ") }.flatMap { Double($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
        #expect(abs(result ?? 1) < 1e-12)
        let list = try blocktop(["presets"])
        #expect(list.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
                == ["demo", "reduction", "fused", "stencil", "matmul", "normalize"])
    }

    @Test func aHeadlessSweepComparesBlockSizesAndAgrees() throws {
        let outcome = try blocktop(["sweep", "--chunks", "50,100,200", "--workers", "2",
                                    "x = random((400, 400), seed=1); (x @ x.T).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // Besides a note for each run other processes disturbed (this machine is shared).
        let lines = outcome.stdout.split(separator: "\n").filter { !$0.contains("disturbed") }
        // The warm-up, the header, a row per size, the verdict and the agreement.
        #expect(lines.count == 7)
        #expect(lines.contains { $0.hasPrefix("best block size: ") || $0.hasSuffix(" tie (ranges overlap)") })
        #expect(outcome.stdout.contains("results agree across block sizes"))
    }

    /// --chunks sets every creation call's blocks, overriding chunks=, and says so on stderr; a
    /// sweep's sizes do the same, and by default surround the expression's own block size.
    @Test func blockSizesFromTheCommandLineOverrideChunksAndSaySo() throws {
        let expression = "x = ones((1000, 1000), chunks=1000); x + 1"
        let written = try blocktop(["run", "--json", expression])
        #expect(try json(written.stdout)["chunks"] as? [[Int]] == [[1000], [1000]])
        #expect(!written.stderr.contains("overriding"), "\(written.stderr)")
        let overridden = try blocktop(["run", "--json", "--chunks", "250", expression])
        #expect(try json(overridden.stdout)["chunks"] as? [[Int]] == Array(repeating: [250, 250, 250, 250], count: 2))
        #expect(overridden.stderr.contains("block size 250: overriding chunks= of 1 call in the expression"), "\(overridden.stderr)")

        let sweep = try blocktop(["sweep", "--workers", "1", "ones((800, 800), chunks=400).sum()"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        for size in [100, 200, 400, 800] {
            #expect(sweep.stderr.contains("block size \(size): overriding chunks= of 1 call in the expression"), "\(sweep.stderr)")
        }
    }

    /// sweep and scale take run's look and report options; the trace holds one process per run.
    @Test(arguments: [["sweep", "--chunks", "100,200", "--repeat", "1"], ["scale", "--workers-list", "1,2", "--chunks", "100", "--repeat", "1"]])
    func sweepAndScaleTakeTheLookOptionsAndTraceEveryRun(command: [String]) throws {
        let folder = try TemporaryFolder()
        let themes = folder.file("themes")
        try FileManager.default.createDirectory(atPath: themes, withIntermediateDirectories: true)
        try ##"theme[main_bg]="#101010""##.write(toFile: themes + "/mine.theme", atomically: true, encoding: .utf8)
        let trace = folder.file("series.json")
        let outcome = try blocktop(command + ["--headless", "--themes-dir", themes, "--theme", "mine", "--close-when-done",
                                              "--trace", trace, "x = random((400, 400)); (x @ x.T).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let events = try #require(try json(String(contentsOfFile: trace, encoding: .utf8))["traceEvents"] as? [[String: Any]])
        let processes = events.filter { $0["name"] as? String == "process_name" }
            .compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        let names = command[0] == "sweep" ? ["block size 100", "block size 100", "block size 200"] : ["1 worker", "1 worker", "2 workers"]
        #expect(processes == zip(names, ["warm-up", "round 1", "round 1"]).map { "blocktop \($0), \($1) (done)" })
        let pids = Set(events.filter { $0["ph"] as? String == "X" }.compactMap { $0["pid"] as? Int })
        #expect(pids == [1, 2, 3])
    }

    /// The peak RSS in the report is blocktop's own: started by a process that held 600 MB
    /// (Python, which then execs blocktop), a tiny run still reports tens of MB, not the parent's peak.
    @Test func thePeakRSSIsBlocktopsOwnNotItsLaunchers() throws {
        let script = """
            import os, sys
            held = bytearray(600_000_000)
            for i in range(0, len(held), 4096): held[i] = 1
            os.execv(sys.argv[1], ["blocktop", "run", "--json", "ones((100, 100)).sum()"])
            """
        let output = try Shell.run(Shell.line("/usr/bin/python3", ["-c", script, Blocktop.binary.path]))
        let peak = try #require(try json(output)["peak_rss_bytes"] as? Double)
        #expect(peak > 0 && peak < 300_000_000, "peak RSS \(peak) bytes")
    }

    /// More workers than usable CPUs runs, with one line on stderr saying so.
    @Test func moreWorkersThanCPUsSaysItOversubscribes() throws {
        // 64 workers is more than this machine's (and CI's) usable CPUs.
        let outcome = try blocktop(["run", "--workers", "64", "ones((100,), chunks=10).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("64 workers on "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("usable CPU") && outcome.stderr.contains("oversubscribed"))
        let fitting = try blocktop(["run", "--workers", "1", "ones((100,), chunks=10).sum()"])
        #expect(!fitting.stderr.contains("oversubscribed"), "\(fitting.stderr)")
    }

    @Test func sweepAndScaleReportJSON() throws {
        let sweep = try blocktop(["sweep", "--json", "--chunks", "100,200", "--workers", "2", "x = random((400, 400)); (x @ x.T).sum()"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let report = try json(sweep.stdout)
        #expect(report["kind"] as? String == "sweep")
        #expect(report["results_agree"] as? Bool == true)
        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.compactMap { $0["block_size"] as? Int } == [100, 100, 200, 200, 100, 100, 200])
        #expect([100, 200].contains(report["best"] as? Int ?? 0) || report["tied"] as? [Int] == [100, 200] || report["tied"] as? [Int] == [200, 100])
        #expect(runs.allSatisfy { $0["others_cpus"] is Double && $0["disturbed"] is Bool }, "\(runs)")
        let scale = try blocktop(["scale", "--json", "--workers-list", "1,2", "random((300, 300), chunks=100).sum()"])
        let scaled = try #require(try json(scale.stdout)["settings"] as? [[String: Any]])
        #expect(scaled.first?["speedup"] as? Double == 1)
        #expect(scaled.compactMap { $0["workers"] as? Int } == [1, 2])
    }

    @Test func aScaleRunShowsSpeedupPerWorkerCount() throws {
        let outcome = try blocktop(["scale", "--workers-list", "1,2", "random((600, 600), chunks=100).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // The table: a header and one row per worker count (notes on efficiency or on other
        // processes may follow, depending on the machine).
        let lines = outcome.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.filter { $0.hasPrefix("workers") && $0.contains("efficiency") && $0.contains("speedup") }.count == 1)
        #expect(lines.filter { $0.hasPrefix("1 ") && $0.contains("100.0%") && $0.contains("1.00x") }.count == 1, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("2 ") && $0.contains("%") && $0.contains("x ") }.count == 1, "\(lines)")
        #expect(outcome.stdout.contains("results agree across worker counts"))
    }

    @Test func theTraceIsValidJSONWithOneEventPerTaskAndATrackPerWorker() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("trace.json")
        let outcome = try blocktop(["run", "--json", "--workers", "2", "--trace", path, "random((300, 300), chunks=100).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let tasks = try json(outcome.stdout)["tasks"] as? Int
        let trace = try json(String(contentsOfFile: path, encoding: .utf8))
        let events = try #require(trace["traceEvents"] as? [[String: Any]])
        #expect(events.filter { $0["ph"] as? String == "X" }.count == tasks)
        #expect(events.filter { $0["name"] as? String == "thread_name" }.count == 2)
    }

    /// The demo's trace, read by Python's json module: every task event is named and categorised
    /// by one of the demo's operations, never by a raw key, and carries its key in args.
    @Test func theDemosTraceNamesEveryTaskByItsOperation() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("trace.json")
        let outcome = try blocktop(["run", "--workers", "2", "--chunks", "250", "--trace", path,
                                    "x = random((1000, 1000)); (x @ x.T).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let script = """
            import json, sys
            events = [e for e in json.load(open(sys.argv[1]))["traceEvents"] if e["ph"] == "X"]
            for e in events:
                assert e["cat"] == e["name"] and not e["name"].startswith("("), e
                assert e["args"]["key"].startswith("('"), e
            print("\\n".join(sorted({e["cat"] for e in events})))
            """
        let categories = try Shell.run(Shell.line("/usr/bin/python3", ["-c", script, path])).split(separator: "\n").map(String.init)
        let parts = Set(categories.flatMap { $0.split(separator: "+").map(String.init) })
        #expect(parts == ["random", "syrk", "matmul", "matmul-sum", "transpose-mirror", "sum-partial", "sum-aggregate"],
                "\(categories)")
    }

    @Test func interruptingAHeadlessRunReportsItCancelledAndWritesTheTrace() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("trace.json")
        let started = try BackgroundBlocktop(["run", "--json", "--trace", path, "--workers", "1",
                                              "x = random((6000, 6000), chunks=300); (x @ x.T).sum()"])
        let (process, stdout, terminal) = (started.process, started.stdout, started.terminal)
        // Interrupt once some tasks, not all, have finished.
        let done = try waitForValue("the progress line to count a finished task", lastSeen: { terminal.text }) {
            terminal.text.matches(of: #/\| ([0-9]+)/([0-9]+) tasks/#).last.flatMap { match in
                Int(match.1).flatMap { $0 > 0 ? $0 : nil }
            }
        }
        process.interrupt()
        process.waitUntilExit()
        terminal.waitUntilClosed()
        #expect(process.terminationStatus == 130)
        let report = try json(String(decoding: stdout.wait(), as: UTF8.self))
        #expect(report["status"] as? String == "cancelled")
        let tasksDone = try #require(report["tasks_done"] as? Int)
        #expect(tasksDone >= done && tasksDone < (report["tasks"] as? Int ?? 0), "\(done) done when interrupted")
        let trace = try json(String(contentsOfFile: path, encoding: .utf8))
        let events = try #require(trace["traceEvents"] as? [[String: Any]])
        // At least the tasks seen finished before the interrupt are in the trace.
        #expect(events.filter { $0["ph"] as? String == "X" }.count >= done)
    }

    /// A task failing mid-run, headless: exit 1, the report says failed and names the block and the error.
    @Test func aFailingTaskEndsAHeadlessRunWithItsBlockAndError() throws {
        let outcome = try blocktop(["run", "--json", "--workers", "1",
                                    "check_finite(concatenate([ones((300, 100)), ones((100, 100)) / 0])).sum()", "--chunks", "50"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        #expect(report["status"] as? String == "failed")
        let error = try #require(report["error"] as? String)
        #expect(error.contains("(block [6, 0]) failed: non-finite value inf at [300, 0]"), "\(error)")
        #expect((report["tasks_done"] as? Int ?? 0) > 0)
    }

    /// astype into an integer type fails the task of the block holding a NaN, as check_finite does,
    /// naming the element and the block of the converted array.
    @Test func astypeOfANaNToAnIntegerFailsTheRunNamingTheBlock() throws {
        let outcome = try blocktop(["run", "--json", "--workers", "1",
                                    "x = arange(12, chunks=4).reshape(4, 3); astype(where(x == 7, nan, x), 'int32').sum()"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        #expect(report["status"] as? String == "failed")
        let error = try #require(report["error"] as? String)
        #expect(error.contains("astype(int32): block [2, 0]: element [2, 1] is NaN, which int32 cannot hold"), "\(error)")
    }

    /// Stress: a million one-element tasks (plus the sum's tree) run to the end, and the whole
    /// process, graph included, stays under 2 KB per task (it peaked at 2.2 KB before the
    /// optimizer worked on integer ids; it reads about 1.3 KB now).
    @Test func aMillionTaskGraphCompletesInBoundedMemory() throws {
        let outcome = try blocktop(["run", "--json", "--workers", "2", "(ones(1000000, chunks=1) + 1).sum()"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        let tasks = try #require(report["tasks"] as? Int)
        #expect(tasks >= 1_000_000)
        #expect(report["tasks_done"] as? Int == tasks)
        #expect(report["result"] as? Double == 2_000_000)
        #expect(try #require(report["peak_rss_bytes"] as? Double) < Double(2_048 * tasks))
    }

    @Test func expressionErrorsShowACaretUnderTheBadSpot() throws {
        let outcome = try blocktop(["run", "x = random((10, 10)); x.sum(axis=5)"])
        #expect(outcome.status == 64)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1] == "  x = random((10, 10)); x.sum(axis=5)")
        #expect(lines[2] == "  " + String(repeating: " ", count: 33) + "^")
    }
}
