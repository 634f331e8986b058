import Glibc
import Telemetry
import Testing
import TestSupport

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

    /// On the live /proc: a thread that burnt CPU between two samples reads as busy, as does its
    /// process and the machine, and every reading lies in range.
    @Test func samplesTheRunningSystem() throws {
        let me = try ThreadID.current()
        var sampler = try TelemetrySampler<Int>(window: .zero)
        _ = try sampler.sample(workers: [0: me])
        // Burn CPU on this thread until the kernel has charged it 50 ms: five clock ticks at 100 Hz.
        let before = Self.threadCPUSeconds()
        var x = 0.0
        try waitUntil(within: .seconds(60), every: .zero, "this thread to use 50 ms of CPU") {
            for i in 0..<100_000 { x += Double(i).squareRoot() }
            return Self.threadCPUSeconds() - before >= 0.05
        }
        let sample = try sampler.sample(workers: [0: me])
        #expect(sample.cpu.cores.count >= 1)
        for core in sample.cpu.cores.compactMap({ $0 }) {
            #expect(core.busy >= 0 && core.busy <= 100)
        }
        #expect(sample.cpu.total.busy > 0, "this thread was busy on some core")
        let cores = Double(sample.cpu.cores.count)
        #expect(sample.process.cpuPercent > 0 && sample.process.cpuPercent <= 100 * cores + 1, "\(sample.process.cpuPercent)%")
        #expect(sample.process.residentBytes > 1 << 20)
        #expect(sample.process.threadCount >= 1)
        let worker = try #require(sample.workers[0], "no reading for this thread")
        #expect(worker > 0 && worker <= 100, "\(worker)% after burning CPU (checksum \(x))")
        #expect(sample.memory.availableBytes > 0 && sample.memory.availableBytes <= sample.memory.totalBytes)
    }

    /// The CPU time the kernel has charged the calling thread, in seconds.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
