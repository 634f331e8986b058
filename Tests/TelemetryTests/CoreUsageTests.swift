import Telemetry
import Testing

/// Turning two readings of a core's counters into percentages.
@Suite struct CoreUsageTests {
    private func usage(_ before: String, _ after: String) throws -> (total: CoreUsage, cores: [CoreUsage?]) {
        let old = try CPUStatSnapshot.parse(Fixtures.text(before))
        let new = try CPUStatSnapshot.parse(Fixtures.text(after))
        let cores = new.cores.indices.map { id in
            old.core(id).flatMap { a in new.core(id).map { b in CoreUsage(from: a, to: b) } }
        }
        return (CoreUsage(from: old.total, to: new.total), cores)
    }

    @Test func splitsUserSystemAndStealWithoutCountingGuestTwice() throws {
        let (total, cores) = try usage("stat/vm-steal-guest-0.txt", "stat/vm-steal-guest-1.txt")
        // cpu0: user 60 (40 of it guest), system 10 + softirq 2, steal 8, idle 20 of 100 ticks.
        #expect(cores[0] == CoreUsage(user: 60, system: 12, steal: 8))
        #expect(cores[0]?.busy == 80)
        // cpu1: user 25 + nice 5, system 5, idle 60 + iowait 5.
        #expect(cores[1] == CoreUsage(user: 30, system: 5, steal: 0))
        #expect(cores[2] == .idle)
        // cpu3: user 50 (all guest), system 20 + irq 3 + softirq 2, steal 25: fully busy.
        #expect(cores[3] == CoreUsage(user: 50, system: 25, steal: 25))
        #expect(cores[3]?.busy == 100)
        // All four together: the mean of the cores.
        #expect(near(total.user, 35) && near(total.system, 10.5) && near(total.steal, 8.25))
        #expect(near(total.busy, (80 + 35 + 0 + 100) / 4))
    }

    @Test func countersGoingBackwardsCountAsNoTime() throws {
        let (total, cores) = try usage("stat/backwards-0.txt", "stat/backwards-1.txt")
        // cpu0's iowait fell by 30; the other 100 ticks are user 40, system 10, idle 50.
        #expect(cores[0] == CoreUsage(user: 40, system: 10, steal: 0))
        // Every counter of cpu1 fell: no time counted, so idle rather than negative.
        #expect(cores[1] == .idle)
        #expect(total == .idle)
    }

    @Test func aCoreBackFromOfflineStaysWithinZeroAndAHundred() throws {
        let old = try CPUStatSnapshot.parse(Fixtures.text("stat/smt-off-0.txt"))
        let new = try CPUStatSnapshot.parse(Fixtures.text("stat/smt-off-2.txt"))
        // cpu1's idle counter is 500 ticks behind; only user 30 and system 10 moved forward.
        #expect(CoreUsage(from: old.core(1)!, to: new.core(1)!) == CoreUsage(user: 75, system: 25, steal: 0))
    }

    @Test func everyPairOfFixturesGivesPercentagesInRange() throws {
        let names = [
            "stat/debian-2core.txt", "stat/vm-steal-guest-0.txt", "stat/vm-steal-guest-1.txt",
            "stat/smt-off-0.txt", "stat/smt-off-1.txt", "stat/smt-off-2.txt",
            "stat/backwards-0.txt", "stat/backwards-1.txt", "stat/linux-2.6.18.txt",
        ]
        let snapshots = try names.map { try CPUStatSnapshot.parse(Fixtures.text($0)) }
        for old in snapshots {
            for new in snapshots {
                var pairs = [(old.total, new.total)]
                for id in 0..<max(old.cores.count, new.cores.count) {
                    if let a = old.core(id), let b = new.core(id) { pairs.append((a, b)) }
                }
                for (a, b) in pairs {
                    let usage = CoreUsage(from: a, to: b)
                    for part in [usage.user, usage.system, usage.steal] {
                        #expect(part >= 0 && part <= 100)
                    }
                    #expect(usage.busy <= 100 + 1e-9)
                }
            }
        }
    }
}
