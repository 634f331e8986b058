/// The fields blocktop uses from /proc/PID/stat or /proc/PID/task/TID/stat.
///
/// The line is `pid (comm) state ppid ...`; `comm` may itself contain spaces and parentheses,
/// so it ends at the last `)` on the line. Field numbers below are those of proc(5).
public struct ProcessStat: Sendable, Equatable {
    /// The command name, `comm` (field 2), without the parentheses.
    public var name: String
    /// The parent's process id (field 4, `ppid`).
    public var parentID: Int32
    /// CPU time in user mode, in clock ticks (field 14, `utime`).
    public var userTicks: UInt64
    /// CPU time in kernel mode, in clock ticks (field 15, `stime`).
    public var systemTicks: UInt64
    /// Number of threads (field 20, `num_threads`).
    public var threadCount: Int
    /// When it started, in clock ticks since boot (field 22, `starttime`); tells a reused id from the original.
    public var startTicks: UInt64
    /// The CPU it last ran on (field 39, `processor`); nil when the line stops before it.
    public var processor: Int?

    /// A stat from already-parsed fields.
    public init(name: String, parentID: Int32 = 0, userTicks: UInt64, systemTicks: UInt64, threadCount: Int, startTicks: UInt64,
                processor: Int? = nil) {
        self.name = name
        self.parentID = parentID
        self.userTicks = userTicks
        self.systemTicks = systemTicks
        self.threadCount = threadCount
        self.startTicks = startTicks
        self.processor = processor
    }

    /// This process's stat now, from /proc/self/stat.
    public static func current() throws(TelemetryError) -> ProcessStat {
        var reader = FileReader()
        return try reader.withContents(of: "/proc/self/stat") { bytes throws(TelemetryError) in try parse(bytes, path: "/proc/self/stat") }
    }

    /// User + system CPU time in seconds.
    public var cpuSeconds: Double {
        Double(userTicks + systemTicks) / Double(Kernel.clockTicksPerSecond)
    }

    /// Parses the text of a /proc/PID/stat file; `path` names the file in errors.
    public static func parse(_ text: String, path: String = "/proc/self/stat") throws(TelemetryError) -> ProcessStat {
        var text = text
        return try text.withBytes { bytes throws(TelemetryError) in try parse(bytes, path: path) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(TelemetryError) -> ProcessStat {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open
        else {
            throw .malformed(path: path, reason: "no `(command)` field")
        }
        var scanner = ByteScanner(UnsafeBufferPointer(rebasing: bytes[(close + 1)...]))
        scanner.skipWord() // field 3, state
        // Fields 4 to 22 are numbers; some (tty_nr, tpgid, cutime, nice, ...) may be negative.
        var fields = (parentID: Int64(0), userTicks: Int64(0), systemTicks: Int64(0), threadCount: Int64(0), startTicks: Int64(0))
        for field in 4...22 {
            guard let value = scanner.signedInteger() else {
                throw .malformed(path: path, reason: "field \(field) is not a number in `\(scanner.currentLine)`")
            }
            switch field {
            case 4: fields.parentID = value
            case 14: fields.userTicks = value
            case 15: fields.systemTicks = value
            case 20: fields.threadCount = value
            case 22: fields.startTicks = value
            default: break
            }
        }
        guard fields.userTicks >= 0, fields.systemTicks >= 0, fields.threadCount >= 0, fields.startTicks >= 0 else {
            throw .malformed(path: path, reason: "negative CPU time, thread count or start time")
        }
        // Fields 23 to 38 are skipped unread: some (rsslim, wchan) are unsigned and may not fit an Int64.
        for _ in 23...38 { scanner.skipWord() }
        let processor = scanner.signedInteger().flatMap { $0 >= 0 && $0 <= Int64(CPUList.maximumCPUID) ? Int($0) : nil }
        return ProcessStat(
            name: String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close]), as: UTF8.self),
            parentID: Int32(clamping: fields.parentID),
            userTicks: UInt64(fields.userTicks),
            systemTicks: UInt64(fields.systemTicks),
            threadCount: Int(fields.threadCount),
            startTicks: UInt64(fields.startTicks),
            processor: processor
        )
    }
}
