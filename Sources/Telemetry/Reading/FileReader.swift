import Glibc

/// Reads whole /proc and /sys files into a buffer that it keeps from one read to the next.
///
/// /proc files report a size of zero and are generated as they are read, so each file is read
/// until end-of-file. The buffer grows to the largest file seen and is then reused, so a sampler
/// that reads the same files at every refresh does not allocate.
struct FileReader: Sendable {
    private var buffer: [UInt8]

    init(initialCapacity: Int = 4096) {
        buffer = [UInt8](repeating: 0, count: max(initialCapacity, 64))
    }

    /// Calls `body` with the complete contents of the file at `path`.
    mutating func withContents<Result>(
        of path: String,
        _ body: (UnsafeBufferPointer<UInt8>) throws(TelemetryError) -> Result
    ) throws(TelemetryError) -> Result {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, errno: errno) }
        defer { close(descriptor) }
        var count = 0
        while true {
            if count == buffer.count {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let filled = count
            let received = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if received == 0 { break }
            if received < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .unreadable(path: path, errno: code)
            }
            count += received
        }
        return try buffer.withUnsafeBufferPointer { (all) throws(TelemetryError) -> Result in
            try body(UnsafeBufferPointer(rebasing: all[..<count]))
        }
    }

    /// The contents of the file at `path` as text, or nil when there is no such file.
    ///
    /// For files that are optional by nature, such as a cgroup's `cpu.max`, which the root
    /// cgroup does not have; any other failure to read is still an error.
    mutating func textIfPresent(of path: String) throws(TelemetryError) -> String? {
        do {
            return try withContents(of: path) { bytes in String(decoding: bytes, as: UTF8.self) }
        } catch .unreadable(_, let code) where code == ENOENT || code == ENOTDIR {
            return nil
        }
    }
}
