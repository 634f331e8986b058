import BlocktopSupport
import Foundation
import Synchronization

/// The Python bridge as a child process: started with `PYTHONPATH` on its package, its protocol
/// lines read and parsed on a thread of its own into an inbox the dashboard drains at its tick.
///
/// `stop()` closes its stdin (attach and local exit when it closes) and ends it by PID; a
/// watched program that outlives the bridge's grace period is killed by its PID from `hello`.
public final class BridgeProcess: ClusterFeed {
    private let process = Process()
    /// The bridge's stdin, closed to stop it; nil in watch mode, where the program's stdin is /dev/null.
    private let stdin: Pipe?
    /// The pipe the protocol lines come through, kept so that its read end stays open.
    private let protocolLines = Pipe()
    private let inbox = FeedInbox()
    private let location: BridgeLocation
    /// The end of the bridge's stderr, for why it failed (empty in watch mode, where stderr is the program's).
    private let stderrTail = Mutex("")
    private let stopped = Atomic(false)
    /// The watched program's process id, from `hello`; 0 before it or when there is none.
    private let programID = Atomic<Int32>(0)
    /// Signalled when stderr is read to its end, so that why the bridge ended is all there.
    private let stderrRead = DispatchSemaphore(value: 0)
    /// Opened when the bridge exited (by `process`'s termination handler, on a thread of
    /// Foundation's), or when it never started.
    private let exited = Latch()
    /// Whether the bridge launched a run, which `cancel()` can cancel.
    private let launches: Bool

    /// Starts `python -m blocktop_bridge` with `arguments` (such as `attach --scheduler ADDR`),
    /// its protocol on its stdout.
    public convenience init(location: BridgeLocation, arguments: [String]) throws(BridgeError) {
        try self.init(location: location, arguments: arguments, programOutput: nil)
    }

    /// Starts the bridge in watch mode on `program` (its path and arguments). The protocol goes
    /// to fd 3; the bridge's stdout and stderr, which the program inherits, go to `stdout` and
    /// `stderr`; its stdin is /dev/null.
    public static func watching(_ program: [String], location: BridgeLocation,
                                stdout: FileHandle, stderr: FileHandle) throws(BridgeError) -> BridgeProcess {
        try BridgeProcess(location: location, arguments: ["watch", "--protocol-fd", "3", "--"] + program,
                          programOutput: (stdout, stderr))
    }

    private init(location: BridgeLocation, arguments: [String],
                 programOutput: (stdout: FileHandle, stderr: FileHandle)?) throws(BridgeError) {
        self.location = location
        launches = arguments.first == "launch"
        let bridge = [location.python, "-m", "blocktop_bridge"] + arguments
        var environment = ProcessInfo.processInfo.environment
        if let folder = location.packageFolder {
            environment["PYTHONPATH"] = [folder, environment["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
        }
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        var stderr: Pipe?
        if let programOutput {
            // Foundation passes only fds 0 to 2 on: the protocol pipe rides in as stdin, and a
            // shell moves it to fd 3 before it becomes the bridge.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", #"exec "$@" 3>&0 0</dev/null"#, "sh"] + bridge
            process.standardInput = protocolLines.fileHandleForWriting
            process.standardOutput = programOutput.stdout
            process.standardError = programOutput.stderr
            stdin = nil
        } else {
            process.executableURL = URL(fileURLWithPath: location.python)
            process.arguments = Array(bridge.dropFirst())
            stdin = Pipe()
            stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = protocolLines
            process.standardError = stderr
        }
        process.terminationHandler = { [exited] _ in exited.open() }
        do {
            try process.run()
        } catch {
            exited.open()
            throw .failed("cannot start \(location.python): \(error.localizedDescription)")
        }
        // Only the bridge may hold the protocol's write end, so that its exit ends the reading.
        if programOutput != nil { try? protocolLines.fileHandleForWriting.close() }
        let out = protocolLines.fileHandleForReading.fileDescriptor
        Thread { [self] in readMessages(from: out) }.start()
        if let err = stderr?.fileHandleForReading.fileDescriptor {
            Thread { [self] in readErrors(from: err) }.start()
        } else {
            stderrRead.signal()
        }
    }

    public func drain() -> FeedBatch { inbox.drain() }
    public func awaitNews(seconds: Double) { inbox.awaitNews(seconds: seconds) }
    public func awaitEnd(seconds: Double) { inbox.awaitEnd(seconds: seconds) }

    /// The bridge's `hello`, once it came (it is left for `drain`).
    public var firstHello: BridgeMessage.Hello? {
        if case .hello(let hello)? = inbox.first(where: { if case .hello = $0 { true } else { false } }) { hello } else { nil }
    }

    /// Blocks until the bridge exited, up to `seconds`, and returns its exit status as a shell
    /// gives it (128 + n when signal n ended it); nil when it still runs at the deadline.
    public func awaitExit(seconds: Double) -> Int32? {
        // The termination handler opens `exited` on another thread, after `isRunning` turns false.
        guard !process.isRunning || exited.wait(seconds: seconds) else { return nil }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Waits until the bridge's first message that `wanted` accepts (every message is left for
    /// `drain`), up to `timeout` seconds, and returns it; throws when the bridge ended first (or
    /// said `error`) with why.
    public func awaitGreeting(timeout: Double, wanted: (BridgeMessage) -> Bool = { _ in true }) throws(BridgeError) -> BridgeMessage {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = inbox.first(where: { if case .error = $0 { true } else { wanted($0) } }) {
                if case .error(let message) = found { throw BridgeError.ended(saying: message, python: location.python) }
                return found
            }
            if inbox.hasEnded { throw BridgeError.ended(saying: failureText(), python: location.python) }
            inbox.awaitNews(seconds: deadline.timeIntervalSinceNow)
        }
        throw .failed("no word from the bridge in \(Int(timeout)) s")
    }

    /// Asks a launch-mode bridge to cancel its run's futures: a command line on its stdin. It
    /// answers with `cancelled` and `bye`; attach and watch modes have nothing to cancel.
    public func cancel() {
        guard launches, !stopped.load(ordering: .relaxed), let stdin else { return }
        let command = Data((JSON.object([("v", .integer(1)), ("type", .string("cancel"))]).serialized() + "\n").utf8)
        // Written on a thread that blocks SIGPIPE: a bridge that already exited must not end blocktop.
        Thread {
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &signals, nil)
            try? stdin.fileHandleForWriting.write(contentsOf: command)
        }.start()
    }

    /// How long `stop()` gives the bridge (then, in watch mode, the killed program) to exit.
    static let stopGraceSeconds = 3.0

    /// Closes the bridge's stdin and sends it SIGTERM; kills the watched program if the bridge is
    /// still there after the grace period, then the bridge itself after another; returns once it exited.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        try? stdin?.fileHandleForWriting.close()
        let pid = process.processIdentifier
        if process.isRunning { kill(pid, SIGTERM) }
        // A bridge (or, in watch mode, the program it passes SIGTERM to) still there after 3 s is killed.
        exited.wait(seconds: Self.stopGraceSeconds)
        let program = programID.load(ordering: .relaxed)
        if process.isRunning && program > 0 {
            // The bridge waits for its program, so the program is still its child: the id is not reused.
            kill(program, SIGKILL)
            exited.wait(seconds: Self.stopGraceSeconds)
        }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    private func readMessages(from descriptor: Int32) {
        var splitter = LineSplitter(limit: BridgeMessage.maximumLineBytes)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            for line in splitter.feed(buffer[..<count]) {
                switch line {
                case .tooLong(let bytes): inbox.skip(because: BridgeLineError.tooLong(bytes: bytes).description)
                case .text(let text):
                    do {
                        guard let message = try BridgeMessage.parse(text) else { continue }
                        if case .hello(let hello) = message, let pid = hello.pid { programID.store(pid, ordering: .relaxed) }
                        inbox.post(message)
                    } catch {
                        inbox.skip(because: error.description)
                    }
                }
            }
        }
        process.waitUntilExit()
        stderrRead.wait()
        inbox.end(failureText())
    }

    private func readErrors(from descriptor: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            let text = String(decoding: buffer[..<count], as: UTF8.self)
            stderrTail.withLock { $0 = String(($0 + text).suffix(4096)) }
        }
        stderrRead.signal()
    }

    /// The last line the bridge wrote to stderr, or its exit status.
    private func failureText() -> String {
        let last = stderrTail.withLock { $0 }.split(separator: "\n").last.map(String.init)
        if let last { return UntrustedText.clean(last, limit: UntrustedText.longLimit) }
        return process.isRunning ? "the bridge closed its output" : "the bridge exited with status \(process.terminationStatus)"
    }
}
