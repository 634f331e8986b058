import Foundation
import Telemetry
import Testing
import TestSupport

/// blocktop's readings agree with the tools people trust, under a known BLAS load.
///
/// Tagged `machineReadings`: noise on a shared machine, not a race, decides them, so sanitizer
/// runs leave them out by setting BLOCKTOP_SKIP_MACHINE_READINGS (see the Makefile).
@Suite(.tags(.machineReadings), .skippedWhenMachineReadingsAreOff)
struct AccuracyTests {
    /// The window both sides measure over, in seconds.
    static let seconds = 3
    /// The most blocktop may differ from mpstat or pidstat, in percentage points.
    static let tolerance = 5.0

    @Test(.enabled(if: Sysstat.isInstalled, "needs mpstat and pidstat from Debian's sysstat (`make test` installs it)"))
    func agreesWithMpstatAndPidstat() async throws {
        let load = BLASLoad(threads: 2)
        defer { load.stop() }
        // Every load thread has finished a multiplication: all of them are in their loops.
        let loadThreads = try await load.busyThreadIDs()

        // Both tools read their first figures as they start and their last ones `seconds` later;
        // blocktop takes its first reading right after starting them and its last `seconds` later,
        // so the two windows overlap in all but the tools' few milliseconds of start-up.
        let pid = ProcessInfo.processInfo.processIdentifier
        let mpstat = Sysstat("mpstat", ["-P", "ALL", "1", "\(Self.seconds)"])
        let pidstat = Sysstat("pidstat", ["-t", "-p", "\(pid)", "1", "\(Self.seconds)"])
        let start = ContinuousClock.now
        var cpu = try CPUSampler(window: .zero)
        var process = try ProcessSampler(window: .zero)
        var threads = ThreadSampler<Int32>(window: .zero)
        let threadMap = Dictionary(uniqueKeysWithValues: loadThreads.map { ($0, $0) })
        _ = try threads.sample(threadMap)
        try await Task.sleep(until: start + .seconds(Self.seconds), clock: .continuous)
        let cores = try cpu.sample()
        let ours = try process.sample()
        let ourThreads = try threads.sample(threadMap)

        let theirCores = try mpstat.averages(headerWith: "%idle", within: .seconds(Self.seconds + 10))
        let theirTasks = try pidstat.averages(headerWith: "%CPU", within: .seconds(Self.seconds + 10))
        func number(_ row: [String: String], _ column: String) throws -> Double {
            try #require(row[column].flatMap(Double.init), "no \(column) in \(row)")
        }

        // Per core: mpstat's busy is everything but %idle and %iowait (its %usr excludes guest, shown apart).
        #expect(theirCores.count == cores.cores.count + 1)
        for row in theirCores {
            let theirs = try 100 - number(row, "%idle") - number(row, "%iowait")
            let mine: Double
            if row["CPU"] == "all" {
                mine = cores.total.busy
            } else {
                let id = try #require(row["CPU"].flatMap(Int.init))
                mine = try #require(cores.cores[id]).busy
            }
            #expect(abs(mine - theirs) <= Self.tolerance, "CPU \(row["CPU"]!): blocktop \(mine)%, mpstat \(theirs)%")
        }

        // The process (pidstat's TGID row) and each load thread (its TID rows), 100% = one core.
        let processRow = try #require(theirTasks.first { $0["TGID"] == "\(pid)" })
        let theirProcess = try number(processRow, "%CPU")
        #expect(abs(ours.cpuPercent - theirProcess) <= Self.tolerance, "process: blocktop \(ours.cpuPercent)%, pidstat \(theirProcess)%")
        #expect(ours.cpuPercent > 20, "the load did not run: \(ours.cpuPercent)%")
        for thread in loadThreads {
            let row = try #require(theirTasks.first { $0["TID"] == "\(thread)" })
            let theirs = try number(row, "%CPU")
            let mine = try #require(ourThreads[thread])
            #expect(abs(mine - theirs) <= Self.tolerance, "thread \(thread): blocktop \(mine)%, pidstat \(theirs)%")
            #expect(mine > 10, "load thread \(thread) barely ran: \(mine)%")
        }
    }
}
