import Foundation
import Testing
import TestSupport

/// `--trace` through the real binary: written through links and FIFOs, never replacing them.
@Suite struct TraceOutputFileTests {
    static let expression = "(ones((200,), chunks=50) + 1).sum()"

    /// A fresh folder; `body` gets its path, and the folder is removed afterwards.
    func inScratch(_ body: (String) throws -> Void) throws {
        let folder = try TemporaryFolder("blocktop-e2e")
        try body(folder.path)
    }

    /// Runs `blocktop` under `sh -c` (so a test can set limits first); returns the status and stderr.
    func shell(_ script: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", Blocktop.binary.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    func run(trace path: String) throws -> (status: Int32, stderr: String) {
        try shell(#"exec "$@""#, ["run", "--headless", "--workers", "2", "--trace", path, Self.expression])
    }

    func isTrace(_ data: Data) -> Bool {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["traceEvents"] is [Any]
    }

    func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    @Test func aSymlinkedTraceWritesItsTargetAndStaysALink() throws {
        try inScratch { folder in
            try Data("old".utf8).write(to: URL(fileURLWithPath: folder + "/target.json"))
            #expect(symlink("target.json", folder + "/trace.json") == 0)
            let outcome = try run(trace: folder + "/trace.json")
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(kind(folder + "/trace.json") == S_IFLNK)
            #expect(isTrace(try Data(contentsOf: URL(fileURLWithPath: folder + "/target.json"))))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["target.json", "trace.json"])
        }
    }

    @Test func aFIFOTraceReachesItsReaderAndStaysAFIFO() throws {
        try inScratch { folder in
            let fifo = folder + "/trace.fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            let received = FIFOReader(fifo)
            let outcome = try run(trace: fifo)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(isTrace(received.wait()))
            #expect(kind(fifo) == S_IFIFO)
        }
    }

    @Test func aFullDeviceIsAnErrorAndStaysADevice() throws {
        let outcome = try run(trace: "/dev/full")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("cannot write the trace to /dev/full: cannot write '/dev/full': \(String(cString: strerror(ENOSPC)))"))
        #expect(kind("/dev/full") == S_IFCHR)
    }

    /// A trace too large for the file-size limit (`ulimit -f`) fails mid-write: the old trace stays whole.
    @Test func aFailedTraceLeavesTheOldFileAndNoTemporary() throws {
        try inScratch { folder in
            let path = folder + "/trace.json"
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            // Ignoring SIGXFSZ turns the limit into an EFBIG error from write (the setting survives exec).
            let outcome = try shell(#"trap '' XFSZ; ulimit -f 1; exec "$@""#,
                                    ["run", "--headless", "--trace", path, "(ones((4000,), chunks=10) + 1).sum()"])
            #expect(outcome.status == 1, "\(outcome.stderr)")
            #expect(outcome.stderr.contains("cannot write '\(path)': \(String(cString: strerror(EFBIG)))"), "\(outcome.stderr)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["trace.json"])
        }
    }

    @Test func validationAcceptsLinksAndFIFOsAndRefusesAFolderBehindALink() throws {
        try inScratch { folder in
            #expect(symlink(folder, folder + "/dir") == 0)
            let outcome = try run(trace: folder + "/dir")
            #expect(outcome.status == 64)
            #expect(outcome.stderr.contains("is a folder"))
            #expect(kind(folder + "/dir") == S_IFLNK)
        }
    }
}

/// Reads a FIFO to its end on a thread of its own, as a consumer process would.
final class FIFOReader: @unchecked Sendable {
    // Safe: `data` is written once before `done` is signalled and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ path: String) {
        Thread {
            self.data = FileHandle(forReadingAtPath: path)?.readDataToEndOfFile() ?? Data()
            self.done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
