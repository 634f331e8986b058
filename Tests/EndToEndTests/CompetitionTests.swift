import Foundation
import Testing
import TestSupport

/// Another process busy on blocktop's CPU: blocktop runs pinned to CPU 0 with `taskset`, and a
/// shell loop pinned there too takes about half of it, whatever else the machine does.
@Suite(.enabled(if: CPUHog.canPin(to: [0]), "needs taskset and CPU 0"), .serialized, .tags(.binary))
struct CompetitionEndToEndTests {
    @Test(.enabled(if: Tmux.available, "needs tmux (`make deps` installs it)"))
    func theHeaderWarnsAndCoreBarsShowOthersWhileAnotherProcessSharesTheCPU() throws {
        let hog = try CPUHog(cpu: 0)
        defer { hog.stop() }
        let tmux = try Tmux(arguments: "run 'x = random((4000, 4000)); (x @ x.T).sum()' --chunks 500 --workers 1",
                            width: 120, height: 40, launcher: "taskset -c 0")
        defer { tmux.kill() }
        let screen = try tmux.waitForScreen("the header to warn of others while running") { screen in
            screen.split(separator: "\n").first.map { $0.contains(#/others use [0-9.]+ of 1 CPU  RUNNING/#) } ?? false
        }
        // Core 0's bar has others' share, and the legend says which glyph that is.
        let lines = screen.split(separator: "\n")
        let core0 = try #require(lines.first { $0.contains("││0 ") }, "no bar for core 0 in\n\(screen)")
        #expect(core0.contains("▒"), "\(core0)")
        #expect(lines.contains { $0.contains("█ blocktop ▒ others") })
        tmux.send("q")
        try tmux.waitFor("EXIT=3 restored")
    }

    @Test func sweepAndScaleFlagEveryRunAnotherProcessDisturbed() throws {
        let hog = try CPUHog(cpu: 0)
        defer { hog.stop() }
        let expression = "x = random((2500, 2500)); (x @ x.T).sum()"
        let sweep = try Blocktop.run(["sweep", "--chunks", "250,500", "--repeat", "1", "--workers", "1", expression],
                                     launcher: ["taskset", "-c", "0"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        for run in ["250 \\(warm-up\\)", "250, round 1", "500, round 1"] {
            let note = try Regex("\nblock \(run) disturbed: others used [0-9.]+ of 1 CPU\n")
            #expect(sweep.stdout.contains(note), "\(sweep.stdout)")
        }
        #expect(sweep.stdout.contains("the times of disturbed runs are not comparable"))

        let scale = try Blocktop.run(["scale", "--json", "--workers-list", "1,2", "--repeat", "1", expression],
                                     launcher: ["taskset", "-c", "0"])
        #expect(scale.status == 0, "\(scale.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(scale.stdout.utf8)) as? [String: Any])
        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.count == 3)  // the warm-up, then one round of 1 and 2 workers
        for run in runs {
            #expect(run["disturbed"] as? Bool == true, "\(run)")
            #expect((run["others_cpus"] as? Double ?? 0) > 0.125, "\(run)")
        }
    }
}

/// Others' CPU in a run's report against independent readings: the CPU time of the loops
/// competing with it (their /proc/PID/stat) and CPU 0's busy time (/proc/stat).
///
/// Tagged `machineReadings`: it compares figures over a window of this machine, which other
/// tests running at the same time would change (see the Makefile).
@Suite(.tags(.machineReadings, .binary), .skippedWhenMachineReadingsAreOff,
       .enabled(if: CPUHog.canPin(to: [0, 1]), "needs taskset and CPUs 0 and 1"), .serialized)
struct CompetitionAccuracyTests {
    /// The most the report may differ from the readings, in CPUs.
    static let tolerance = 0.1

    /// Busy seconds of CPU `id` so far, from its /proc/stat line as mpstat reads it:
    /// user + nice + system + irq + softirq + steal.
    static func busySeconds(cpu id: Int) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
        let line = try #require(stat.split(separator: "\n").first { $0.hasPrefix("cpu\(id) ") })
        let counters = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        try #require(counters.count >= 8, "\(line)")
        return [0, 1, 2, 5, 6, 7].reduce(0) { $0 + counters[$1] } / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    @Test func othersInTheReportAreTheProcessesOnBlocktopsCPUOnly() throws {
        let sharing = try CPUHog(cpu: 0)
        defer { sharing.stop() }
        let apart = try CPUHog(cpu: 1)
        defer { apart.stop() }
        try waitUntil(within: .seconds(10), "both loops to run") { try sharing.cpuSeconds() > 0.05 && apart.cpuSeconds() > 0.05 }

        let start = (time: ContinuousClock.now, sharing: try sharing.cpuSeconds(), apart: try apart.cpuSeconds(), cpu0: try Self.busySeconds(cpu: 0))
        let outcome = try Blocktop.run(["run", "--json", "--workers", "1", "x = random((3000, 3000)); (x @ x.T).sum()"],
                                       launcher: ["taskset", "-c", "0"])
        let end = (time: ContinuousClock.now, sharing: try sharing.cpuSeconds(), apart: try apart.cpuSeconds(), cpu0: try Self.busySeconds(cpu: 0))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let others = try #require(report["others_cpus"] as? Double)
        let wall = try #require(report["wall_seconds"] as? Double)
        let blocktopSeconds = try #require(report["cpu_percent"] as? Double) / 100 * wall

        let seconds = (end.time - start.time).seconds
        let sharingCPUs = (end.sharing - start.sharing) / seconds
        let apartCPUs = (end.apart - start.apart) / seconds
        // Whoever else used CPU 0 meanwhile (other work on a shared machine): its busy time less
        // the loop's and blocktop's.
        let rest = max(0, (end.cpu0 - start.cpu0) - (end.sharing - start.sharing) - blocktopSeconds) / seconds
        let figures = String(format: "report: others %.3f CPUs over %.2f s; loop on CPU 0 %.3f CPUs, loop on CPU 1 %.3f, rest of CPU 0 %.3f, over %.2f s",
                             others, wall, sharingCPUs, apartCPUs, rest, seconds)
        print(figures)
        // Both loops ran (on a busy machine CPU 1 is shared too), the one apart well past the tolerance.
        #expect(sharingCPUs > 0.2 && apartCPUs > 2 * Self.tolerance, "the loops did not both run: \(figures)")
        // The loop on blocktop's CPU is counted; the loop on CPU 1, which blocktop may not use, is not.
        #expect(others >= sharingCPUs - Self.tolerance, "\(figures)")
        #expect(others <= sharingCPUs + rest + Self.tolerance, "\(figures)")
        #expect(report["disturbed"] as? Bool == true, "\(figures)")
    }
}
