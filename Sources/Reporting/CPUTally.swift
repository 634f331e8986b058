import BlocktopSupport
import Telemetry

/// Seconds so far: of the monotonic clock, of this process's CPU time, and of busy time on the
/// CPUs it may use.
///
/// The difference of two tallies gives a span's figures: its length, this process's CPU time,
/// and the others' (the usable CPUs' busy time from /proc/stat, less this process's own).
struct CPUTally {
    /// The monotonic clock.
    var wall = 0.0
    /// User + system CPU time of this process (/proc/self/stat).
    var process = 0.0
    /// Busy time of the usable CPUs together (their /proc/stat lines; the whole machine's when nil).
    var usable = 0.0

    /// The tally now, on the CPUs `cores` (nil: all of them); zeros where /proc cannot be read.
    static func now(cores: [Int]?) -> CPUTally {
        let snapshot = try? CPUStatSnapshot.current()
        let ticks: UInt64
        if let cores {
            ticks = cores.reduce(0) { $0 + (snapshot?.core($1)?.busy ?? 0) }
        } else {
            ticks = snapshot?.total.busy ?? 0
        }
        return CPUTally(wall: Double(monotonicNanoseconds()) / 1e9, process: (try? ProcessStat.current())?.cpuSeconds ?? 0,
                        usable: Double(ticks) / Double(Kernel.clockTicksPerSecond))
    }

    /// Seconds that other processes used on the usable CPUs: their busy time less this process's, at least 0.
    var others: Double { max(0, usable - process) }

    static func + (a: CPUTally, b: CPUTally) -> CPUTally {
        CPUTally(wall: a.wall + b.wall, process: a.process + b.process, usable: a.usable + b.usable)
    }

    static func - (a: CPUTally, b: CPUTally) -> CPUTally {
        CPUTally(wall: a.wall - b.wall, process: a.process - b.process, usable: a.usable - b.usable)
    }
}
