/// The CPU bandwidth limit that cgroups put on this process, in CPUs (quota ÷ period).
///
/// cgroup v2 writes it to `cpu.max` as `<quota> <period>` or `max <period>`; cgroup v1 to
/// `cpu.cfs_quota_us` (-1 for none) and `cpu.cfs_period_us`. A limit on any ancestor applies
/// too, so every level from the process's cgroup up to the hierarchy's mount point is read and
/// the smallest limit wins, for both versions when a machine mounts both.
enum CgroupCPULimit {
    /// A mounted cgroup hierarchy that can hold a CPU limit, and this process's cgroup in it.
    struct Hierarchy: Equatable {
        enum Version { case v1, v2 }
        var version: Version
        /// Where it is mounted, such as /sys/fs/cgroup.
        var mountPoint: String
        /// The cgroup, relative to the mount point, such as /user.slice/job.scope.
        var cgroup: String
    }

    /// The smallest limit found, or nil when nothing limits this process.
    static func read(fileSystemRoot root: String, using reader: inout FileReader) throws(TelemetryError) -> Double? {
        let cgroupPath = under(root, "/proc/self/cgroup")
        let mountInfoPath = under(root, "/proc/self/mountinfo")
        guard let memberships = try reader.textIfPresent(of: cgroupPath),
              let mountInfo = try reader.textIfPresent(of: mountInfoPath)
        else { return nil }
        var limit: Double?
        for hierarchy in hierarchies(memberships: memberships, mountInfo: mountInfo) {
            for directory in levels(of: hierarchy) {
                let found = switch hierarchy.version {
                case .v2: try cpuMax(in: under(root, directory), using: &reader)
                case .v1: try cfsQuota(in: under(root, directory), using: &reader)
                }
                if let found { limit = min(limit ?? found, found) }
            }
        }
        return limit
    }

    /// The hierarchies that can limit CPU, from /proc/self/cgroup and /proc/self/mountinfo.
    static func hierarchies(memberships: String, mountInfo: String) -> [Hierarchy] {
        // /proc/self/cgroup: `hierarchy-id:controllers:path`; v2 is `0::path`.
        var v2Cgroup: String?
        var v1CPUCgroup: String?
        for line in memberships.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0", parts[1].isEmpty {
                v2Cgroup = String(parts[2])
            } else if parts[1].split(separator: ",").contains("cpu") {
                v1CPUCgroup = String(parts[2])
            }
        }
        // /proc/self/mountinfo: `id parent dev root mount-point options [optional...] - type source super-options`.
        var found: [Hierarchy] = []
        for line in mountInfo.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 10, let separator = fields[6...].firstIndex(of: "-"),
                  fields.count > separator + 3
            else { continue }
            let type = fields[separator + 1]
            let mountRoot = unescape(fields[3]), mountPoint = unescape(fields[4])
            if type == "cgroup2", let cgroup = v2Cgroup, !found.contains(where: { $0.version == .v2 }) {
                found.append(Hierarchy(version: .v2, mountPoint: mountPoint, cgroup: relative(cgroup, to: mountRoot)))
            } else if type == "cgroup", let cgroup = v1CPUCgroup,
                      fields[separator + 3].split(separator: ",").contains("cpu"),
                      !found.contains(where: { $0.version == .v1 }) {
                found.append(Hierarchy(version: .v1, mountPoint: mountPoint, cgroup: relative(cgroup, to: mountRoot)))
            }
        }
        return found
    }

    /// The cgroup's directory and each ancestor's, up to the mount point.
    static func levels(of hierarchy: Hierarchy) -> [String] {
        let components = hierarchy.cgroup.split(separator: "/")
        return (0...components.count).reversed().map { depth in
            ([hierarchy.mountPoint] + components[..<depth].map(String.init)).joined(separator: "/")
        }
    }

    /// `cgroup` as seen below a mount whose root is `mountRoot`; the mount point itself when the
    /// cgroup lies outside the mount (as a cgroup namespace can show it) or climbs with `..`.
    static func relative(_ cgroup: String, to mountRoot: String) -> String {
        guard !cgroup.split(separator: "/").contains("..") else { return "" }
        if mountRoot == "/" { return cgroup }
        if cgroup == mountRoot { return "" }
        return cgroup.hasPrefix(mountRoot + "/") ? String(cgroup.dropFirst(mountRoot.count)) : ""
    }

    /// The limit in a cgroup v2 directory's `cpu.max`, nil when it has none.
    private static func cpuMax(in directory: String, using reader: inout FileReader) throws(TelemetryError) -> Double? {
        let path = directory + "/cpu.max"
        guard let text = try reader.textIfPresent(of: path) else { return nil }
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 2, let period = Int(words[1]), period > 0 else {
            throw .malformed(path: path, reason: "expected `<quota> <period>` or `max <period>`, got `\(text.trimmed)`")
        }
        if words[0] == "max" { return nil }
        guard let quota = Int(words[0]), quota > 0 else {
            throw .malformed(path: path, reason: "quota `\(words[0])` is neither `max` nor a positive number")
        }
        return Double(quota) / Double(period)
    }

    /// The limit in a cgroup v1 directory's `cpu.cfs_quota_us` and `cpu.cfs_period_us`, nil when it has none.
    private static func cfsQuota(in directory: String, using reader: inout FileReader) throws(TelemetryError) -> Double? {
        let quotaPath = directory + "/cpu.cfs_quota_us"
        guard let quotaText = try reader.textIfPresent(of: quotaPath) else { return nil }
        guard let quota = Int(quotaText.trimmed) else {
            throw .malformed(path: quotaPath, reason: "`\(quotaText.trimmed)` is not a number")
        }
        if quota <= 0 { return nil }
        let periodPath = directory + "/cpu.cfs_period_us"
        let periodText = try reader.withContents(of: periodPath) { String(decoding: $0, as: UTF8.self) }
        guard let period = Int(periodText.trimmed), period > 0 else {
            throw .malformed(path: periodPath, reason: "`\(periodText.trimmed)` is not a positive number")
        }
        return Double(quota) / Double(period)
    }

    /// Decodes mountinfo's octal escapes (`\040` is a space).
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
               let code = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(code)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
