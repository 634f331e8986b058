import Telemetry
import Testing

/// Parsing /proc/meminfo.
@Suite struct MachineMemoryTests {
    @Test func readsTotalAndAvailableFromARecordedFile() throws {
        let memory = try MachineMemory.parse(Fixtures.text("meminfo/debian-24g.txt"))
        let recorded = try Fixtures.text("meminfo/debian-24g.txt")
        #expect(recorded.contains("MemTotal:       24684092 kB"))
        #expect(memory.totalBytes == 24_684_092 * 1024)
        let availableLine = recorded.split(separator: "\n").first { $0.hasPrefix("MemAvailable:") }!
        let availableKiB = UInt64(availableLine.split(separator: " ")[1])!
        #expect(memory.availableBytes == availableKiB * 1024)
        #expect(memory.usedBytes == memory.totalBytes - memory.availableBytes)
    }

    @Test func kernelsWithoutMemAvailableAreNamed() throws {
        #expect(throws: TelemetryError.malformed(
            path: "/proc/meminfo", reason: "no MemAvailable line (needs Linux 3.14 or later)"
        )) {
            try MachineMemory.parse(Fixtures.text("meminfo/linux-3.10-no-available.txt"))
        }
    }

    @Test func aValueThatIsNotANumberIsMalformed() {
        #expect(throws: TelemetryError.malformed(path: "/m", reason: "MemTotal is not a number of kB in `MemTotal: lots kB`")) {
            try MachineMemory.parse("MemTotal: lots kB\nMemAvailable: 1 kB\n", path: "/m")
        }
    }

    @Test func usedIsNeverNegative() {
        #expect(MachineMemory(totalBytes: 10, availableBytes: 12).usedBytes == 0)
    }
}
