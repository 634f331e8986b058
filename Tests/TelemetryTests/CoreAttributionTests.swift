import Foundation
import Synchronization
import Telemetry
import Testing

/// A process's share of each core: threads attributed by the core they last ran on, and the
/// sampler that splits each core's busy time into this process's and everyone else's.
@Suite struct CoreAttributionTests {
    typealias Thread = CoreAttribution.Thread

    @Test func eachThreadsNewTimeGoesToTheCoreItIsOnNow() {
        var attribution = CoreAttribution()
        attribution.record([Thread(id: 1, startTicks: 10, ticks: 500, processor: 0),
                            Thread(id: 2, startTicks: 10, ticks: 700, processor: 1)])
        // The first reading is the starting point: nothing before it is attributed.
        #expect(attribution.ticksByCore.allSatisfy { $0 == 0 })
        attribution.record([Thread(id: 1, startTicks: 10, ticks: 530, processor: 0),
                            Thread(id: 2, startTicks: 10, ticks: 720, processor: 1)])
        #expect(attribution.ticks(onCore: 0) == 30 && attribution.ticks(onCore: 1) == 20)
        // Thread 2 moved to core 3: its time since the last reading goes there, earlier time stays.
        attribution.record([Thread(id: 1, startTicks: 10, ticks: 540, processor: 0),
                            Thread(id: 2, startTicks: 10, ticks: 725, processor: 3)])
        #expect(attribution.ticksByCore == [40, 20, 0, 5])
    }

    @Test func aNewThreadBringsAllItsTimeAndAReusedIdStartsOver() {
        var attribution = CoreAttribution()
        attribution.record([Thread(id: 1, startTicks: 10, ticks: 100, processor: 0)])
        // Thread 7 started since: all its 12 ticks are new. Thread 1 exited and id 1 is another
        // thread now (another start time): its 3 ticks are all new too, not 3 − 100.
        attribution.record([Thread(id: 7, startTicks: 50, ticks: 12, processor: 1),
                            Thread(id: 1, startTicks: 60, ticks: 3, processor: 1)])
        #expect(attribution.ticksByCore == [0, 15])
    }

    @Test func aCounterThatWentBackwardsAddsNothing() {
        var attribution = CoreAttribution()
        attribution.record([Thread(id: 1, startTicks: 10, ticks: 100, processor: 0)])
        attribution.record([Thread(id: 1, startTicks: 10, ticks: 90, processor: 0)])
        #expect(attribution.ticks(onCore: 0) == 0)
        attribution.record([Thread(id: 1, startTicks: 10, ticks: 95, processor: 0)])
        #expect(attribution.ticks(onCore: 0) == 5)
    }

    @Test func ownIsTheShareOfTheCoresTimeAndOthersTheRestOfItsBusyTime() {
        let earlier = CPUTimes(user: 100, system: 50, idle: 1000)
        let later = CPUTimes(user: 160, system: 70, idle: 1020, steal: 0)
        // 100 ticks in all, 80 busy; the process had 50 of them.
        let usage = CoreUsage(from: earlier, to: later, ownTicks: 50)
        #expect(near(usage.busy, 80) && near(usage.own ?? -1, 50) && near(usage.others ?? -1, 30))
        // The process cannot have more than the busy time: tick rounding is clamped.
        let rounded = CoreUsage(from: earlier, to: later, ownTicks: 85)
        #expect(near(rounded.own ?? -1, 80) && near(rounded.others ?? -1, 0))
        // Without attribution there is no split.
        #expect(CoreUsage(from: earlier, to: later).own == nil && CoreUsage(from: earlier, to: later).others == nil)
    }

    /// A stat line with the fields the sampler reads: utime, stime, starttime and processor.
    static func threadStat(id: Int32, utime: Int, stime: Int = 0, start: Int = 4000, processor: Int) -> String {
        var fields = ["\(id)", "(blocktop-w0)", "R"] + Array(repeating: "0", count: 49)
        fields[13] = "\(utime)"
        fields[14] = "\(stime)"
        fields[19] = "1"
        fields[21] = "\(start)"
        fields[24] = "18446744073709551615"  // rsslim, unlimited: past Int64, as on real systems
        fields[38] = "\(processor)"
        return fields.joined(separator: " ") + "\n"
    }

    @Test func theSamplerSplitsEachCoreBetweenTheProcessAndOthers() throws {
        let proc = try ScratchProc()
        func stat(_ core0: (busy: Int, idle: Int), _ core1: (busy: Int, idle: Int)) throws {
            let total = (core0.busy + core1.busy, core0.idle + core1.idle)
            try proc.write("cpu  \(total.0) 0 0 \(total.1) 0 0 0 0 0 0\n"
                           + "cpu0 \(core0.busy) 0 0 \(core0.idle) 0 0 0 0 0 0\n"
                           + "cpu1 \(core1.busy) 0 0 \(core1.idle) 0 0 0 0 0 0\n", as: "stat")
        }
        try stat((1000, 1000), (1000, 1000))
        try proc.write(Self.threadStat(id: 11, utime: 300, processor: 0), as: "self/task/11/stat")
        try proc.write(Self.threadStat(id: 12, utime: 300, processor: 1), as: "self/task/12/stat")
        let start = ContinuousClock.now
        var sampler = try CPUSampler(procRoot: proc.path, window: .zero, at: start, attributing: "self")

        // 100 ticks a core: core 0 fully busy, 60 of them this process's thread 11; core 1 half
        // busy, all of it thread 12 (kernel time counts too).
        try stat((1100, 1000), (1050, 1050))
        try proc.write(Self.threadStat(id: 11, utime: 360, processor: 0), as: "self/task/11/stat")
        try proc.write(Self.threadStat(id: 12, utime: 330, stime: 20, processor: 1), as: "self/task/12/stat")
        let reading = try sampler.sample(at: start + .seconds(1))
        let cores = try reading.cores.map { try #require($0) }
        #expect(cores.map(\.busy) == [100, 50])
        #expect(cores.map(\.own) == [60, 50])
        #expect(cores.map(\.others) == [40, 0])
        #expect(near(try #require(reading.othersCPUs(on: [0, 1])), 0.4))
        #expect(near(try #require(reading.othersCPUs(on: [1])), 0))
        #expect(reading.total.own == nil)

        // Thread 11 exits; the next 100 ticks of core 0 are all someone else's.
        try proc.remove("self/task/11")
        try stat((1200, 1000), (1050, 1150))
        let later = try sampler.sample(at: start + .seconds(2))
        #expect(later.cores.map { $0?.own } == [0, 0])
        #expect(later.cores.map { $0?.others } == [100, 0])
    }

    @Test func aSamplerThatAttributesNothingHasNoShares() throws {
        let proc = try ScratchProc()
        try proc.install("stat/vm-steal-guest-0.txt", as: "stat")
        var sampler = try CPUSampler(procRoot: proc.path, window: .zero)
        try proc.install("stat/vm-steal-guest-1.txt", as: "stat")
        let reading = try sampler.sample()
        #expect(reading.cores.allSatisfy { $0?.own == nil })
        #expect(reading.othersCPUs(on: [0]) == nil)
    }

    @Test func processorIsField39AndOptional() throws {
        let stat = try ProcessStat.parse(Self.threadStat(id: 5, utime: 7, processor: 3))
        #expect(stat.processor == 3 && stat.userTicks == 7)
        // A line that stops after starttime (field 22) still parses, without a processor.
        let short = try ProcessStat.parse("5 (w) R 1 1 1 0 -1 0 0 0 0 0 7 0 0 0 20 0 1 0 4000")
        #expect(short.processor == nil && short.startTicks == 4000)
    }

    @Test func everyThreadOfThisProcessIsListed() throws {
        // A second thread that stays alive until it has been looked for.
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let other = Mutex<Int32>(-1)
        Foundation.Thread {
            other.withLock { $0 = (try? ThreadID.current()) ?? -1 }
            started.signal()
            release.wait()
        }.start()
        started.wait()
        defer { release.signal() }
        let listed = try ThreadID.all(in: "/proc/self/task")
        #expect(listed.contains(try ThreadID.current()))
        #expect(listed.contains(other.withLock { $0 }))
        #expect(Set(listed).count == listed.count)
        #expect(throws: TelemetryError.self) { try ThreadID.all(in: "/proc/self/no-such-task-directory") }
    }
}
