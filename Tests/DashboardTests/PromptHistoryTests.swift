import BlocktopSupport
import Dashboard
import DashboardModel
import Foundation
import Glibc
import RunVocabulary
import Testing
import TestSupport
import Themes

/// The prompt's history: bounded, without repeats, kept in a file by OutputFile's rules, and
/// never a way for bad bytes to reach the terminal.
@Suite struct PromptHistoryTests {
    @Test func keepsTheLastEntriesWithoutConsecutiveRepeats() {
        var history = PromptHistory(limit: 3)
        for entry in ["a", "b", "b", "c", "b", "", "d"] { history.add(entry) }
        #expect(history.entries == ["c", "b", "d"])
        history.add("d")
        #expect(history.entries == ["c", "b", "d"])
        history.add("line\nbreak")
        #expect(history.entries == ["c", "b", "d"])
        #expect(history.fileText == "c\nb\nd\n")
        #expect(PromptHistory.defaultLimit == 500)
    }

    @Test func parsingLeavesOutBadLinesAndKeepsTheNewest() {
        var bytes = Array("sum(x)\r\n\nfirst\n".utf8)
        bytes += [0x66, 0xFF, 0x0A]                           // not UTF-8
        bytes += Array("a\u{1B}]0;title\u{07}\n".utf8)        // an escape sequence
        bytes += Array("b\u{9B}2J\n".utf8)                    // a C1 control
        bytes += Array("first\nfirst\nones(3) × 2\nlast".utf8)
        let (history, skipped) = PromptHistory.parse(bytes)
        #expect(history.entries == ["sum(x)", "first", "ones(3) × 2", "last"])
        #expect(skipped == 3)
        let (bounded, _) = PromptHistory.parse(Array((1...600).map { "e\($0)" }.joined(separator: "\n").utf8))
        #expect(bounded.entries.count == 500 && bounded.entries.first == "e101" && bounded.entries.last == "e600")
    }

    @Test func theDefaultPathFollowsXDG() {
        #expect(PromptHistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/blocktop/history")
        #expect(PromptHistoryFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/blocktop/history")
        // Empty or relative values are not valid XDG paths.
        #expect(PromptHistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "", "HOME": "/h"]) == "/h/.local/state/blocktop/history")
        #expect(PromptHistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "state", "HOME": "/h"]) == "/h/.local/state/blocktop/history")
        #expect(PromptHistoryFile.defaultPath(environment: [:]) == nil)
    }

    @Test func aMissingFileIsEmptyAndItsFoldersAreMadeOnWrite() throws {
        let folder = try TemporaryFolder()
        let file = PromptHistoryFile(path: folder.file("state/blocktop/history"))
        #expect(try file.read().history.entries == [])
        #expect(try file.add("ones(3).sum()").entries == ["ones(3).sum()"])
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "ones(3).sum()\n")
        var info = stat()
        #expect(stat(folder.file("state/blocktop"), &info) == 0 && info.st_mode & 0o777 == 0o700)
    }

    /// Each write starts from the file as it is now: what another session added stays.
    @Test func twoSessionsAddToOneFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("history")
        let first = PromptHistoryFile(path: path), second = PromptHistoryFile(path: path)
        _ = try first.add("a")
        _ = try second.add("b")
        #expect(try first.add("c").entries == ["a", "b", "c"])
        #expect(try second.read().history.entries == ["a", "b", "c"])
    }

    /// A symlinked history file is written through the link: the link stays, its target changes.
    @Test func aSymlinkIsWrittenThrough() throws {
        let folder = try TemporaryFolder()
        let target = folder.file("real-history")
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        let link = folder.file("history")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real-history")
        let file = PromptHistoryFile(path: link)
        #expect(try file.read().history.entries == ["old"])
        _ = try file.add("new")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real-history")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old\nnew\n")
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["history", "real-history"])
    }

    /// /dev/null as the history keeps none and is never replaced; a FIFO without a reader is an
    /// error at once, not a wait, and stays a FIFO.
    @Test func specialFilesAreNeverReplacedNorWaitedOn() throws {
        let folder = try TemporaryFolder()
        let null = folder.file("null-history")
        try FileManager.default.createSymbolicLink(atPath: null, withDestinationPath: "/dev/null")
        let nullFile = PromptHistoryFile(path: null)
        #expect(try nullFile.add("x").entries == ["x"])
        #expect(try nullFile.read().history.entries == [])
        let fifo = folder.file("fifo-history")
        try #require(mkfifo(fifo, 0o600) == 0)
        let fifoFile = PromptHistoryFile(path: fifo)
        #expect(try fifoFile.read().history.entries == [])
        #expect(throws: PromptHistoryError.write(OutputFileError(path: fifo, step: .open, code: ENXIO))) { try fifoFile.add("x") }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    /// A file that cannot be read, or a folder in its place, is an error the session says once.
    @Test func unreadableHistoryIsAnError() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("history")
        try "secret\n".write(toFile: path, atomically: false, encoding: .utf8)
        try #require(chmod(path, 0) == 0)
        // Root reads any file: the check only holds for others.
        if geteuid() != 0 {
            #expect(throws: PromptHistoryError.read(path: path, code: EACCES)) { try PromptHistoryFile(path: path).read() }
        }
        #expect(throws: PromptHistoryError.read(path: folder.path, code: EISDIR)) { try PromptHistoryFile(path: folder.path).read() }
        #expect(PromptHistoryError.read(path: "/x", code: EISDIR).description == "cannot read '/x': Is a directory")
    }

    /// Only the end of a very large file is read, and the line cut in two there is left out.
    @Test func aHugeFileIsReadFromItsEnd() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("history")
        let line = String(repeating: "x", count: 99) + "\n"
        let text = String(repeating: line, count: PromptHistoryFile.maximumBytes / 100 + 10) + "ones(1)\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let (history, skipped) = try PromptHistoryFile(path: path).read()
        #expect(skipped == 0)
        #expect(history.entries == [String(repeating: "x", count: 99), "ones(1)"])
    }
}

/// What the dashboard does with the history: Up and Down at the prompt, the file across
/// sessions, and a file it cannot use.
@Suite struct PromptHistorySessionTests {
    func session(_ file: PromptHistoryFile?) throws -> (DashboardSession, FakeLauncher) {
        let launcher = FakeLauncher()
        let session = try DashboardSession(launcher: launcher, settings: RunSettings(blockSize: 1000, workers: 2),
                                           view: ViewState(), catalog: ThemeCatalog(folders: []), historyFile: file)
        session.refresh()
        return (session, launcher)
    }

    func type(_ text: String, into session: DashboardSession) {
        for scalar in text.unicodeScalars { _ = session.handle(scalar) }
    }

    @Test func upAndDownGoThroughTheExpressionsRun() throws {
        let folder = try TemporaryFolder()
        let file = PromptHistoryFile(path: folder.file("history"))
        let (session, launcher) = try session(file)
        for text in ["ones(1).sum()", "ones(2).sum()", "ones(2).sum()", "ones(3).sum()"] { type(":\(text)\r", into: session) }
        // An expression that does not build is not kept.
        type(":nosuch(1)\r", into: session)
        _ = session.handle(.escape)
        #expect(session.history.entries == ["ones(1).sum()", "ones(2).sum()", "ones(3).sum()"])
        #expect(launcher.started.count == 5)
        type(":draft", into: session)
        _ = session.handle(.up)
        #expect(session.view.prompt == PromptLine("ones(3).sum()"))
        _ = session.handle(.up)
        _ = session.handle(.up)
        _ = session.handle(.up)  // stays at the oldest
        #expect(session.view.prompt?.text == "ones(1).sum()")
        _ = session.handle(.down)
        #expect(session.view.prompt?.text == "ones(2).sum()")
        _ = session.handle(.down)
        _ = session.handle(.down)  // past the newest: the text being typed comes back
        #expect(session.view.prompt?.text == "draft")
        _ = session.handle(.down)
        #expect(session.view.prompt?.text == "draft")
        // A recalled entry can be edited and run.
        _ = session.handle(.up)
        _ = session.handle(.control("a"))
        type("2 * ", into: session)
        _ = session.handle(.enter)
        #expect(session.model.run.title == "2 * ones(3).sum()")
        // The file holds them all, for the next session; there, Up recalls the newest first.
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "ones(1).sum()\nones(2).sum()\nones(3).sum()\n2 * ones(3).sum()\n")
        let (next, _) = try self.session(file)
        type(":", into: next)
        _ = next.handle(.up)
        #expect(next.view.prompt?.text == "2 * ones(3).sum()")
        #expect(next.view.message == nil)
    }

    /// The prompt with a recalled entry, at 80×24: the entry, the cursor after it.
    @Test func aRecalledEntryOnScreen() throws {
        let (session, _) = try session(nil)
        type(":x = random((4000, 4000)); (x @ x.T).sum()\r", into: session)
        type(":", into: session)
        _ = session.handle(.up)
        _ = session.handle(.left)
        let frame = DashboardView(model: session.model, state: session.view).render(width: 80, height: 24)
        #expect(frame.line(23) == ":x = random((4000, 4000)); (x @ x.T).sum()" + String(repeating: " ", count: 38))
        #expect(frame[41, 23].character == ")" && frame[41, 23].style.reverse)
        #expect((0..<80).filter { frame[$0, 23].style.reverse } == [41])
    }

    /// Bad lines in the file are left out and said once; none reaches the screen.
    @Test func badBytesInTheFileNeverReachTheScreen() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("history")
        try Data(Array("ones(1)\n\u{1B}[2J\u{1B}]0;owned\u{07}\n".utf8) + [0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: path))
        let (session, _) = try session(PromptHistoryFile(path: path))
        #expect(session.view.message == "history: left out 2 bad lines of '\(path)'")
        #expect(session.history.entries == ["ones(1)"])
        type(":", into: session)
        _ = session.handle(.up)
        _ = session.handle(.up)
        #expect(session.view.prompt?.text == "ones(1)")
        let frame = DashboardView(model: session.model, state: session.view).render(width: 80, height: 24)
        #expect(frame.cells.allSatisfy { !$0.character.isTerminalControl })
    }

    /// A history that cannot be read or written is said once in the footer; the dashboard goes
    /// on, with the history of this session in memory.
    @Test func aFileThatCannotBeUsedIsSaidOnce() throws {
        let folder = try TemporaryFolder()
        // A folder where the file should be: unreadable.
        let (unreadable, _) = try session(PromptHistoryFile(path: folder.path))
        #expect(unreadable.view.message == "history not kept: cannot read '\(folder.path)': Is a directory")
        #expect(unreadable.handle("q") == .quit)

        // A FIFO without a reader reads as empty but cannot be written: said on the first expression only.
        let fifo = folder.file("fifo")
        try #require(mkfifo(fifo, 0o600) == 0)
        let (session, _) = try session(PromptHistoryFile(path: fifo))
        #expect(session.view.message == nil)
        type(":ones(1).sum()", into: session)
        let first = session.handle(.enter)
        #expect(first == .handled(message: "history not saved: cannot open '\(fifo)': No such device or address"))
        type(":ones(2).sum()", into: session)
        #expect(session.handle(.enter) == .handled(message: "running ones(2).sum()"))
        #expect(session.history.entries == ["ones(1).sum()", "ones(2).sum()"])
        type(":", into: session)
        _ = session.handle(.up)
        #expect(session.view.prompt?.text == "ones(2).sum()")
    }
}
