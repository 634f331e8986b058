import Glibc

/// What went wrong reading a /proc or /sys file, and which file.
public enum TelemetryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read; `errno` is the C error number (`ENOENT` when it is missing).
    case unreadable(path: String, errno: Int32)
    /// The file was read but its contents are not in the format the kernel documents.
    case malformed(path: String, reason: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .unreadable(let path, _), .malformed(let path, _): path
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let code):
            "cannot read \(path): \(String(cString: strerror(code)))"
        case .malformed(let path, let reason):
            "unexpected contents in \(path): \(reason)"
        }
    }
}
