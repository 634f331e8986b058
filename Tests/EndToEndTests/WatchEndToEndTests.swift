import Foundation
import Testing
import TestSupport

/// `blocktop watch -- python script.py` on a small dask.array script of the test's: headless
/// with its output passed through and its exit status, in the dashboard until q, and bad input.
@Suite(.tags(.binary), .serialized) struct WatchEndToEndTests {
    /// `(x @ x.T).sum()` at n=400 in 100×100 blocks on the threads scheduler; prints a line,
    /// then exits with 3, or, with `wait` as its argument, sleeps until it is ended.
    static let script = """
        import sys, time
        import dask
        import dask.array as da
        x = da.random.random((400, 400), chunks=100)
        with dask.config.set(scheduler="threads"):
            total = (x @ x.T).sum().compute()
        print("the script says: sum is", "positive" if total > 0 else "not positive", flush=True)
        if sys.argv[1:] == ["wait"]:
            time.sleep(600)
        sys.exit(3)
        """

    /// The script written to a file in `folder`.
    func scriptFile(in folder: TemporaryFolder) throws -> String {
        let path = folder.file("script.py")
        try Self.script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func headlessJSONSeesEveryTaskDonePassesTheOutputThroughAndExitsWithTheScriptsStatus() throws {
        let folder = try TemporaryFolder("watch")
        let outcome = try Blocktop.run(["watch", "--headless", "--json", "--", Python.executable, try scriptFile(in: folder)])
        #expect(outcome.status == 3, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "the script says: sum is positive", "\(outcome.stdout)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any],
                                   "not JSON: \(outcome.stdout)")
        #expect(summary["events"] as? String == "callbacks")
        #expect(summary["exit_status"] as? Int == 3)
        let prefixes = try #require(summary["prefixes"] as? [String: [String: Any]])
        #expect(Set(prefixes.keys).isSuperset(of: ["random_sample", "chunk_sum", "sum-aggregate"]), "\(prefixes)")
        for (prefix, tasks) in prefixes {
            #expect((tasks["total"] as? Int ?? 0) > 0 && tasks["done"] as? Int == tasks["total"] as? Int, "\(prefix): \(tasks)")
        }
        #expect(summary["skipped_lines"] as? Int == 0)
    }

    /// blocktop starts itself again with OPENBLAS_NUM_THREADS=1 (see OpenBLASThreads); the
    /// program it watches gets the user's own value back, or none, and not blocktop's marker.
    @Test(arguments: [(["env", "OPENBLAS_NUM_THREADS=4"], "4"), (["env", "-u", "OPENBLAS_NUM_THREADS"], "unset")])
    func theWatchedProgramGetsTheUsersOpenBLASSetting(launcher: [String], expected: String) throws {
        let program = "import os; print('threads', os.environ.get('OPENBLAS_NUM_THREADS', 'unset'), "
            + "'BLOCKTOP_SAVED_OPENBLAS_NUM_THREADS' in os.environ)"
        let outcome = try Blocktop.run(["watch", "--headless", "--", Python.executable, "-c", program], launcher: launcher)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.split(separator: "\n").first == "threads \(expected) False", "\(outcome.stdout)")
    }

    @Test func theDashboardShowsTheScriptAndQEndsItWithTheTerminalRestored() throws {
        let folder = try TemporaryFolder("watch")
        let tmux = try Tmux(arguments: "watch -- \(Python.executable) \(try scriptFile(in: folder)) wait", width: 120, height: 40)
        defer { tmux.kill() }
        let screen = try tmux.waitForScreen("the computation done") { $0.contains("100.0%") && $0.contains("random_samp") }
        #expect(screen.contains("watch "), "\(screen)")
        #expect(!screen.contains("the script says"), "the script's output reached the dashboard: \(screen)")
        tmux.send("q")
        let end = try tmux.waitForScreen("blocktop to exit") { $0.contains("EXIT=") }
        // The script ended by SIGTERM (128 + 15), and its output printed once the terminal was back.
        #expect(end.contains("EXIT=143 restored"), "\(end)")
        #expect(end.contains("the script says: sum is positive"), "\(end)")
        // Then what was seen, as without the dashboard (the window wraps long lines: join them).
        let joined = end.replacingOccurrences(of: "\n", with: "")
        let said = try #require(joined.range(of: "the script says"), "\(end)")
        let summary = try #require(joined.range(of: " · exit status 143 · "), "\(end)")
        #expect(said.upperBound <= summary.lowerBound, "\(end)")
    }

    @Test(arguments: [
        (["watch"], "no program to watch"),
        (["watch", "--", "/no/such/program"], "no program '/no/such/program'"),
        (["watch", "--python", "/no/such/python", "--", "/bin/true"], "no Python at '/no/such/python'"),
        (["watch", "--python", "/bin/false", "--", "/bin/true"], "/bin/false has no dask"),
    ])
    func badInputIsOneErrorLineAndExit64(arguments: [String], message: String) throws {
        let outcome = try Blocktop.run(arguments)
        #expect(outcome.status == 64)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("blocktop: error: ") && lines[0].contains(message), "\(outcome.stderr)")
    }
}
