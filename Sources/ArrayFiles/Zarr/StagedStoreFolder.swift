import FoundationEssentials
import Glibc
import Synchronization

/// A Zarr store folder written whole or not at all: everything goes into a temporary sibling
/// folder, which `commit()` renames to the target; `abandon()` removes it.
///
/// The folder counterpart of `StagedFile`, by the same rule, with one difference: a target that
/// is a symlink, a FIFO, a device or a regular file is refused, never followed or replaced (a
/// store is a folder, and a folder cannot be renamed over a link without losing the link). An
/// existing folder is replaced only when `replacing` is set and it is a Zarr store (so that a
/// typo cannot remove some other folder): it is renamed away, the new one renamed in, then the
/// old one removed.
///
/// Files go in through `write(_:to:)`, relative to a descriptor of the temporary folder, so a
/// task still writing after `abandon()` can never create the folder again; the folder is removed
/// once the last write in flight is done.
///
/// `@unchecked Sendable`: the paths and the descriptor are set once (the descriptor closed only
/// in deinit); the state is behind a mutex.
final class StagedStoreFolder: @unchecked Sendable {
    /// The folder as the user named it, without trailing slashes.
    let target: String
    /// Where the store is written until `commit()`.
    let temporary: String
    /// Whether a Zarr store at the target may be replaced (`--force`).
    private let replacing: Bool
    private let folder: Int32
    private let state = Mutex(State())

    private struct State {
        var phase = Phase.writing
        /// Writes in flight: an abandoned folder is removed when the last one ends.
        var writes = 0
    }

    private enum Phase { case writing, committed, abandoned }

    /// Creates the temporary folder beside `path`; throws saying why the target cannot be written.
    init(path: String, replacing: Bool) throws(ArrayFileError) {
        target = Self.withoutTrailingSlashes(path)
        self.replacing = replacing
        try Self.check(path: target, replacing: replacing)
        var created: String?
        for _ in 0..<8 {
            let candidate = Self.sibling(of: self.target, suffix: "tmp")
            if mkdir(candidate, 0o777) == 0 { created = candidate; break }
            guard errno == EEXIST else { throw ArrayFileError(path: path, "cannot create a folder beside it: \(systemReason(errno))") }
        }
        guard let created else { throw ArrayFileError(path: path, "cannot create a folder beside it: \(systemReason(EEXIST))") }
        temporary = created
        folder = open(created, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else {
            let code = errno
            Self.remove(created)
            throw ArrayFileError(path: path, "cannot open the folder beside it: \(systemReason(code))")
        }
    }

    deinit {
        close(folder)
        if state.withLock({ $0.phase }) == .writing { Self.remove(temporary) }
    }

    /// Writes `bytes` as the new file `key` (`zarr.json`, `c/0/1`) in the folder, making the
    /// folders of its key (flushed to disk all at once by `commit`); throws once the folder is
    /// abandoned or committed.
    func write(_ bytes: [UInt8], to key: String) throws(ZarrCodecError) {
        let open = state.withLock { state -> Bool in
            guard state.phase == .writing else { return false }
            state.writes += 1
            return true
        }
        guard open else { throw ZarrCodecError("the store is no longer being written (the run ended)") }
        defer {
            let last = state.withLock { state -> Bool in
                state.writes -= 1
                return state.phase == .abandoned && state.writes == 0
            }
            if last { Self.remove(temporary) }
        }
        var descriptor = openat(folder, key, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o666))
        if descriptor < 0 && errno == ENOENT {
            var slash = key.firstIndex(of: "/")
            while let end = slash {
                guard mkdirat(folder, String(key[..<end]), 0o777) == 0 || errno == EEXIST else {
                    throw ZarrCodecError("cannot create its folder: \(systemReason(errno))")
                }
                slash = key[key.index(after: end)...].firstIndex(of: "/")
            }
            descriptor = openat(folder, key, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o666))
        }
        guard descriptor >= 0 else { throw ZarrCodecError("cannot create: \(systemReason(errno))") }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ZarrCodecError("cannot write: \(systemReason(errno))")
            }
            done += written
        }
    }

    /// Throws unless `path` could be written as a store now: missing (in a folder that exists),
    /// or, when `replacing`, a folder that is a Zarr store.
    static func check(path: String, replacing: Bool) throws(ArrayFileError) {
        let path = withoutTrailingSlashes(path)
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else { throw ArrayFileError(path: path, "cannot write: \(systemReason(errno))") }
            let folder = parent(of: path)
            guard access(folder, W_OK) == 0 else { throw ArrayFileError(path: path, "cannot create it in '\(folder)': \(systemReason(errno))") }
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            guard replacing else { throw ArrayFileError(path: path, "exists; give --force to replace it") }
            guard ["zarr.json", ".zarray", ".zgroup"].contains(where: { access("\(path)/\($0)", F_OK) == 0 }) else {
                throw ArrayFileError(path: path, "is a folder but not a Zarr store; --force replaces only a Zarr store")
            }
        case S_IFLNK:
            throw ArrayFileError(path: path, "is a symlink: a Zarr store is written as a folder, and a link is never followed or replaced")
        default:
            throw ArrayFileError(path: path, "exists and is not a folder: a Zarr store is a folder, and a file, FIFO or device is never replaced")
        }
    }

    /// Puts the folder in place of the target (replacing a store there); call once every file is written.
    func commit() throws(ArrayFileError) {
        let proceed = state.withLock { state -> Bool in
            guard state.phase == .writing else { return false }
            state.phase = .committed
            return true
        }
        guard proceed else { return }
        // Every chunk file and folder to disk before the rename, in one call for the filesystem
        // rather than one per chunk (which took half of the time of writing a store).
        guard syncfs(folder) == 0 else {
            let code = errno
            Self.remove(temporary)
            throw ArrayFileError(path: target, "cannot flush the new store to disk: \(systemReason(code))")
        }
        // Checked again: what is at the target now may not be what was there when the run started.
        do throws(ArrayFileError) {
            try Self.check(path: target, replacing: replacing)
        } catch {
            Self.remove(temporary)
            throw error
        }
        var old: String?
        var info = stat()
        if lstat(target, &info) == 0 {
            let away = Self.sibling(of: target, suffix: "old")
            guard rename(target, away) == 0 else {
                let code = errno
                Self.remove(temporary)
                throw ArrayFileError(path: target, "cannot move the old store away: \(systemReason(code))")
            }
            old = away
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            if let old { rename(old, target) }
            Self.remove(temporary)
            throw ArrayFileError(path: target, "cannot move the new store in: \(systemReason(code))")
        }
        if let old { Self.remove(old) }
        let parent = open(Self.parent(of: target), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if parent >= 0 {
            _ = fsync(parent)
            close(parent)
        }
    }

    /// Removes the temporary folder (once writes in flight end), leaving the target as it was.
    func abandon() {
        let remove = state.withLock { state -> Bool in
            guard state.phase == .writing else { return false }
            state.phase = .abandoned
            return state.writes == 0
        }
        if remove { Self.remove(temporary) }
    }

    /// A new name beside `target`: `.name.<pid>.<random>.<suffix>`.
    private static func sibling(of target: String, suffix: String) -> String {
        let split = target.lastIndex(of: "/").map(target.index(after:)) ?? target.startIndex
        return "\(target[..<split]).\(target[split...]).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).\(suffix)"
    }

    /// `path` without the slashes after its name (`x.zarr/` is `x.zarr`), so a link is not followed.
    private static func withoutTrailingSlashes(_ path: String) -> String {
        var name = Substring(path)
        while name.count > 1 && name.hasSuffix("/") { name = name.dropLast() }
        return String(name)
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Removes a folder this writer made (links inside are removed, not followed).
    private static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// glibc's `syncfs(2)`, which its module map leaves out (it is declared only under _GNU_SOURCE):
/// flushes every file of the filesystem that holds `descriptor`.
@_silgen_name("syncfs") private func syncfs(_ descriptor: Int32) -> Int32
