/// The `cpu` lines of one reading of /proc/stat.
///
/// /proc/stat starts with an aggregate `cpu` line for the whole machine and then one `cpuN`
/// line per online core. Offline cores have no line, so `cores` is indexed by CPU id and
/// holds nil where a core is missing.
public struct CPUStatSnapshot: Sendable, Equatable {
    /// The aggregate `cpu` line: all cores together.
    public var total: CPUTimes
    /// The `cpuN` lines, at index N; nil for a core with no line (offline).
    public var cores: [CPUTimes?]

    /// A snapshot from already-parsed counters.
    public init(total: CPUTimes, cores: [CPUTimes?]) {
        self.total = total
        self.cores = cores
    }

    /// The counters of core `id`, or nil when this reading has no line for it.
    public func core(_ id: Int) -> CPUTimes? {
        id < cores.count ? cores[id] : nil
    }

    /// Reads `<procRoot>/stat` now.
    public static func current(procRoot: String = "/proc") throws(TelemetryError) -> CPUStatSnapshot {
        var reader = FileReader()
        let path = procRoot + "/stat"
        return try reader.withContents(of: path) { bytes throws(TelemetryError) in try parse(bytes, path: path) }
    }

    /// Parses the text of /proc/stat; `path` names the file in errors.
    ///
    /// Lines need at least the four oldest counters (user, nice, system, idle); counters a
    /// kernel does not report are zero and columns newer kernels may add are ignored.
    public static func parse(_ text: String, path: String = "/proc/stat") throws(TelemetryError) -> CPUStatSnapshot {
        var text = text
        return try text.withBytes { bytes throws(TelemetryError) in try parse(bytes, path: path) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(TelemetryError) -> CPUStatSnapshot {
        var scanner = ByteScanner(bytes)
        var total: CPUTimes?
        var cores: [CPUTimes?] = []
        while !scanner.isAtEnd {
            guard scanner.consume("cpu") else {
                // The cpu lines come first; once past them, the rest (intr, ctxt, ...) is not needed.
                if total != nil { break }
                scanner.skipLine()
                continue
            }
            var id: Int?
            if let byte = scanner.current, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                guard let number = scanner.unsignedInteger(), number <= CPUList.maximumCPUID else {
                    throw .malformed(path: path, reason: "bad CPU id in line `\(scanner.currentLine)`")
                }
                id = Int(number)
            }
            var times = CPUTimes()
            var columns = 0
            while columns < CPUTimes.columnCount, let value = scanner.unsignedInteger() {
                times[column: columns] = value
                columns += 1
            }
            guard columns >= 4 else {
                throw .malformed(path: path, reason: "line `\(scanner.currentLine)` has \(columns) counters, expected at least 4")
            }
            if let id {
                if cores.count <= id { cores.append(contentsOf: repeatElement(nil, count: id + 1 - cores.count)) }
                guard cores[id] == nil else {
                    throw .malformed(path: path, reason: "cpu\(id) appears twice")
                }
                cores[id] = times
            } else {
                guard total == nil else { throw .malformed(path: path, reason: "the aggregate `cpu` line appears twice") }
                total = times
            }
            scanner.skipLine()
        }
        guard let total else { throw .malformed(path: path, reason: "no aggregate `cpu` line") }
        return CPUStatSnapshot(total: total, cores: cores)
    }
}
