import BlocktopSupport
import Foundation
import Testing

/// A fresh folder under the temporary directory, removed by `remove()`.
struct Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("blocktop-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func at(_ name: String) -> String { path + "/" + name }
    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The file type bits of what `path` itself is (a link is a link), or nil when nothing is there.
func kind(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
}

func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

@Suite struct OutputFileTests {
    @Test func aRegularFileIsReplacedWholeKeepingItsModeAndNoTemporaryRemains() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.at("trace.json")
        try OutputFile.write("first, and longer than the second", to: path)
        #expect(try contents(path) == "first, and longer than the second")
        chmod(path, 0o600)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        try OutputFile.write("second", to: path)
        #expect(try contents(path) == "second")
        #expect(kind(path) == S_IFREG)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        // Replaced by rename: a new inode, so a reader of the old file never saw it half written.
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int) != before)
        #expect(try scratch.entries() == ["trace.json"])
    }

    @Test func bytesAndARelativeNameAreWrittenToo() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.at("data.bin")
        try OutputFile.write([0, 1, 2, 255] as [UInt8], to: path)
        try OutputFile.write((0..<3).map { UInt8($0 * 2) }.lazy.map { $0 + 1 }, to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 3, 5]))
        try OutputFile.write("", to: path)
        #expect(try contents(path) == "")
        #expect(try scratch.entries() == ["data.bin"])
    }

    @Test func aSymlinkChainIsFollowedAndTheLinksStayLinks() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.at("real"), withIntermediateDirectories: false)
        let target = scratch.at("real/trace.json")
        try OutputFile.write("old", to: target)
        symlink("real/trace.json", scratch.at("first"))   // relative to the link's folder
        symlink(scratch.at("first"), scratch.at("second"))
        try OutputFile.write("new", to: scratch.at("second"))
        #expect(try contents(target) == "new")
        #expect(kind(scratch.at("first")) == S_IFLNK && kind(scratch.at("second")) == S_IFLNK)
        #expect(try scratch.entries() == ["first", "real", "second"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.at("real")) == ["trace.json"])
    }

    @Test func aDanglingSymlinkCreatesItsTarget() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        symlink("missing.json", scratch.at("link"))
        try OutputFile.write("made", to: scratch.at("link"))
        #expect(kind(scratch.at("link")) == S_IFLNK)
        #expect(try contents(scratch.at("missing.json")) == "made")
        #expect(try scratch.entries() == ["link", "missing.json"])
    }

    @Test func aLinkLoopAndAFolderAreRefusedAndLeftAlone() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        symlink("b", scratch.at("a"))
        symlink("a", scratch.at("b"))
        #expect(throws: OutputFileError(path: scratch.at("a"), step: .resolve, code: ELOOP)) {
            try OutputFile.write("x", to: scratch.at("a"))
        }
        #expect(throws: OutputFileError(path: scratch.path, step: .open, code: EISDIR)) {
            try OutputFile.write("x", to: scratch.path)
        }
        #expect(try scratch.entries() == ["a", "b"])
    }

    @Test func aFIFOIsWrittenInPlaceAndItsReaderGetsEverything() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let fifo = scratch.at("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Larger than a pipe's buffer, so the writer must wait for the reader more than once.
        let text = String(repeating: "0123456789abcdef", count: 40_000)
        let received = Received()
        let reader = Thread { received.set(FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile()) }
        reader.start()
        try OutputFile.write(text, to: fifo)
        received.wait()
        #expect(received.data.map { String(decoding: $0, as: UTF8.self) } == text)
        #expect(kind(fifo) == S_IFIFO)
        #expect(try scratch.entries() == ["pipe"])
    }

    /// Not waiting for a reader: a FIFO without one is an error at once (and stays a FIFO); with
    /// one, everything is written, the writer waiting for the reader as usual once it is open.
    @Test func aFIFOIsNotWaitedOnWhenToldNotTo() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let fifo = scratch.at("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: OutputFileError(path: fifo, step: .open, code: ENXIO)) {
            try OutputFile.write("x", to: fifo, waitForReader: false)
        }
        #expect(kind(fifo) == S_IFIFO)
        // A reader already there: opened without waiting for a writer, then reading blocks as usual.
        let descriptor = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(descriptor >= 0)
        // A second writer held open until the write is done, so the reader cannot see the end of
        // the file before blocktop's writer has opened the FIFO.
        let holder = open(fifo, O_WRONLY | O_NONBLOCK)
        try #require(holder >= 0)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        let text = String(repeating: "0123456789abcdef", count: 40_000)
        let received = Received()
        let reader = Thread { received.set(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).readDataToEndOfFile()) }
        reader.start()
        try OutputFile.write(text, to: fifo, waitForReader: false)
        close(holder)
        received.wait()
        #expect(received.data.map { String(decoding: $0, as: UTF8.self) } == text)
        #expect(try scratch.entries() == ["pipe"])
    }

    @Test func devicesAreWrittenInPlaceAndAFullOneIsAnError() throws {
        try OutputFile.write("gone", to: "/dev/null")
        #expect(kind("/dev/null") == S_IFCHR)
        let error = #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: "/dev/full") }
        #expect(error == OutputFileError(path: "/dev/full", step: .write, code: ENOSPC))
        #expect(error?.description == "cannot write '/dev/full': \(String(cString: strerror(ENOSPC)))")
        #expect(kind("/dev/full") == S_IFCHR)

        let scratch = try Scratch()
        defer { scratch.remove() }
        symlink("/dev/full", scratch.at("full"))
        #expect(throws: OutputFileError(path: "/dev/full", step: .write, code: ENOSPC)) {
            try OutputFile.write("x", to: scratch.at("full"))
        }
        #expect(kind(scratch.at("full")) == S_IFLNK && kind("/dev/full") == S_IFCHR)
        #expect(try scratch.entries() == ["full"])
    }

    @Test func aFailedWriteLeavesTheOldContentsAndNoTemporary() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // A name so long that no temporary sibling of it can be made (NAME_MAX is 255).
        let name = String(repeating: "n", count: 250)
        let path = scratch.at(name)
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8)))
        let error = #expect(throws: OutputFileError.self) { try OutputFile.write("new", to: path) }
        #expect(error?.step == .create && error?.code == ENAMETOOLONG && error?.path == path)
        #expect(try contents(path) == "old")
        #expect(try scratch.entries() == [name])
        // A missing folder: nothing is created anywhere.
        #expect(throws: OutputFileError(path: scratch.at("missing/trace.json"), step: .create, code: ENOENT)) {
            try OutputFile.write("x", to: scratch.at("missing/trace.json"))
        }
        #expect(try scratch.entries() == [name])
    }

    @Test func whatCanBeWrittenIsCheckedWithoutWriting() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try OutputFile.resolve("-") == .standardOutput)
        try OutputFile.checkWritable("-")
        try OutputFile.checkWritable("/dev/null")
        try OutputFile.checkWritable(scratch.at("new.json"))
        mkfifo(scratch.at("pipe"), 0o600)
        try OutputFile.checkWritable(scratch.at("pipe"))     // without blocking on a reader
        #expect(try OutputFile.resolve(scratch.at("pipe")) == .special(path: scratch.at("pipe")))
        symlink("new.json", scratch.at("link"))
        try OutputFile.checkWritable(scratch.at("link"))
        #expect(try OutputFile.resolve(scratch.at("link")) == .regular(path: scratch.at("new.json"), existing: nil))
        symlink(scratch.path, scratch.at("folder"))
        #expect(throws: OutputFileError(path: scratch.path, step: .open, code: EISDIR)) {
            try OutputFile.checkWritable(scratch.at("folder"))
        }
        #expect(throws: OutputFileError(path: scratch.at("missing"), step: .create, code: ENOENT)) {
            try OutputFile.checkWritable(scratch.at("missing/trace.json"))
        }
        #expect(try scratch.entries() == ["folder", "link", "pipe"])
    }
}

/// What a reader thread received, handed over once.
final class Received: @unchecked Sendable {
    // Safe: `data` is written once before `done` is signalled and read only after waiting on it.
    private(set) var data: Data?
    private let done = DispatchSemaphore(value: 0)

    func set(_ data: Data?) {
        self.data = data
        done.signal()
    }

    func wait() { done.wait() }
}
