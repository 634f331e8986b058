import Telemetry
import Testing

/// Parsing /proc/stat's cpu lines.
@Suite struct CPUStatSnapshotTests {
    @Test func parsesARecordedFile() throws {
        let snapshot = try CPUStatSnapshot.parse(Fixtures.text("stat/debian-2core.txt"))
        #expect(snapshot.total == CPUTimes(user: 76913, system: 7310, idle: 199948, iowait: 387, softirq: 58, steal: 54))
        #expect(snapshot.cores.count == 2)
        #expect(snapshot.core(0) == CPUTimes(user: 34525, system: 3308, idle: 104318, iowait: 48, softirq: 20, steal: 22))
        #expect(snapshot.core(1) == CPUTimes(user: 42387, system: 4002, idle: 95629, iowait: 339, softirq: 37, steal: 31))
        #expect(snapshot.core(2) == nil)
    }

    @Test func readsStealAndGuestColumns() throws {
        let snapshot = try CPUStatSnapshot.parse(Fixtures.text("stat/vm-steal-guest-0.txt"))
        #expect(snapshot.cores.count == 4)
        #expect(snapshot.core(0) == CPUTimes(
            user: 563790, nice: 320, system: 162650, idle: 10315220, iowait: 5910,
            irq: 0, softirq: 9140, steal: 24100, guest: 77610, guestNice: 0))
    }

    @Test func offlineCoresLeaveGapsAtTheirIds() throws {
        let snapshot = try CPUStatSnapshot.parse(Fixtures.text("stat/smt-off-1.txt"))
        #expect(snapshot.cores.count == 3)
        #expect(snapshot.core(0) != nil)
        #expect(snapshot.core(1) == nil)
        #expect(snapshot.core(2) != nil)
        #expect(snapshot.core(3) == nil)
    }

    @Test func acceptsOldKernelsWithFewerColumns() throws {
        let snapshot = try CPUStatSnapshot.parse(Fixtures.text("stat/linux-2.6.18.txt"))
        #expect(snapshot.core(1) == CPUTimes(user: 40327, nice: 14, system: 9101, idle: 1587036, iowait: 10532, irq: 23, softirq: 112))
    }

    @Test func ignoresColumnsAFutureKernelMightAdd() throws {
        let snapshot = try CPUStatSnapshot.parse("cpu  1 2 3 4 5 6 7 8 9 10 11\ncpu0 1 2 3 4 5 6 7 8 9 10 11\n")
        #expect(snapshot.total == CPUTimes(user: 1, nice: 2, system: 3, idle: 4, iowait: 5, irq: 6, softirq: 7, steal: 8, guest: 9, guestNice: 10))
    }

    @Test(arguments: [
        ("cpu  1 2 3\ncpu0 1 2 3 4\n", "has 3 counters, expected at least 4"),
        ("cpu  1 2 3 4\ncpu0 1 x 3 4\n", "has 1 counters, expected at least 4"),
        ("cpu0 1 2 3 4\nintr 5\n", "no aggregate `cpu` line"),
        ("intr 5\nctxt 9\n", "no aggregate `cpu` line"),
        ("", "no aggregate `cpu` line"),
        ("cpu  1 2 3 4\ncpu0 1 2 3 4\ncpu0 1 2 3 4\n", "cpu0 appears twice"),
        ("cpu  1 2 3 4\ncpux 1 2 3 4\n", "bad CPU id"),
        ("cpu  1 2 3 4\ncpu99999999 1 2 3 4\n", "bad CPU id"),
        ("cpu  99999999999999999999 2 3 4\n", "has 0 counters"),
    ])
    func rejectsMalformedText(text: String, reason: String) {
        do {
            _ = try CPUStatSnapshot.parse(text, path: "/fixture/stat")
            Issue.record("parsed malformed text \(text.debugDescription)")
        } catch {
            #expect(error.path == "/fixture/stat")
            #expect(error.description.contains(reason), "\(error)")
        }
    }
}
