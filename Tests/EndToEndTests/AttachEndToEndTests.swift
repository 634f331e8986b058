import Foundation
import Testing
import TestSupport

/// `blocktop attach` on a real scheduler and two workers on loopback, while a Python client of
/// the test's submits a computation: through the bridge, over HTTP only, when a worker is
/// killed mid-run, and when the scheduler goes away.
@Suite(.tags(.binary), .serialized) struct AttachEndToEndTests {
    /// The start of a client: it connects to the scheduler at `sys.argv[1]` and waits until
    /// blocktop's bridge has registered its scheduler plugin.
    static let clientWaitingForTheBridge = """
        import sys, time
        from distributed import Client
        import dask.array as da
        client = Client(sys.argv[1])
        deadline = time.time() + 60
        while time.time() < deadline and not any(name.startswith("blocktop-events")
                for name in client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.plugins))):
            time.sleep(0.05)

        """

    /// A client that computes `(x @ x.T).sum()` of a small random array in blocks.
    static let clientAfterTheBridge = clientWaitingForTheBridge + """
        x = da.random.random((1200, 1200), chunks=300)
        (x @ x.T).sum().compute()
        """

    /// A client that computes `(x + 1).sum()` of 4×4 random blocks, each `+ 1` held at a gate
    /// until the worker that holds some of the blocks (the second by address) has been killed
    /// with SIGKILL; it exits 1 when the result differs from a local computation's.
    static let clientKillingAWorker = clientWaitingForTheBridge + """
        import os, signal
        from distributed import Event, rejoin, secede

        def gated(block):
            # Out of the worker's thread pool until the gate opens: the other blocks go on.
            secede()
            Event("gate").wait()
            rejoin()
            return block + 1

        x = da.random.RandomState(42).random_sample((400, 400), chunks=100)
        # Unoptimised: the random blocks stay tasks of their own, held in the workers' memory.
        future = client.compute(x.map_blocks(gated, dtype=x.dtype).sum(), optimize_graph=False)
        victim = sorted(client.scheduler_info()["workers"])[1]
        while not client.has_what([victim])[victim]:
            assert not future.done(), "the computation ended before the kill"
            time.sleep(0.01)
        os.kill(client.run(os.getpid, workers=[victim])[victim], signal.SIGKILL)
        while victim in client.scheduler_info()["workers"]:
            time.sleep(0.01)
        Event("gate").set()
        result, expected = future.result(), (x + 1).sum().compute(scheduler="sync")
        sys.exit(0 if abs(result - expected) <= 1e-12 * abs(expected) else 1)
        """

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    /// The prefixes of `summary` whose tasks were all done.
    func donePrefixes(_ summary: [String: Any]) throws -> Set<String> {
        let prefixes = try #require(summary["prefixes"] as? [String: [String: Any]])
        return Set(prefixes.filter { ($0.value["total"] as? Int ?? 0) > 0 && $0.value["done"] as? Int == $0.value["total"] as? Int }.keys)
    }

    @Test func theBridgeSeesBothWorkersAndAnotherClientsComputationReachDone() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let client = try cluster.startClient(Self.clientAfterTheBridge)
        let outcome = try Blocktop.run(["attach", "--python", Python.executable, "--headless", "--json", "--for", "5", cluster.scheduler])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let summary = try json(outcome.stdout)
        #expect(summary["events"] as? String == "plugin")
        let workers = try #require(summary["workers"] as? [[String: Any]])
        #expect(workers.compactMap { $0["name"] as? String }.sorted() == ["w0", "w1"])
        #expect(summary["workers_present"] as? Int == 2 && summary["threads"] as? Int == 2)
        let done = try donePrefixes(summary)
        #expect(done.isSuperset(of: ["random_sample", "sum-aggregate"]), "\(summary["prefixes"] ?? "")")
        #expect(summary["skipped_lines"] as? Int == 0)
        client.waitUntilExit()
        #expect(client.terminationStatus == 0)
    }

    @Test func aWorkerKilledMidRunLeavesItsLostTasksAreRecomputedAndTheResultIsRight() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let client = try cluster.startClient(Self.clientKillingAWorker)
        let outcome = try Blocktop.run(["attach", "--python", Python.executable, "--headless", "--json", "--for", "20", cluster.scheduler])
        client.waitUntilExit()
        #expect(client.terminationStatus == 0, "the client's result was wrong, or it failed")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let summary = try json(outcome.stdout)
        let workers = try #require(summary["workers"] as? [[String: Any]])
        #expect(workers.filter { $0["present"] as? Bool == false }.count == 1, "\(workers)")
        #expect(summary["workers_present"] as? Int == 1)
        #expect((summary["recomputed"] as? Int ?? 0) >= 1, "\(outcome.stdout)")
        #expect(try donePrefixes(summary).isSuperset(of: ["random_sample", "gated", "sum-aggregate"]), "\(summary["prefixes"] ?? "")")
        let efficiency = try #require(summary["efficiency"] as? Double, "\(outcome.stdout)")
        #expect(efficiency > 0 && efficiency <= 1)
    }

    /// Attaches the dashboard to a real cluster of two workers, waits until another client's
    /// computation is done on screen, then hands `finish` the cluster, the window and that screen.
    func afterAComputationInTheDashboard(_ finish: (DaskCluster, Tmux, String) throws -> Void) throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let tmux = try Tmux(arguments: "attach --python \(Python.executable) \(cluster.scheduler)", width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.waitFor("workers (2 on 1 host)")
        let client = try cluster.startClient(Self.clientAfterTheBridge)
        // Every task of the computation done, per operation too, and the workers' lanes drawn.
        let screen = try tmux.waitForScreen("the computation done") { $0.contains("100.0%") && $0.contains("random_samp") }
        client.waitUntilExit()
        try finish(cluster, tmux, screen)
    }

    @Test func theDashboardFillsInAndTheSchedulerGoingAwayRestoresTheTerminalWithExit1() throws {
        try afterAComputationInTheDashboard { cluster, tmux, screen in
            #expect(screen.contains("127.0.0.1  2 workers · 2 threads"), "\(screen)")
            #expect(screen.contains("sum-aggrega"), "\(screen)")
            cluster.stopScheduler()
            let end = try tmux.waitForScreen("blocktop to exit") { $0.contains("EXIT=") }
            #expect(end.contains("EXIT=1 restored"), "\(end)")
            #expect(end.contains("error: the scheduler at \(cluster.scheduler) went away"), "\(end)")
            // What was seen, printed once the terminal is back, as without the dashboard.
            #expect(end.contains("cluster \(cluster.scheduler) · "), "\(end)")
        }
    }

    /// The lines of a text summary on `screen` for `prefix`, with their tasks done and in all.
    func prefixTallies(_ prefix: String, on screen: String) -> [(done: Int, total: Int)] {
        screen.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  \(prefix) ") else { return nil }
            let counts = line.split(separator: " ").dropFirst().first?.split(separator: "/").compactMap { Int($0) } ?? []
            return counts.count == 2 ? (counts[0], counts[1]) : nil
        }
    }

    @Test func qPrintsWhatWasSeenOnceTheTerminalIsRestored() throws {
        try afterAComputationInTheDashboard { cluster, tmux, _ in
            tmux.send("q")
            let end = try tmux.waitForScreen("blocktop to exit") { $0.contains("EXIT=") }
            #expect(end.contains("EXIT=0 restored"), "\(end)")
            #expect(end.contains("cluster \(cluster.scheduler) · 2 workers, 2 threads · CPU "), "\(end)")
            let tallies = prefixTallies("random_sample", on: end)
            #expect(tallies.count == 1 && tallies.allSatisfy { $0.done == $0.total && $0.total > 0 }, "\(end)")
        }
    }

    @Test func overHTTPOnlyThePrefixesAndWorkersComeFromTheMetrics() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        try Python.run("""
            import sys
            from distributed import Client
            import dask.array as da
            Client(sys.argv[1]).compute((da.random.random((1200, 1200), chunks=300) + 1).sum()).result()
            """, [cluster.scheduler])
        let outcome = try Blocktop.run(["attach", "--http-only", "--headless", "--json", "--for", "3", cluster.dashboard])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("HTTP only"))
        let summary = try json(outcome.stdout)
        #expect(summary["events"] as? String == "http" && summary["scheduler"] as? String == cluster.scheduler)
        #expect(summary["workers_present"] as? Int == 2 && summary["threads"] as? Int == 2)
        // Every prefix the computation had (dask fuses random_sample with add and sum) was done.
        let prefixes = try #require(summary["prefixes"] as? [String: Any])
        #expect(try donePrefixes(summary) == Set(prefixes.keys) && prefixes["sum-aggregate"] != nil, "\(outcome.stdout)")
        let workers = try #require(summary["workers"] as? [[String: Any]])
        #expect(workers.compactMap { $0["name"] as? String }.sorted() == ["w0", "w1"])
    }

    @Test func aPythonWithoutDistributedSaysWhatToInstallAndFallsBackToHTTP() throws {
        let cluster = try DaskCluster(workers: 2)
        defer { cluster.stop() }
        let outcome = try Blocktop.run(["attach", "--python", "/usr/bin/python3", "--headless", "--json", "--for", "2", cluster.dashboard])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("python3 -m pip install 'dask[distributed]==2026.8.0'"), "\(outcome.stderr)")
        #expect(try json(outcome.stdout)["events"] as? String == "http")
    }

    @Test func theSchedulerGoingAwayIsOneLineAndExit1() throws {
        let cluster = try DaskCluster(workers: 1)
        defer { cluster.stop() }
        let stopper = Thread {
            Thread.sleep(forTimeInterval: 3)
            cluster.stopScheduler()
        }
        stopper.start()
        let outcome = try Blocktop.run(["attach", "--http-only", "--headless", "--json", cluster.dashboard])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("error: the scheduler at \(cluster.dashboard) went away"), "\(outcome.stderr)")
        #expect(try json(outcome.stdout)["ended"] is String)
    }

    @Test func badAddressesAndPythonsAreBadInput() throws {
        for arguments in [["attach", "nowhere"], ["attach", "--python", "/no/such/python", "tcp://127.0.0.1:1"],
                          ["attach", "--for", "0", "tcp://127.0.0.1:1"]] {
            let outcome = try Blocktop.run(arguments)
            #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
        }
        let unreachable = try Blocktop.run(["attach", "--http-only", "--headless", "http://127.0.0.1:1"])
        #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot watch the cluster"), "\(unreachable.stderr)")
    }
}
