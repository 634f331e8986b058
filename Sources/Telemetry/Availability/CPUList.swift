/// Linux's CPU list format: ids and ranges separated by commas, such as `0-3,8,10-11`.
///
/// Used by `Cpus_allowed_list` in /proc/PID/status, cpuset.cpus and /sys/devices/system/cpu/online.
public enum CPUList {
    /// The highest CPU id accepted; Linux's NR_CPUS is at most 8192.
    static let maximumCPUID = 65_535

    /// Parses a CPU list into ascending ids; an empty list gives none. `path` names the file in errors.
    public static func parse(_ text: String, path: String) throws(TelemetryError) -> [Int] {
        var ids: [Int] = []
        for item in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count),
                  let first = Int(bounds[0]), let last = Int(bounds[bounds.count - 1]),
                  0 <= first, first <= last, last <= maximumCPUID
            else {
                throw .malformed(path: path, reason: "`\(item)` is not a CPU id or range of ids")
            }
            ids.append(contentsOf: first...last)
        }
        return Array(Set(ids)).sorted()
    }
}
