/// The most memory this process has held resident so far, in bytes: `VmHWM` of
/// /proc/self/status, which counts this program only. (getrusage's `ru_maxrss` is kept across
/// exec, so it gives the peak of whatever process started blocktop when that one was larger.)
/// 0 when the file cannot be read.
public func peakResidentBytes() -> Int {
    var reader = FileReader()
    let peak = try? reader.withContents(of: "/proc/self/status") { bytes throws(TelemetryError) -> UInt64? in
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            if scanner.consume("VmHWM:") {
                scanner.skipBlanks()
                return scanner.unsignedInteger().map { $0 * 1024 }
            }
            scanner.skipLine()
        }
        return nil
    }
    return Int(clamping: (peak ?? nil) ?? 0)
}
