import ClusterSources
import Foundation
import TestSupport
import Testing

/// The bridge in watch mode as `blocktop watch` starts it: the watched program reads /dev/null
/// on its stdin, and one that ignores SIGTERM is killed by `stop()` after the grace period.
@Suite(.serialized) struct BridgeProcessTests {
    /// The bridge watching `script` on the tests' Python, its stdout and stderr in `output`.
    func watch(_ script: String, output: String) throws -> BridgeProcess {
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: output))
        let location = try BridgeLocation.find(python: Python.executable, executable: Blocktop.binary.path)
        return try BridgeProcess.watching([Python.executable, "-c", script], location: location, stdout: handle, stderr: handle)
    }

    /// Every message the bridge sends until its end.
    func messagesToTheEnd(of bridge: BridgeProcess) throws -> [BridgeMessage] {
        var messages: [BridgeMessage] = []
        try waitUntil("the bridge to end") {
            let batch = bridge.drain()
            messages += batch.messages
            return batch.ended != nil
        }
        return messages
    }

    func exitStatus(in messages: [BridgeMessage]) -> Int? {
        messages.lazy.compactMap { if case .bye(_, let status) = $0 { status } else { nil } }.first
    }

    @Test func theWatchedProgramsStdinIsDevNull() throws {
        let folder = try TemporaryFolder("bridge")
        let output = folder.file("output")
        let bridge = try watch("import os, sys; print(os.readlink('/proc/self/fd/0'), repr(sys.stdin.read()), flush=True)", output: output)
        defer { bridge.stop() }
        #expect(exitStatus(in: try messagesToTheEnd(of: bridge)) == 0)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "/dev/null ''\n")
    }

    @Test func aProgramThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() throws {
        let folder = try TemporaryFolder("bridge")
        let output = folder.file("output")
        let bridge = try watch("""
            import signal, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            print("ignoring SIGTERM", flush=True)
            time.sleep(600)
            """, output: output)
        guard case .hello(let hello) = try bridge.awaitGreeting(timeout: 30), let pid = hello.pid else {
            Issue.record("no hello with the program's pid")
            return
        }
        try waitUntil("the program to ignore SIGTERM") { (try? String(contentsOfFile: output, encoding: .utf8))?.contains("ignoring") == true }
        bridge.stop()
        // SIGKILL ended it (128 + 9), and it is gone, reaped by the bridge.
        #expect(exitStatus(in: try messagesToTheEnd(of: bridge)) == 137)
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }
}

/// `stop()` and `awaitExit` on a stand-in bridge: a shell script run where Python would be.
@Suite struct BridgeStopTests {
    /// A bridge whose Python is the shell script `script` (given `-m blocktop_bridge attach`).
    func bridge(_ script: String, in folder: TemporaryFolder) throws -> BridgeProcess {
        let python = folder.file("python")
        try Data("#!/bin/sh\n\(script)\n".utf8).write(to: URL(fileURLWithPath: python))
        #expect(chmod(python, 0o755) == 0)
        let location = try BridgeLocation.find(python: python, executable: folder.file("blocktop"))
        return try BridgeProcess(location: location, arguments: ["attach"])
    }

    @Test func awaitExitGivesTheStatusOfABridgeThatExited() throws {
        let folder = try TemporaryFolder("bridge")
        let bridge = try bridge("exit 2", in: folder)
        defer { bridge.stop() }
        #expect(bridge.awaitExit(seconds: 60) == 2)
    }

    @Test func stopEndsABridgeThatHeedsSIGTERMWithIt() throws {
        let folder = try TemporaryFolder("bridge")
        let ready = folder.file("ready")
        // The test runner's threads block signals, and a child inherits its mask: the stand-in
        // takes SIGTERM as a bridge started from blocktop's main thread does.
        let bridge = try bridge("""
            exec '\(Python.executable)' -c 'import signal, time
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
            open("\(ready)", "w").close()
            time.sleep(600)'
            """, in: folder)
        try waitUntil("the bridge to take SIGTERM") { FileManager.default.fileExists(atPath: ready) }
        #expect(bridge.awaitExit(seconds: 0) == nil)
        bridge.stop()
        // SIGTERM ended it: no SIGKILL after the grace period.
        #expect(bridge.awaitExit(seconds: 0) == 128 + SIGTERM)
    }

    @Test func stopKillsABridgeThatIgnoresSIGTERM() throws {
        let folder = try TemporaryFolder("bridge")
        let ready = folder.file("ready")
        let bridge = try bridge("trap '' TERM\n: > '\(ready)'\nexec sleep 600", in: folder)
        try waitUntil("the bridge to ignore SIGTERM") { FileManager.default.fileExists(atPath: ready) }
        bridge.stop()
        #expect(bridge.awaitExit(seconds: 0) == 128 + SIGKILL)
    }
}
