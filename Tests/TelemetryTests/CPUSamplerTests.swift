import Glibc
import Telemetry
import Testing

/// The per-core sampler: base selection, cores going offline and back, smoothing, missing files.
@Suite struct CPUSamplerTests {
    let start = ContinuousClock.now

    @Test func comparesWithTheFirstReading() throws {
        let proc = try ScratchProc()
        try proc.install("stat/vm-steal-guest-0.txt", as: "stat")
        var sampler = try CPUSampler(procRoot: proc.path, window: .zero, at: start)
        try proc.install("stat/vm-steal-guest-1.txt", as: "stat")
        let reading = try sampler.sample(at: start + .seconds(1))
        #expect(reading.cores.map { $0?.busy } == [80, 35, 0, 100])
        #expect(near(reading.total.busy, 53.75))
    }

    @Test func coresGoingOfflineKeepTheirPlaceAndComeBack() throws {
        let proc = try ScratchProc()
        try proc.install("stat/smt-off-0.txt", as: "stat")
        var sampler = try CPUSampler(procRoot: proc.path, window: .zero, at: start)

        try proc.install("stat/smt-off-1.txt", as: "stat")
        let off = try sampler.sample(at: start + .seconds(1))
        #expect(off.cores == [CoreUsage(user: 50, system: 10, steal: 0), nil, CoreUsage(user: 20, system: 0, steal: 0), nil])

        try proc.install("stat/smt-off-2.txt", as: "stat")
        let back = try sampler.sample(at: start + .seconds(2))
        // cpu1 and cpu3 are measured from their last readings, before they went offline;
        // cpu1's idle counter went backwards and counts as no time.
        #expect(back.cores == [
            CoreUsage(user: 50, system: 0, steal: 0), CoreUsage(user: 75, system: 25, steal: 0),
            .idle, .idle,
        ])
    }

    @Test func aCoreNeverSeenBeforeReadsIdleUntilItHasABase() throws {
        let proc = try ScratchProc()
        try proc.install("stat/smt-off-1.txt", as: "stat")
        var sampler = try CPUSampler(procRoot: proc.path, window: .zero, at: start)
        try proc.install("stat/smt-off-2.txt", as: "stat")
        let appeared = try sampler.sample(at: start + .seconds(1))
        #expect(appeared.cores.count == 4)
        #expect(appeared.cores[1] == .idle)
        #expect(appeared.cores[3] == .idle)
        #expect(appeared.cores[0] == CoreUsage(user: 50, system: 0, steal: 0))
    }

    @Test func aMissingFileIsATypedErrorNamingIt() throws {
        let proc = try ScratchProc()
        #expect(throws: TelemetryError.unreadable(path: proc.path + "/stat", errno: ENOENT)) {
            try CPUSampler(procRoot: proc.path)
        }
        try proc.install("stat/debian-2core.txt", as: "stat")
        var sampler = try CPUSampler(procRoot: proc.path)
        try proc.remove("stat")
        do {
            _ = try sampler.sample()
            Issue.record("sampled a missing file")
        } catch {
            #expect(error == .unreadable(path: proc.path + "/stat", errno: ENOENT))
            #expect(error.description == "cannot read \(proc.path)/stat: No such file or directory")
        }
    }

    /// A core 55% busy, read every 100 ms: /proc's 100 Hz ticks give it 5 or 6 busy ticks out
    /// of 10 in turn. Plain deltas jump between 50% and 60%; a one-second window reads 55%.
    @Test func aWindowSmoothsTickSteps() throws {
        let proc = try ScratchProc()
        func write(step: Int) throws {
            let busy = UInt64(step * 11 / 2) // 0, 5, 11, 16, 22, ...: 5.5 ticks per step
            let idle = UInt64(step * 10) - busy
            try proc.write("cpu  \(busy) 0 0 \(idle) 0 0 0 0 0 0\ncpu0 \(busy) 0 0 \(idle) 0 0 0 0 0 0\n", as: "stat")
        }
        try write(step: 0)
        var plain = try CPUSampler(procRoot: proc.path, window: .zero, at: start)
        var smoothed = try CPUSampler(procRoot: proc.path, window: .seconds(1), at: start)
        var plainReadings: [Double] = []
        var smoothedReadings: [Double] = []
        for step in 1...40 {
            try write(step: step)
            let now = start + .milliseconds(100 * step)
            plainReadings.append(try plain.sample(at: now).cores[0]!.busy)
            smoothedReadings.append(try smoothed.sample(at: now).cores[0]!.busy)
        }
        #expect(Set(plainReadings) == [50, 60])
        // Once a second has passed, every reading averages at least ten steps.
        for reading in smoothedReadings.dropFirst(10) {
            #expect(abs(reading - 55) <= 0.5, "\(smoothedReadings)")
        }
    }

    /// Sampling slower than the window is a plain delta against the previous sample.
    @Test func aSlowRefreshComparesWithThePreviousSample() throws {
        let proc = try ScratchProc()
        try proc.write("cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\n", as: "stat")
        var sampler = try CPUSampler(procRoot: proc.path, window: .seconds(1), at: start)
        try proc.write("cpu  200 0 0 0 0 0 0 0 0 0\ncpu0 200 0 0 0 0 0 0 0 0 0\n", as: "stat")
        #expect(try sampler.sample(at: start + .seconds(2)).cores[0]!.busy == 100)
        try proc.write("cpu  200 0 0 200 0 0 0 0 0 0\ncpu0 200 0 0 200 0 0 0 0 0 0\n", as: "stat")
        #expect(try sampler.sample(at: start + .seconds(4)).cores[0]!.busy == 0)
    }
}
