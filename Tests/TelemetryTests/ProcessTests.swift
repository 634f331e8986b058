import Foundation
import Glibc
import Telemetry
import Testing

/// /proc/PID/stat and statm parsing, and the process and thread samplers.
@Suite struct ProcessTests {
    let start = ContinuousClock.now

    @Test func parsesARecordedProcessLine() throws {
        let stat = try ProcessStat.parse(Fixtures.text("process/python-stat.txt"))
        #expect(stat == ProcessStat(name: "python3", parentID: 13712, userTicks: 105, systemTicks: 0, threadCount: 3, startTicks: 142696, processor: 1))
    }

    @Test func aCommandNameMayHoldParenthesesAndSpaces() throws {
        let stat = try ProcessStat.parse(Fixtures.text("process/odd-name-stat.txt"))
        #expect(stat.name == "w) R 1 (x) 2")
        #expect(stat.userTicks == 105)
        #expect(stat.startTicks == 142696)
    }

    @Test(arguments: [
        ("1234 python3 R 1 2", "no `(command)` field"),
        ("1234 (python3) R 1 2 3", "field 7 is not a number"),
        ("1234 (python3) R 1 1 1 0 -1 4194304 1 0 0 0 -5 0 0 0 20 0 1 0 99 0 0", "negative CPU time"),
    ])
    func rejectsMalformedStat(text: String, reason: String) {
        #expect {
            try ProcessStat.parse(text, path: "/fixture/stat")
        } throws: { error in
            (error as? TelemetryError)?.path == "/fixture/stat" && "\(error)".contains(reason)
        }
    }

    @Test func statmGivesResidentPages() throws {
        #expect(try Statm.residentPages(in: Fixtures.text("process/python-statm.txt")) == 3391)
        #expect(throws: TelemetryError.malformed(path: "/p/statm", reason: "expected at least two page counts, got `41015`")) {
            try Statm.residentPages(in: "41015\n", path: "/p/statm")
        }
    }

    @Test func processCPUIsTicksOverWallTimeWithOneCoreAsAHundred() throws {
        let proc = try ScratchProc()
        try proc.install("process/python-stat.txt", as: "self/stat")
        try proc.install("process/python-statm.txt", as: "self/statm")
        var sampler = try ProcessSampler(procRoot: proc.path, window: .zero, at: start)
        try proc.install("process/python-stat-later.txt", as: "self/stat")
        let reading = try sampler.sample(at: start + .seconds(2))
        // 150 user and 50 system ticks in 2 s at 100 ticks a second: two cores' worth in all.
        let perSecond = Double(Kernel.clockTicksPerSecond)
        #expect(near(reading.userPercent, 100 * 150 / perSecond / 2))
        #expect(near(reading.systemPercent, 100 * 50 / perSecond / 2))
        #expect(near(reading.cpuPercent, 100 * 200 / perSecond / 2))
        #expect(reading.residentBytes == 3391 * UInt64(Kernel.pageSize))
        #expect(reading.threadCount == 3)
    }

    @Test func aMissingProcessFileNamesIt() throws {
        let proc = try ScratchProc()
        try proc.install("process/python-stat.txt", as: "self/stat")
        var sampler = try ProcessSampler(procRoot: proc.path)
        #expect(throws: TelemetryError.unreadable(path: proc.path + "/self/statm", errno: ENOENT)) {
            try sampler.sample()
        }
    }

    @Test func threadsAreReportedUnderTheCallersKeys() throws {
        let proc = try ScratchProc()
        try proc.install("process/python-thread-stat.txt", as: "self/task/13758/stat")
        var sampler = ThreadSampler<String>(procRoot: proc.path, window: .zero)
        // First sight of a thread: nothing to compare with yet.
        #expect(try sampler.sample(["worker 0": 13758], at: start).isEmpty)
        try proc.install("process/python-thread-stat-later.txt", as: "self/task/13758/stat")
        let readings = try sampler.sample(["worker 0": 13758], at: start + .seconds(2))
        // 80 more ticks in 2 s.
        #expect(readings.count == 1)
        #expect(near(readings["worker 0"]!, 100 * 80 / Double(Kernel.clockTicksPerSecond) / 2))
    }

    @Test func anExitedThreadIsLeftOut() throws {
        let proc = try ScratchProc()
        try proc.install("process/python-thread-stat.txt", as: "self/task/13758/stat")
        var sampler = ThreadSampler<Int>(procRoot: proc.path, window: .zero)
        _ = try sampler.sample([0: 13758, 1: 13759], at: start)
        try proc.remove("self/task/13758")
        #expect(try sampler.sample([0: 13758, 1: 13759], at: start + .seconds(1)).isEmpty)
    }

    @Test func aReusedThreadIdStartsOver() throws {
        let proc = try ScratchProc()
        try proc.install("process/python-thread-stat.txt", as: "self/task/13758/stat")
        var sampler = ThreadSampler<Int>(procRoot: proc.path, window: .zero)
        _ = try sampler.sample([0: 13758], at: start)
        // Another thread got id 13758: its start time differs and its CPU time is lower.
        try proc.install("process/python-thread-reused-stat.txt", as: "self/task/13758/stat")
        #expect(try sampler.sample([0: 13758], at: start + .seconds(1)).isEmpty)
        #expect(try sampler.sample([0: 13758], at: start + .seconds(2)) == [0: 0])
    }

    @Test func aThreadReadsAtMostOneCore() throws {
        let proc = try ScratchProc()
        try proc.install("process/python-thread-stat.txt", as: "self/task/13758/stat")
        var sampler = ThreadSampler<Int>(procRoot: proc.path, window: .zero)
        _ = try sampler.sample([0: 13758], at: start)
        try proc.install("process/python-thread-stat-later.txt", as: "self/task/13758/stat")
        // 80 ticks in 10 ms: tick rounding, not a thread on eight cores.
        #expect(try sampler.sample([0: 13758], at: start + .milliseconds(10)) == [0: 100])
    }

    @Test func threadIDsAreThoseOfTheCallingThreads() async throws {
        let mine = try ThreadID.current()
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { Int32($0) }
        #expect(tasks.contains(mine))
        let other = try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try ThreadID.current() }) }
            thread.start()
        }
        #expect(other != mine)
    }
}
