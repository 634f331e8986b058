import Glibc

/// An open file, closed when the last reference goes: tasks that read or write it in parallel
/// share one descriptor, and `pread`/`pwrite` carry their own offsets.
///
/// `@unchecked Sendable`: the descriptor is set once at init and closed only in deinit, when no
/// task can hold the object any more; `pread` and `pwrite` are safe to call from several threads.
final class SharedDescriptor: @unchecked Sendable {
    let raw: Int32

    init(_ raw: Int32) { self.raw = raw }

    deinit { close(raw) }

    /// Opens `path` read-only, or throws the system's reason naming `path`.
    static func openForReading(_ path: String) throws(ArrayFileError) -> SharedDescriptor {
        let raw = open(path, O_RDONLY | O_CLOEXEC)
        guard raw >= 0 else { throw ArrayFileError(path: path, "cannot open: \(systemReason(errno))") }
        var info = stat()
        guard fstat(raw, &info) == 0 else {
            let code = errno
            close(raw)
            throw ArrayFileError(path: path, "cannot read: \(systemReason(code))")
        }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            close(raw)
            throw ArrayFileError(path: path, "is a folder, not a .npy file")
        }
        return SharedDescriptor(raw)
    }

    /// Size and modification time, for task keys (a file changed between two runs is another array).
    func identity() -> (size: Int, modified: String) {
        var info = stat()
        guard fstat(raw, &info) == 0 else { return (0, "?") }
        return (Int(info.st_size), "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
    }

    /// Reads up to `count` bytes at `offset` into `buffer`, through partial reads and interruptions;
    /// returns how many it got (fewer only at the end of the file), or the `errno` of a failed read.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Result<Int, Errno> {
        var done = 0
        while done < count {
            let got = pread(raw, buffer + done, count - done, off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(code: errno))
            }
            if got == 0 { break }
            done += got
        }
        return .success(done)
    }
}

/// A C `errno`, as an error.
struct Errno: Error {
    let code: Int32
}

/// The system's wording for `code`, as `strerror` gives it.
func systemReason(_ code: Int32) -> String { String(cString: strerror(code)) }
