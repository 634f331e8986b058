import Glibc
import Telemetry
import Testing

/// The CPU use of a process and its descendants, from fixture /proc trees.
@Suite struct ProcessTreeTests {
    let start = ContinuousClock.now

    /// Lays the fixture tree `name` (`before` or `after`) out in `proc`, in place of what was there.
    private func install(_ name: String, in proc: ScratchProc) throws {
        for id in [500, 501, 502, 503, 600] { try? proc.remove("\(id)") }
        let ids = name == "before" ? [500, 501, 502, 600] : [500, 501, 503, 600]
        for id in ids { try proc.install("roots/process-tree-\(name)/\(id)/stat", as: "\(id)/stat") }
    }

    @Test func sumsTheTicksOfTheProcessAndItsDescendantsOnly() throws {
        let proc = try ScratchProc()
        try install("before", in: proc)
        var sampler = ProcessTreeSampler(procRoot: proc.path, rootID: 500)
        let first = sampler.sample(at: start)
        #expect(first.cpuPercent == 0)
        #expect(first.processes == 3)
        try install("after", in: proc)
        let second = sampler.sample(at: start + .seconds(2))
        // 100 + 100 + 30 ticks over 2 s; the unrelated process's 4000 ticks and the exited grandchild are not counted.
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        #expect(near(second.cpuPercent, 100 * 230 / ticksPerSecond / 2))
        #expect(second.processes == 3)
    }

    @Test func aProcessThatIsGoneReadsZero() throws {
        let proc = try ScratchProc()
        try install("before", in: proc)
        var sampler = ProcessTreeSampler(procRoot: proc.path, rootID: 700)
        _ = sampler.sample(at: start)
        let reading = sampler.sample(at: start + .seconds(1))
        #expect(reading.cpuPercent == 0)
        #expect(reading.processes == 0)
    }
}
