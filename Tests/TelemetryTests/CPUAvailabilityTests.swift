import Foundation
import Glibc
import Telemetry
import Testing

/// The CPUs this process may use: affinity and cgroup quota.
@Suite struct CPUAvailabilityTests {
    private func availability(_ root: String) throws -> CPUAvailability {
        try CPUAvailability.current(fileSystemRoot: Fixtures.path("roots/" + root))
    }

    @Test func cgroupV2QuotaOnTheProcessScope() throws {
        let available = try availability("cgroup-v2")
        #expect(available == CPUAvailability(allowedCPUs: [0, 1, 2, 3], quotaCPUs: 1.5))
        #expect(available.capacity == 1.5)
        #expect(available.usableCPUCount == 2)
    }

    @Test func aParentCgroupsTighterQuotaWins() throws {
        let available = try availability("cgroup-v2-parent-limit")
        #expect(available.quotaCPUs == 0.5)
        #expect(available.allowedCPUs.count == 8)
        #expect(available.capacity == 0.5)
        #expect(available.usableCPUCount == 1)
    }

    @Test func cgroupV1QuotaBelowAContainersMountRoot() throws {
        let available = try availability("cgroup-v1")
        #expect(available == CPUAvailability(allowedCPUs: [0, 1, 2, 3], quotaCPUs: 2))
        #expect(available.usableCPUCount == 2)
    }

    @Test func affinityAloneWhenNothingLimitsTheCgroup() throws {
        let available = try availability("pinned")
        #expect(available == CPUAvailability(allowedCPUs: [0, 2, 4, 5], quotaCPUs: nil))
        #expect(available.capacity == 4)
        #expect(available.usableCPUCount == 4)
    }

    @Test func aMalformedCPUMaxIsNamed() throws {
        #expect(throws: TelemetryError.malformed(
            path: Fixtures.path("roots/bad-cpu-max/sys/fs/cgroup/job.scope/cpu.max"),
            reason: "quota `fast` is neither `max` nor a positive number"
        )) {
            try availability("bad-cpu-max")
        }
    }

    @Test func aMissingStatusFileIsNamed() throws {
        #expect(throws: TelemetryError.unreadable(path: Fixtures.path("roots/no-status/proc/thread-self/status"), errno: ENOENT)) {
            try availability("no-status")
        }
    }

    @Test func cpuListsParse() throws {
        #expect(try CPUList.parse("0-3,8,10-11\n", path: "-") == [0, 1, 2, 3, 8, 10, 11])
        #expect(try CPUList.parse("5,1-2,2", path: "-") == [1, 2, 5])
        #expect(try CPUList.parse("\n", path: "-") == [])
        for bad in ["3-1", "a", "1-", "-1", "0-99999999"] {
            #expect(throws: TelemetryError.self) { try CPUList.parse(bad, path: "-") }
        }
    }

    @Test func quotaRoundsUpAndNeverGivesZero() {
        #expect(CPUAvailability(allowedCPUs: [0, 1, 2, 3], quotaCPUs: 2.01).usableCPUCount == 3)
        #expect(CPUAvailability(allowedCPUs: [0, 1, 2, 3], quotaCPUs: 0.1).usableCPUCount == 1)
        #expect(CPUAvailability(allowedCPUs: [0, 1], quotaCPUs: 16).usableCPUCount == 2)
        #expect(CPUAvailability(allowedCPUs: [0, 1], quotaCPUs: 16).capacity == 2)
    }

    /// On this machine, the allowed CPUs are as many as coreutils' nproc (sched_getaffinity) counts.
    @Test func agreesWithNprocHere() throws {
        let nproc = Process()
        nproc.executableURL = URL(fileURLWithPath: "/usr/bin/nproc")
        var environment = ProcessInfo.processInfo.environment
        // nproc reports these instead of the affinity when they are set.
        environment["OMP_NUM_THREADS"] = nil
        environment["OMP_THREAD_LIMIT"] = nil
        nproc.environment = environment
        let output = Pipe()
        nproc.standardOutput = output
        try nproc.run()
        nproc.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let available = try CPUAvailability.current()
        #expect(available.allowedCPUs.count == Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(available.usableCPUCount >= 1 && available.usableCPUCount <= available.allowedCPUs.count)
    }
}
