/// The CPUs this process may use: its affinity mask and its cgroup CPU quota.
///
/// A process pinned with `taskset`, or run in a container with `--cpus=1.5`, cannot use the
/// whole machine; the dashboard measures "100% of what you can use" against `capacity`, and
/// the engine sizes its default pool by `usableCPUCount`.
public struct CPUAvailability: Sendable, Equatable {
    /// CPU ids the calling thread may run on, ascending (its `sched_getaffinity` mask).
    public var allowedCPUs: [Int]
    /// The cgroup CPU bandwidth limit in CPUs (quota ÷ period, so 1.5 for `--cpus=1.5`); nil when unlimited.
    public var quotaCPUs: Double?

    /// An availability from an affinity list and an optional quota.
    public init(allowedCPUs: [Int], quotaCPUs: Double?) {
        self.allowedCPUs = allowedCPUs
        self.quotaCPUs = quotaCPUs
    }

    /// CPU time the process can use per second of wall time, in CPUs: the allowed CPUs, or the quota if smaller.
    public var capacity: Double {
        min(Double(allowedCPUs.count), quotaCPUs ?? .infinity)
    }

    /// How many threads can run at once: the allowed CPUs capped by the quota rounded up, at least 1.
    public var usableCPUCount: Int {
        let quotaCount = quotaCPUs.map { Int($0.rounded(.up)) } ?? Int.max
        return max(1, min(allowedCPUs.count, quotaCount))
    }

    /// Reads the calling thread's affinity and the process's cgroup CPU limit.
    ///
    /// Reads `Cpus_allowed_list` from /proc/thread-self/status (the same mask as
    /// `sched_getaffinity`, which Swift does not import) and the cgroup files that
    /// /proc/self/cgroup and /proc/self/mountinfo lead to. A handful of small files, read once.
    ///
    /// - Parameter fileSystemRoot: prefixed to every path read; tests pass a directory of fixture files.
    public static func current(fileSystemRoot: String = "/") throws(TelemetryError) -> CPUAvailability {
        var reader = FileReader()
        let statusPath = under(fileSystemRoot, "/proc/thread-self/status")
        let status = try reader.withContents(of: statusPath) { String(decoding: $0, as: UTF8.self) }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else {
            throw .malformed(path: statusPath, reason: "no Cpus_allowed_list line")
        }
        let allowed = try CPUList.parse(String(line.dropFirst("Cpus_allowed_list:".count)), path: statusPath)
        guard !allowed.isEmpty else { throw .malformed(path: statusPath, reason: "Cpus_allowed_list is empty") }
        let quota = try CgroupCPULimit.read(fileSystemRoot: fileSystemRoot, using: &reader)
        return CPUAvailability(allowedCPUs: allowed, quotaCPUs: quota)
    }
}
