/// Memory of the whole machine, from /proc/meminfo.
public struct MachineMemory: Sendable, Equatable {
    /// Usable RAM (`MemTotal`), in bytes.
    public var totalBytes: UInt64
    /// Memory that new work can get without swapping (`MemAvailable`), in bytes.
    public var availableBytes: UInt64

    /// Memory in use: total less available, as free(1) and htop count it.
    public var usedBytes: UInt64 { totalBytes > availableBytes ? totalBytes - availableBytes : 0 }

    /// Memory from byte counts.
    public init(totalBytes: UInt64, availableBytes: UInt64) {
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
    }

    /// The machine's memory now, from /proc/meminfo.
    public static func current() throws(TelemetryError) -> MachineMemory {
        var reader = FileReader()
        return try reader.withContents(of: "/proc/meminfo") { bytes throws(TelemetryError) in try parse(bytes, path: "/proc/meminfo") }
    }

    /// Parses the text of /proc/meminfo; `path` names the file in errors.
    public static func parse(_ text: String, path: String = "/proc/meminfo") throws(TelemetryError) -> MachineMemory {
        var text = text
        return try text.withBytes { bytes throws(TelemetryError) in try parse(bytes, path: path) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(TelemetryError) -> MachineMemory {
        var scanner = ByteScanner(bytes)
        var total: UInt64?
        var available: UInt64?
        while !scanner.isAtEnd, total == nil || available == nil {
            if scanner.consume("MemTotal:") {
                total = try kibibytes(&scanner, key: "MemTotal", path: path)
            } else if scanner.consume("MemAvailable:") {
                available = try kibibytes(&scanner, key: "MemAvailable", path: path)
            }
            scanner.skipLine()
        }
        guard let total else { throw .malformed(path: path, reason: "no MemTotal line") }
        guard let available else { throw .malformed(path: path, reason: "no MemAvailable line (needs Linux 3.14 or later)") }
        return MachineMemory(totalBytes: total, availableBytes: available)
    }

    /// Reads the `<number> kB` after a key, in bytes.
    private static func kibibytes(_ scanner: inout ByteScanner, key: String, path: String) throws(TelemetryError) -> UInt64 {
        guard let value = scanner.unsignedInteger(), value <= UInt64.max / 1024 else {
            throw .malformed(path: path, reason: "\(key) is not a number of kB in `\(scanner.currentLine)`")
        }
        return value * 1024
    }
}
