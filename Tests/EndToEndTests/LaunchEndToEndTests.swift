import Foundation
import Testing
import TestSupport

/// `blocktop run --cluster`: blocktop's expression translated by the bridge and run on a real
/// scheduler and two workers on loopback (or a local cluster blocktop starts), its result read
/// back and compared with the same run here; cancelling, a worker killed mid-run, bad input.
@Suite(.tags(.binary), .serialized) struct LaunchEndToEndTests {
    static let demo = "x = random((4000, 4000), chunks=1000); (x @ x.T).sum()"
    /// Long enough to interrupt: thousands of small tasks.
    static let long = "x = random((6000, 6000), chunks=250); (x @ x.T).sum()"

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    func result(_ report: [String: Any]) throws -> Double {
        try #require(report["result"] as? Double, "no result in \(report)")
    }

    /// Starts `run --cluster` headless in the background.
    func startInBackground(_ arguments: [String]) throws -> (Process, Reader, PseudoTerminal) {
        let started = try BackgroundBlocktop(["run", "--json", "--python", Python.executable] + arguments)
        return (started.process, started.stdout, started.terminal)
    }

    /// Waits until the progress line counts at least `least` tasks done.
    func waitForDone(_ terminal: PseudoTerminal, atLeast least: Int) throws -> Int {
        try waitForValue(within: .seconds(120), "the progress line to count \(least) finished tasks", lastSeen: { terminal.text }) {
            terminal.text.matches(of: #/\| ([0-9]+)/([0-9]+) tasks/#).last.flatMap { match in
                Int(match.1).flatMap { $0 >= least ? $0 : nil }
            }
        }
    }

    @Test func theDemoOnTheClusterGivesTheLocalRunsValue() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let local = try Blocktop.run(["run", "--headless", "--json", Self.demo])
        #expect(local.status == 0, "\(local.stderr)")
        let outcome = try Blocktop.run(["run", "--headless", "--json", "--python", Python.executable, "--cluster", cluster.scheduler, Self.demo])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        let here = try result(json(local.stdout)), there = try result(report)
        #expect(abs(there - here) <= 1e-9 * abs(here), "cluster \(there), local \(here)")
        #expect(report["status"] as? String == "done")
        let described = try #require(report["cluster"] as? [String: Any])
        #expect(described["scheduler"] as? String == cluster.scheduler && described["started"] is NSNull)
        #expect(described["workers"] as? Int == 2 && described["threads"] as? Int == 2)
        let tasks = try #require(report["tasks"] as? Int)
        #expect(tasks > 64 && report["tasks_done"] as? Int ?? 0 >= tasks, "\(report)")
        #expect((report["wall_seconds"] as? Double ?? 0) > 0 && (report["cpu_percent"] as? Double ?? 0) > 0, "\(report)")
        // The run's futures were released: the cluster keeps nothing of it.
        #expect(try cluster.tasksOnScheduler() == 0)
    }

    @Test func aLocalClusterIsStartedForTheRunAndGoneAfterIt() throws {
        let outcome = try Blocktop.run(["run", "--headless", "--json", "--python", Python.executable, "--cluster", "local:2",
                                        "ones((400, 300), chunks=100).sum(axis=0) + arange(300, chunks=100)"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        #expect(report["result"] as? [Double] == (0..<300).map { 400 + Double($0) })
        #expect(report["shape"] as? [Int] == [300] && report["chunks"] as? [[Int]] == [[100, 100, 100]])
        let described = try #require(report["cluster"] as? [String: Any])
        #expect(described["started"] as? String == "local:2" && described["workers"] as? Int == 2)
        let scheduler = try #require(described["scheduler"] as? String)
        // Nothing answers at the scheduler's address any more.
        let probe = try Python.run("""
            import socket, sys
            host, port = sys.argv[1].split("://")[1].rsplit(":", 1)
            try:
                socket.create_connection((host, int(port)), timeout=5).close()
                print("open")
            except OSError:
                print("closed")
            """, [scheduler])
        #expect(probe.contains("closed"), "\(scheduler): \(probe)")
    }

    @Test func theResultAndTheTraceAreWrittenAsByALocalRun() throws {
        let folder = try TemporaryFolder()
        for name in ["out.npy", "out.zarr"] {
            let path = folder.file(name)
            let outcome = try Blocktop.run(["run", "--headless", "--json", "--python", Python.executable, "--cluster", "local:1",
                                            "--output", path, "--dtype", "int32", "--trace", folder.file(name + ".trace"),
                                            "arange(12000, chunks=5000).reshape((120, 100)) * 2"])
            #expect(outcome.status == 0, "\(name): \(outcome.stderr)")
            let output = try #require(try json(outcome.stdout)["output"] as? [String: Any])
            #expect(output["written"] as? Bool == true && output["dtype"] as? String == "int32", "\(output)")
            let check = try Python.run("""
                import sys, numpy, zarr
                path = sys.argv[1]
                a = numpy.load(path) if path.endswith(".npy") else zarr.open_array(path, mode="r")[...]
                print(a.dtype, a.shape, bool((a == numpy.arange(12000).reshape(120, 100) * 2).all()))
                """, [path])
            #expect(check.contains("int32 (120, 100) True"), "\(name): \(check)")
            // The trace has a span per task on the worker's thread, named by its operation.
            let trace = try json(String(contentsOfFile: folder.file(name + ".trace"), encoding: .utf8))
            let events = try #require(trace["traceEvents"] as? [[String: Any]])
            let spans = events.filter { $0["ph"] as? String == "X" }
            #expect(spans.count == (try json(outcome.stdout))["tasks_done"] as? Int, "\(spans.count) spans")
            #expect(spans.contains { ($0["name"] as? String ?? "").hasPrefix("arange") && ($0["dur"] as? Double ?? -1) >= 0 }, "\(spans)")
            #expect(events.contains { ($0["args"] as? [String: Any])?["name"] as? String == "blocktop on " + (outcome.stdout.firstMatch(of: #/tcp://[0-9.:]+/#).map { String($0.0) } ?? "?") + " (done)" })
            #expect(events.contains { (($0["args"] as? [String: Any])?["name"] as? String ?? "").hasSuffix("thread 0") })
        }
        // A run that fails leaves no output, not even its temporary file.
        let failed = try Blocktop.run(["run", "--headless", "--python", Python.executable, "--cluster", "local:1",
                                       "--output", folder.file("never.npy"), "check_finite(log(arange(4) - 1)).sum()"])
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["out.npy", "out.npy.trace", "out.zarr", "out.zarr.trace"])
    }

    @Test func interruptingCancelsTheRunAndLeavesNoTaskOnTheCluster() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let (process, stdout, terminal) = try startInBackground(["--cluster", cluster.scheduler, Self.long])
        _ = try waitForDone(terminal, atLeast: 1)
        process.interrupt()
        process.waitUntilExit()
        terminal.waitUntilClosed()
        #expect(process.terminationStatus == 130, "\(terminal.text)")
        let report = try json(String(decoding: stdout.wait(), as: UTF8.self))
        #expect(report["status"] as? String == "cancelled" && report["result"] is NSNull)
        #expect((report["tasks_done"] as? Int ?? 0) < (report["tasks"] as? Int ?? 0), "\(report)")
        #expect(try cluster.tasksOnScheduler() == 0)
    }

    @Test func aWorkerKilledMidRunIsMadeUpForAndTheResultIsStillRight() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let expression = "x = random((3000, 3000), chunks=250); (x @ x.T).sum()"
        let local = try Blocktop.run(["run", "--headless", "--json", expression])
        let (process, stdout, terminal) = try startInBackground(["--cluster", cluster.scheduler, expression])
        _ = try waitForDone(terminal, atLeast: 200)
        cluster.killWorker(0)
        process.waitUntilExit()
        terminal.waitUntilClosed()
        #expect(process.terminationStatus == 0, "\(terminal.text)")
        let report = try json(String(decoding: stdout.wait(), as: UTF8.self))
        let here = try result(json(local.stdout)), there = try result(report)
        #expect(abs(there - here) <= 1e-9 * abs(here), "cluster \(there), local \(here)")
        #expect((report["cluster"] as? [String: Any])?["workers"] as? Int == 2)
    }

    @Test func theSchedulerGoingAwayFailsTheRunWithExit1() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let (process, stdout, terminal) = try startInBackground(["--cluster", cluster.scheduler, Self.long])
        _ = try waitForDone(terminal, atLeast: 1)
        cluster.stopScheduler()
        process.waitUntilExit()
        terminal.waitUntilClosed()
        #expect(process.terminationStatus == 1, "\(terminal.text)")
        let report = try json(String(decoding: stdout.wait(), as: UTF8.self))
        #expect(report["status"] as? String == "failed" && report["result"] is NSNull, "\(report)")
        #expect((report["error"] as? String ?? "").contains("scheduler closed"), "\(report)")
    }

    @Test func theDashboardCancelsWithCAndLeavesNoTaskOnTheCluster() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let tmux = try Tmux(arguments: "run --python \(Python.executable) --cluster \(cluster.scheduler) '\(Self.long)'", width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.waitFor("workers (2 on 1 host)", seconds: 60)
        _ = try tmux.waitForScreen("some tasks done", seconds: 60) { screen in
            screen.firstMatch(of: #/tasks\s+([0-9,]+) \//#).map { $0.1 != "0" } ?? false
        }
        tmux.send("c")
        try tmux.waitFor("cancelled", seconds: 60)
        tmux.send("q")
        let end = try tmux.waitForScreen("blocktop to exit") { $0.contains("EXIT=") }
        #expect(end.contains("EXIT=3 restored"), "\(end)")
        #expect(end.contains("status       cancelled"), "\(end)")
        #expect(try cluster.tasksOnScheduler() == 0)
    }

    @Test func theBlockSizeKeysLaunchANewRunOnTheSameCluster() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let tmux = try Tmux(arguments: "run --python \(Python.executable) --cluster \(cluster.scheduler) 'ones((2000, 2000), chunks=500).sum()'",
                            width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.waitFor("4×4 blocks", seconds: 60)
        try tmux.waitFor("DONE", seconds: 60)
        tmux.send("]")
        try tmux.waitFor("2×2 blocks", seconds: 60)
        try tmux.waitFor("DONE", seconds: 60)
        tmux.send("q")
        let end = try tmux.waitForScreen("blocktop to exit") { $0.contains("EXIT=") }
        #expect(end.contains("EXIT=0 restored"), "\(end)")
        // The report is the last run's: blocks of 1000.
        #expect(end.contains("result       4000000.0") && end.contains("chunks=500).sum()"), "\(end)")
        #expect(try cluster.tasksOnScheduler() == 0)
    }

    @Test func aSchedulerThatBlocksPluginsIsWatchedAndRunOnByPrefixCounts() throws {
        let cluster = try DaskCluster(workers: 2, blockingPlugins: true)
        defer { cluster.stop() }
        let client = try cluster.startClient("""
            import sys, time
            from distributed import Client
            import dask.array as da
            client = Client(sys.argv[1])
            for _ in range(3):
                (da.random.random((1200, 1200), chunks=200) + 1).sum().compute()
                time.sleep(0.5)
            """)
        let attached = try Blocktop.run(["attach", "--python", Python.executable, "--headless", "--json", "--for", "5", cluster.scheduler])
        client.waitUntilExit()
        #expect(attached.status == 0, "\(attached.stderr)")
        let summary = try json(attached.stdout)
        #expect(summary["events"] as? String == "none", "\(summary)")
        #expect((summary["notice"] as? String ?? "").contains("register_scheduler_plugin"), "\(summary)")
        #expect(summary["workers_present"] as? Int == 2, "\(summary)")
        let prefixes = try #require(summary["prefixes"] as? [String: [String: Any]])
        // From the scheduler's tallies: a computation that began and ended between two of the bridge's
        // readings still counts, so at least one whole computation's 36 blocks are done.
        #expect(prefixes.values.contains { ($0["done"] as? Int ?? 0) >= 36 }, "\(prefixes)")
        #expect(attached.stderr.contains("no per-task events"), "\(attached.stderr)")

        let launched = try Blocktop.run(["run", "--headless", "--json", "--python", Python.executable, "--cluster", cluster.scheduler,
                                         "ones((600, 600), chunks=200).sum()"])
        #expect(launched.status == 0, "\(launched.stderr)")
        #expect(try result(json(launched.stdout)) == 360_000)
        #expect(launched.stderr.contains("no per-task events") && launched.stderr.contains("register_scheduler_plugin"), "\(launched.stderr)")
    }

    @Test func aTLSClusterIsReachedWithTheCertificateFilesAndNotWithout() throws {
        let cluster = try DaskCluster(workers: 2, tls: true)
        defer { cluster.stop() }
        #expect(cluster.scheduler.hasPrefix("tls://"))
        let files = try #require(cluster.tlsFiles)
        let tls = ["--tls-ca-file", files.ca, "--tls-cert", files.certificate, "--tls-key", files.key]
        let launched = try Blocktop.run(["run", "--headless", "--json", "--python", Python.executable, "--cluster", cluster.scheduler]
                                        + tls + ["ones((300, 300), chunks=100).sum()"])
        #expect(launched.status == 0, "\(launched.stderr)")
        #expect(try result(json(launched.stdout)) == 90_000)
        let attached = try Blocktop.run(["attach", "--headless", "--json", "--for", "2", "--python", Python.executable] + tls + [cluster.scheduler])
        #expect(attached.status == 0, "\(attached.stderr)")
        let summary = try json(attached.stdout)
        #expect(summary["events"] as? String == "plugin" && summary["workers_present"] as? Int == 2, "\(summary)")
        // Without the files the bridge cannot speak to the cluster.
        let refused = try Blocktop.run(["run", "--headless", "--python", Python.executable, "--cluster", cluster.scheduler, "ones(4).sum()"])
        #expect(refused.status == 1 && refused.stderr.contains("cannot run on the cluster \(cluster.scheduler)"), "\(refused.stderr)")
    }

    @Test func aSweepAndAScaleOnLocalClustersAgreeAndTableEveryRun() throws {
        let expression = "x = random((1200, 1200), chunks=300); (x @ x.T).sum()"
        let sweep = try Blocktop.run(["sweep", "--json", "--repeat", "1", "--chunks", "200,400", "--python", Python.executable,
                                      "--cluster", "local:2", expression])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let swept = try json(sweep.stdout)
        #expect(swept["kind"] as? String == "sweep" && swept["results_agree"] as? Bool == true)
        let runs = try #require(swept["runs"] as? [[String: Any]])
        #expect(runs.map { $0["block_size"] as? Int } == [200, 200, 400] && runs.allSatisfy { $0["status"] as? String == "done" })
        // The cluster's tasks: more for smaller blocks; no overhead share, which only blocktop's own workers give.
        #expect((runs[1]["tasks"] as? Int ?? 0) > (runs[2]["tasks"] as? Int ?? 0) && runs.allSatisfy { $0["overhead_share"] is NSNull })
        let local = try Blocktop.run(["run", "--headless", "--json", expression])
        let value = try result(json(local.stdout))
        #expect(runs.allSatisfy { abs(($0["result"] as? Double ?? 0) - value) <= 1e-9 * value }, "\(runs)")
        #expect(sweep.stderr.contains("round 1/1: block size 400 on local:2"), "\(sweep.stderr)")

        let scale = try Blocktop.run(["scale", "--json", "--repeat", "1", "--python", Python.executable, "--cluster", "local:2", expression])
        #expect(scale.status == 0, "\(scale.stderr)")
        let scaled = try json(scale.stdout)
        let settings = try #require(scaled["settings"] as? [[String: Any]])
        #expect(settings.map { $0["workers"] as? Int } == [1, 2] && scaled["results_agree"] as? Bool == true, "\(scaled)")
        #expect(scale.stderr.contains("round 1/1: 2 workers on local:2"), "\(scale.stderr)")
    }

    @Test func badClusterInputIsOneLineAndExit64() throws {
        let folder = try TemporaryFolder()
        let store = folder.file("a.zarr")
        _ = try Python.run("import sys, zarr, numpy; zarr.save_array(sys.argv[1], numpy.ones((4, 4)))", [store])
        let cases: [([String], String)] = [
            (["--cluster", "nowhere", "ones(4).sum()"], "--cluster: 'nowhere' is no scheduler address nor local:N"),
            (["--cluster", "local:0", "ones(4).sum()"], "nor local:N"),
            (["--cluster", "local:1", "--workers", "2", "ones(4).sum()"], "--workers sets blocktop's own threads"),
            (["--python", "/usr/bin/python3", "ones(4).sum()"], "--python needs --cluster"),
            (["--tls-ca-file", "/etc/hostname", "ones(4).sum()"], "the --tls options need --cluster"),
            (["--cluster", "local:1", "--tls-ca-file", "/nonexistent.pem", "ones(4).sum()"], "--tls-ca-file: cannot read '/nonexistent.pem'"),
            (["--cluster", "local:1", "--tls-cert", "/etc/hostname", "ones(4).sum()"], "--tls-cert and --tls-key go together"),
            (["--cluster", "local:1", "--python", "/nonexistent/python", "ones(4).sum()"], "no Python at '/nonexistent/python'"),
            (["--cluster", "local:1", "--python", Python.executable, "load('\(store)').sum()"], "only .npy files are translated"),
        ]
        let tuningCases: [([String], String)] = [
            (["scale", "--cluster", "tcp://127.0.0.1:9", "ones(4).sum()"], "scale --cluster needs local:N"),
            (["scale", "--cluster", "local:2", "--workers-list", "1,3", "ones(4).sum()"], "3 workers is more than --cluster local:2 allows"),
            (["sweep", "--cluster", "local:2", "--workers", "2", "ones(4).sum()"], "--workers sets blocktop's own threads"),
        ]
        for (arguments, message) in cases.map({ (["run"] + $0.0, $0.1) }) + tuningCases {
            let outcome = try Blocktop.run([arguments[0], "--headless"] + arguments.dropFirst())
            #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(arguments)")
        }
    }
}
