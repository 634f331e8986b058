import BlocktopSupport
import Glibc

/// The expressions entered at the `:` prompt, oldest first: at most `limit`, and never the same
/// one twice in a row.
package struct PromptHistory: Sendable, Equatable {
    /// How many entries a history keeps unless told otherwise.
    package static let defaultLimit = 500

    package private(set) var entries: [String]
    package let limit: Int

    package init(entries: [String] = [], limit: Int = defaultLimit) {
        self.limit = max(1, limit)
        self.entries = []
        for entry in entries { add(entry) }
    }

    /// Adds `entry` as the newest unless it is empty, holds a control character (it could not
    /// be kept on one line of the file) or repeats the newest; drops the oldest beyond `limit`.
    package mutating func add(_ entry: String) {
        guard !entry.isEmpty, !entry.unicodeScalars.contains(where: { $0.isTerminalControl }), entry != entries.last else { return }
        entries.append(entry)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    /// The file's text: an entry a line, oldest first.
    package var fileText: String {
        entries.isEmpty ? "" : entries.joined(separator: "\n") + "\n"
    }

    /// The history a file's bytes hold, and how many of its lines were bad input and left out:
    /// lines that are not UTF-8 or hold control characters (a terminal would act on them). The
    /// last `limit` entries are kept.
    package static func parse(_ bytes: [UInt8], limit: Int = defaultLimit) -> (history: PromptHistory, skipped: Int) {
        var history = PromptHistory(limit: limit), skipped = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            // A file written on Windows ends its lines with CR LF.
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            guard let text = String(validating: trimmed, as: UTF8.self),
                  !text.unicodeScalars.contains(where: { $0.isTerminalControl }) else {
                skipped += 1
                continue
            }
            if !text.isEmpty { history.add(text) }
        }
        return (history, skipped)
    }
}

/// Why the history file could not be used: the path, what failed and the system's reason.
package enum PromptHistoryError: Error, Equatable, CustomStringConvertible {
    /// The file (or the folder it needs) could not be read.
    case read(path: String, code: Int32)
    /// It could not be written (OutputFile's rules: whole or not at all).
    case write(OutputFileError)

    package var description: String {
        switch self {
        case .read(let path, let code): "cannot read '\(path)': \(String(cString: strerror(code)))"
        case .write(let error): error.description
        }
    }
}

/// The file that keeps the `:` prompt's history across sessions:
/// `$XDG_STATE_HOME/blocktop/history`, by default `~/.local/state/blocktop/history`.
///
/// It is read when the dashboard starts, and written whole after each expression entered,
/// through `OutputFile` (a temporary sibling renamed over it; a symlink is followed; a FIFO or
/// device is written in place, never replaced, and a FIFO without a reader is an error rather
/// than a wait). Only a regular file is read, its last `maximumBytes` at most: a FIFO or a
/// device (such as /dev/null, to keep no history) reads as empty.
package struct PromptHistoryFile: Sendable, Equatable {
    package let path: String
    package let limit: Int

    /// How much of the file's end is read: far more than `limit` entries of any sensible length.
    package static let maximumBytes = 1 << 20

    package init(path: String, limit: Int = PromptHistory.defaultLimit) {
        self.path = path
        self.limit = limit
    }

    /// The path for `environment`: `$XDG_STATE_HOME/blocktop/history` when it is an absolute
    /// path, else `$HOME/.local/state/blocktop/history`; nil without either.
    package static func defaultPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/blocktop/history" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/blocktop/history" }
        return nil
    }

    /// `defaultPath(environment:)` for this process's environment.
    package static var defaultPath: String? {
        var environment: [String: String] = [:]
        for name in ["XDG_STATE_HOME", "HOME"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return defaultPath(environment: environment)
    }

    /// The history in the file, and how many bad lines it left out; a file that does not exist
    /// yet is an empty history.
    package func read() throws(PromptHistoryError) -> (history: PromptHistory, skipped: Int) {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return (PromptHistory(limit: limit), 0) }
            throw .read(path: path, code: errno)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .read(path: path, code: errno) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .read(path: path, code: EISDIR)
        default: return (PromptHistory(limit: limit), 0)
        }
        var bytes: [UInt8] = []
        var skipFirstLine = false
        if info.st_size > Self.maximumBytes {
            // Only the end: the line cut in two at the start of what is read is not an entry.
            lseek(descriptor, off_t(info.st_size) - off_t(Self.maximumBytes), SEEK_SET)
            skipFirstLine = true
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < Self.maximumBytes {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, min($0.count, Self.maximumBytes - bytes.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .read(path: path, code: errno)
            }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        if skipFirstLine, let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange(...newline) }
        return PromptHistory.parse(bytes, limit: limit)
    }

    /// Adds `entry` to the history as the file holds it now (another blocktop may have added to
    /// it since it was read) and writes the file back whole; returns the history written.
    /// Creates the file's folder (0700, as XDG asks) when it is missing.
    package func add(_ entry: String) throws(PromptHistoryError) -> PromptHistory {
        var history = try read().history
        history.add(entry)
        try createFolder()
        do {
            try OutputFile.write(history.fileText, to: path, waitForReader: false)
        } catch {
            throw .write(error)
        }
        return history
    }

    /// Makes the folders of `path` that do not exist yet.
    private func createFolder() throws(PromptHistoryError) {
        var folders: [String] = []
        var folder = path
        while let slash = folder.lastIndex(of: "/"), slash != folder.startIndex {
            folder = String(folder[..<slash])
            var info = stat()
            if stat(folder, &info) == 0 { break }
            folders.append(folder)
        }
        for folder in folders.reversed() where mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw .write(OutputFileError(path: folder, step: .create, code: errno))
        }
    }
}
