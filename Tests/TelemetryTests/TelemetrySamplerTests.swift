import Telemetry
import Testing

/// A full sample: cores, process, workers and memory together.
@Suite struct TelemetrySamplerTests {
    @Test func readsEverythingFromOneProcTree() throws {
        let proc = try ScratchProc()
        try proc.install("stat/vm-steal-guest-0.txt", as: "stat")
        try proc.install("meminfo/debian-24g.txt", as: "meminfo")
        try proc.install("process/python-stat.txt", as: "self/stat")
        try proc.install("process/python-statm.txt", as: "self/statm")
        try proc.install("process/python-thread-stat.txt", as: "self/task/13758/stat")
        let start = ContinuousClock.now
        var sampler = try TelemetrySampler<Int>(procRoot: proc.path, window: .zero, at: start)
        let first = try sampler.sample(workers: [7: 13758], at: start + .seconds(1))
        #expect(first.workers.isEmpty)

        try proc.install("stat/vm-steal-guest-1.txt", as: "stat")
        try proc.install("process/python-stat-later.txt", as: "self/stat")
        try proc.install("process/python-thread-stat-later.txt", as: "self/task/13758/stat")
        let sample = try sampler.sample(workers: [7: 13758], at: start + .seconds(3))
        let ticks = Double(Kernel.clockTicksPerSecond)
        #expect(sample.time == start + .seconds(3))
        #expect(sample.cpu.cores.map { $0?.busy } == [80, 35, 0, 100])
        #expect(near(sample.process.cpuPercent, 100 * 200 / ticks / 2))
        #expect(near(sample.workers[7]!, 100 * 80 / ticks / 2))
        #expect(sample.memory.totalBytes == 24_684_092 * 1024)
    }

    /// On the live /proc: readings exist and lie in range.
    @Test func samplesTheRunningSystem() throws {
        let me = try ThreadID.current()
        var sampler = try TelemetrySampler<Int>(window: .zero)
        _ = try sampler.sample(workers: [0: me])
        // Burn a little CPU on this thread so there is something to count.
        var x = 0.0
        for i in 0..<2_000_000 { x += Double(i).squareRoot() }
        #expect(x > 0)
        let sample = try sampler.sample(workers: [0: me])
        #expect(sample.cpu.cores.count >= 1)
        for core in sample.cpu.cores.compactMap({ $0 }) {
            #expect(core.busy >= 0 && core.busy <= 100)
        }
        #expect(sample.process.cpuPercent >= 0)
        #expect(sample.process.residentBytes > 1 << 20)
        #expect(sample.process.threadCount >= 1)
        #expect(sample.workers[0].map { $0 >= 0 && $0 <= 100 } == true)
        #expect(sample.memory.availableBytes > 0 && sample.memory.availableBytes <= sample.memory.totalBytes)
    }
}
