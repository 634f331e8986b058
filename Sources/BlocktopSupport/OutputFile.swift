import Glibc
import Synchronization

/// Why a file could not be written: the path acted on, the step that failed and the system's reason.
package struct OutputFileError: Error, Equatable, CustomStringConvertible {
    /// The step of writing that failed.
    package enum Step: String, Sendable {
        case resolve = "cannot follow"
        case open = "cannot open"
        case create = "cannot create"
        case write = "cannot write"
        case sync = "cannot flush"
        case replace = "cannot move the new file over"
    }

    /// The path the step acted on: the final target of any links (or the folder it needs).
    package let path: String
    package let step: Step
    /// The C `errno` the step failed with (`EISDIR` for a folder, `ENOENT` for a missing folder).
    package let code: Int32

    package init(path: String, step: Step, code: Int32) {
        self.path = path
        self.step = step
        self.code = code
    }

    /// The system's wording for `code`, as `strerror` gives it.
    package var reason: String { String(cString: strerror(code)) }

    package var description: String {
        let subject = path == OutputFile.standardOutput ? "stdout" : "'\(path)'"
        return "\(step.rawValue) \(subject): \(reason)"
    }
}

extension OutputFileError {
    /// Why `path` cannot be written, as an option's error says it: the folder that is missing
    /// or not writable, or that `path` is itself a folder.
    package func whyUnwritable(_ path: String) -> String {
        let reason = switch code {
        case EISDIR: "'\(self.path)' is a folder"
        case ENOENT where step == .create: "folder '\(self.path)' does not exist"
        case EACCES where step == .create: "folder '\(self.path)' is not writable"
        default: description
        }
        return code == EISDIR && self.path == path ? reason : "cannot write '\(path)': \(reason)"
    }
}

/// The one writer for every file blocktop writes (trace, report, output arrays): whole or absent.
///
/// - `-` is stdout, written directly.
/// - A symlink (or a chain of them) is followed to its final target, which is written by the
///   rules for what it is; a dangling link creates its target.
/// - A regular file, or a path that does not exist yet, is written to a temporary sibling
///   (`O_EXCL`, the original's mode or 0666 less the umask), flushed with `fsync` and renamed
///   over the target; on any failure the temporary is removed and the target left as it was.
/// - A FIFO, a character or block device or a socket is opened `O_WRONLY` and written directly;
///   it is never removed or replaced. Opening a FIFO waits for a reader unless `waitForReader`
///   is false, when a FIFO without one fails with `ENXIO` at once.
/// - A folder is refused with `EISDIR`.
package enum OutputFile {
    /// The path that names stdout.
    package static let standardOutput = "-"

    /// What a path resolves to, and so how it is written.
    package enum Target: Equatable, Sendable {
        /// stdout (`-`).
        case standardOutput
        /// A regular file at `path`, replaced by rename; `existing` is the file there now, nil for a new one.
        case regular(path: String, existing: Existing?)
        /// A FIFO, device or socket at `path`, written in place.
        case special(path: String)

        /// The mode bits and owner of an existing regular file, which its replacement keeps.
        package struct Existing: Equatable, Sendable {
            package let mode: mode_t
            package let owner: uid_t
            package let group: gid_t
        }
    }

    /// Writes `text` as UTF-8 to `path` by the rules above.
    package static func write(_ text: String, to path: String, waitForReader: Bool = true) throws(OutputFileError) {
        var text = text
        let result: Result<Void, OutputFileError> = text.withUTF8 { bytes in
            Result { () throws(OutputFileError) in
                try write(buffer: UnsafeRawBufferPointer(bytes), to: path, waitForReader: waitForReader)
            }
        }
        try result.get()
    }

    /// Writes `bytes` to `path` by the rules above.
    package static func write(_ bytes: some Collection<UInt8>, to path: String) throws(OutputFileError) {
        let write: (UnsafeBufferPointer<UInt8>) -> Result<Void, OutputFileError> = { buffer in
            Result { () throws(OutputFileError) in try OutputFile.write(buffer: UnsafeRawBufferPointer(buffer), to: path) }
        }
        let result = bytes.withContiguousStorageIfAvailable(write) ?? Array(bytes).withUnsafeBufferPointer(write)
        try result.get()
    }

    /// Throws unless `path` could be written now: it resolves to stdout, a writable special file,
    /// or a regular or new file in a writable folder (what a rename needs).
    package static func checkWritable(_ path: String) throws(OutputFileError) {
        switch try resolve(path) {
        case .standardOutput: return
        case .special(let target):
            guard access(target, W_OK) == 0 else { throw OutputFileError(path: target, step: .open, code: errno) }
        case .regular(let target, _):
            let folder = directory(of: target)
            var info = stat()
            guard stat(folder, &info) == 0 else { throw OutputFileError(path: folder, step: .create, code: errno) }
            guard info.st_mode & S_IFMT == S_IFDIR else { throw OutputFileError(path: folder, step: .create, code: ENOTDIR) }
            guard access(folder, W_OK) == 0 else { throw OutputFileError(path: folder, step: .create, code: errno) }
        }
    }

    /// Follows `path` through any symlinks to what will be written; throws for a folder or a link loop.
    package static func resolve(_ path: String) throws(OutputFileError) -> Target {
        if path == standardOutput { return .standardOutput }
        guard !path.isEmpty else { throw OutputFileError(path: path, step: .resolve, code: ENOENT) }
        var current = path
        for _ in 0..<maximumLinks {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let code = errno
                if code == ENOENT { return .regular(path: current, existing: nil) }
                throw OutputFileError(path: current, step: .resolve, code: code)
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                current = try linkTarget(current)
            case S_IFREG:
                return .regular(path: current, existing: .init(mode: info.st_mode & 0o777, owner: info.st_uid, group: info.st_gid))
            case S_IFDIR:
                throw OutputFileError(path: current, step: .open, code: EISDIR)
            default:
                return .special(path: current)
            }
        }
        throw OutputFileError(path: path, step: .resolve, code: ELOOP)
    }

    /// As many links as the kernel follows before `ELOOP`.
    private static let maximumLinks = 40

    /// Where the link at `path` points, relative targets taken from the link's folder.
    private static func linkTarget(_ path: String) throws(OutputFileError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw OutputFileError(path: path, step: .resolve, code: errno) }
        let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        let folder = directory(of: path)
        return folder == "/" ? "/" + target : folder + "/" + target
    }

    /// The folder part of `path` (`.` when it has none).
    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = path[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    private static func write(buffer: UnsafeRawBufferPointer, to path: String, waitForReader: Bool = true) throws(OutputFileError) {
        switch try resolve(path) {
        case .standardOutput:
            try writeAll(buffer, to: STDOUT_FILENO, path: standardOutput)
        case .special(let target):
            let descriptor = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC | (waitForReader ? 0 : O_NONBLOCK))
            guard descriptor >= 0 else { throw OutputFileError(path: target, step: .open, code: errno) }
            defer { close(descriptor) }
            // Open without waiting, then write as usual: a reader that is slow to drain is waited for.
            if !waitForReader { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK) }
            try writeAll(buffer, to: descriptor, path: target)
        case .regular(let target, let existing):
            try replace(target, existing: existing, with: buffer)
        }
    }

    /// Writes a temporary sibling of `target`, flushes it and renames it over `target`.
    private static func replace(_ target: String, existing: Target.Existing?, with buffer: UnsafeRawBufferPointer) throws(OutputFileError) {
        let (temporary, descriptor) = try createTemporary(for: target, existing: existing)
        var closed = false
        do throws(OutputFileError) {
            // Errors name the target: the temporary is gone by the time anyone reads them.
            try writeAll(buffer, to: descriptor, path: target)
            guard fsync(descriptor) == 0 else { throw OutputFileError(path: target, step: .sync, code: errno) }
            closed = true
            guard close(descriptor) == 0 else { throw OutputFileError(path: target, step: .write, code: errno) }
            guard rename(temporary, target) == 0 else { throw OutputFileError(path: target, step: .replace, code: errno) }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw error
        }
        syncFolder(of: target)
    }

    /// Creates a new temporary sibling of `target` (`O_EXCL`), with the mode and, where allowed (as
    /// root), the owner of `existing`, the file it will replace; returns its path and descriptor.
    fileprivate static func createTemporary(for target: String, existing: Target.Existing?) throws(OutputFileError) -> (String, Int32) {
        let split = target.lastIndex(of: "/").map(target.index(after:)) ?? target.startIndex
        let prefix = target[..<split], name = target[split...]
        var temporary = "", descriptor: Int32 = -1
        for _ in 0..<8 {
            temporary = "\(prefix).\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
            descriptor = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o666))
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw OutputFileError(path: target, step: .create, code: errno) }
        if let existing {
            _ = fchmod(descriptor, existing.mode)
            if existing.owner != geteuid() || existing.group != getegid() {
                _ = fchown(descriptor, existing.owner, existing.group)
            }
        }
        return (temporary, descriptor)
    }

    /// Makes a rename in `target`'s folder durable; a folder that cannot be flushed does not undo the write.
    fileprivate static func syncFolder(of target: String) {
        let folderDescriptor = open(directory(of: target), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Writes every byte of `buffer` to `descriptor`, through partial writes and interruptions.
    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(OutputFileError) {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputFileError(path: path, step: .write, code: errno)
            }
            offset += written
        }
    }
}

/// A regular file written in pieces at offsets, from any number of threads, then put in place
/// whole: the file blocktop writes an array into, block by block, as the run goes.
///
/// By `OutputFile`'s rule: the pieces go to a temporary sibling of the target (a symlink is
/// followed to its final target first); `commit()` flushes it and renames it over the target;
/// `abandon()`, or the last reference going without a commit, removes it, leaving the target as
/// it was. A target that exists is refused unless `replacing` is set; stdout, FIFOs, devices and
/// sockets are refused (`ESPIPE`: they cannot be written at offsets, and are never replaced).
///
/// `@unchecked Sendable`: the descriptor is set once and closed only in deinit, when no writer
/// can hold the object any more; `pwrite` is safe from several threads; the state is behind a mutex.
package final class StagedFile: @unchecked Sendable {
    /// The file that `commit()` puts in place: the final target of any links.
    package let target: String
    private let temporary: String
    private let descriptor: Int32
    private let state = Mutex(State.writing)

    private enum State { case writing, committed, abandoned }

    package init(path: String, replacing: Bool) throws(OutputFileError) {
        let resolved = try OutputFile.resolve(path)
        switch resolved {
        case .standardOutput:
            throw OutputFileError(path: OutputFile.standardOutput, step: .open, code: ESPIPE)
        case .special(let target):
            throw OutputFileError(path: target, step: .open, code: ESPIPE)
        case .regular(let target, let existing):
            if existing != nil && !replacing { throw OutputFileError(path: target, step: .create, code: EEXIST) }
            self.target = target
            (temporary, descriptor) = try OutputFile.createTemporary(for: target, existing: existing)
        }
    }

    deinit {
        close(descriptor)
        if state.withLock({ $0 }) == .writing { unlink(temporary) }
    }

    /// The temporary file's path, where the pieces go until `commit()`.
    package var temporaryPath: String { temporary }

    /// Sets the file's size (a sparse file: what is not written reads as zeros).
    package func setSize(_ bytes: Int) throws(OutputFileError) {
        guard ftruncate(descriptor, off_t(bytes)) == 0 else { throw OutputFileError(path: target, step: .write, code: errno) }
    }

    /// Writes all of `buffer` at `offset`, through partial writes and interruptions.
    package func write(_ buffer: UnsafeRawBufferPointer, at offset: Int) throws(OutputFileError) {
        var done = 0
        while done < buffer.count {
            let written = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputFileError(path: target, step: .write, code: errno)
            }
            done += written
        }
    }

    /// Flushes the file and renames it over the target; on failure removes it. Call once every
    /// piece is written.
    package func commit() throws(OutputFileError) {
        let proceed = state.withLock { state -> Bool in
            guard state == .writing else { return false }
            state = .committed
            return true
        }
        guard proceed else { return }
        do throws(OutputFileError) {
            guard fsync(descriptor) == 0 else { throw OutputFileError(path: target, step: .sync, code: errno) }
            guard rename(temporary, target) == 0 else { throw OutputFileError(path: target, step: .replace, code: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        OutputFile.syncFolder(of: target)
    }

    /// Removes the temporary file, leaving the target as it was. Writers still running write into
    /// the removed file, which goes with the descriptor.
    package func abandon() {
        let remove = state.withLock { state -> Bool in
            guard state == .writing else { return false }
            state = .abandoned
            return true
        }
        if remove { unlink(temporary) }
    }
}
