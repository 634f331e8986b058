import Glibc

/// Units of the running kernel that /proc figures are expressed in.
public enum Kernel {
    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`, the kernel's USER_HZ), the unit of CPU
    /// times in /proc/stat and /proc/PID/stat; 100 on practically every Linux system.
    public static let clockTicksPerSecond: Int = sysconf(Int32(_SC_CLK_TCK))

    /// Bytes per page (`sysconf(_SC_PAGESIZE)`), the unit of /proc/PID/statm.
    public static let pageSize: Int = sysconf(Int32(_SC_PAGESIZE))

    /// Online CPUs now (`sysconf(_SC_NPROCESSORS_ONLN)`): the most cores a process can keep busy.
    static var onlineCPUCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

extension Kernel {
    /// CPU time of `ticks` clock ticks spread over `seconds` of wall time, in percent of one core.
    static func percentOfOneCore(ticks: UInt64, seconds: Double) -> Double {
        guard seconds > 0 else { return 0 }
        return 100 * Double(ticks) / Double(clockTicksPerSecond) / seconds
    }
}
