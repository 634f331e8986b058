/// Parses /proc/PID/statm, whose fields are sizes in pages: `size resident shared text lib data dt`.
public enum Statm {
    /// The resident set size in pages (the second field); `path` names the file in errors.
    public static func residentPages(in text: String, path: String = "/proc/self/statm") throws(TelemetryError) -> UInt64 {
        var text = text
        return try text.withBytes { bytes throws(TelemetryError) in try residentPages(in: bytes, path: path) }
    }

    static func residentPages(in bytes: UnsafeBufferPointer<UInt8>, path: String) throws(TelemetryError) -> UInt64 {
        var scanner = ByteScanner(bytes)
        guard scanner.unsignedInteger() != nil, let resident = scanner.unsignedInteger() else {
            throw .malformed(path: path, reason: "expected at least two page counts, got `\(scanner.currentLine)`")
        }
        return resident
    }
}
