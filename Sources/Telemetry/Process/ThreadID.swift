import Glibc

/// Kernel thread ids (TIDs), the names of the directories under /proc/PID/task.
public enum ThreadID {
    /// The TID of the calling thread.
    ///
    /// Read from the `/proc/thread-self` link (`PID/task/TID`), since Swift does not import
    /// glibc's `gettid`.
    public static func current() throws(TelemetryError) -> Int32 {
        let path = "/proc/thread-self"
        var target = [CChar](repeating: 0, count: 64)
        let length = readlink(path, &target, target.count - 1)
        guard length > 0 else { throw .unreadable(path: path, errno: errno) }
        let text = String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let last = text.split(separator: "/").last, let tid = Int32(last) else {
            throw .malformed(path: path, reason: "link target `\(text)` does not end in a thread id")
        }
        return tid
    }

    /// The ids of every thread of a process: the numeric entries of its task directory,
    /// `<procRoot>/<process>/task`, in no particular order.
    public static func all(in taskDirectory: String) throws(TelemetryError) -> [Int32] {
        guard let directory = opendir(taskDirectory) else { throw .unreadable(path: taskDirectory, errno: errno) }
        defer { closedir(directory) }
        var ids: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let id = Int32(name) { ids.append(id) }
        }
        return ids
    }
}
