import Foundation
import Synchronization

/// The Python bridge as a child process: started with `PYTHONPATH` on its package, its stdout
/// read and parsed on a thread of its own into an inbox the dashboard drains at its tick.
///
/// `stop()` closes its stdin (the bridge exits when it closes) and ends it by PID.
public final class BridgeProcess: ClusterFeed {
    private let process = Process()
    private let stdin = Pipe()
    private let inbox = FeedInbox()
    private let location: BridgeLocation
    /// The end of the bridge's stderr, for why it failed.
    private let stderrTail = Mutex("")
    private let stopped = Atomic(false)
    /// Signalled when stderr is read to its end, so that why the bridge ended is all there.
    private let stderrRead = DispatchSemaphore(value: 0)

    /// Starts `python -m blocktop_bridge` with `arguments` (such as `attach --scheduler ADDR`).
    public init(location: BridgeLocation, arguments: [String]) throws(BridgeError) {
        self.location = location
        process.executableURL = URL(fileURLWithPath: location.python)
        process.arguments = ["-m", "blocktop_bridge"] + arguments
        var environment = ProcessInfo.processInfo.environment
        if let folder = location.packageFolder {
            environment["PYTHONPATH"] = [folder, environment["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
        }
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw .failed("cannot start \(location.python): \(error.localizedDescription)")
        }
        let out = stdout.fileHandleForReading.fileDescriptor, err = stderr.fileHandleForReading.fileDescriptor
        Thread { [self] in readMessages(from: out) }.start()
        Thread { [self] in readErrors(from: err) }.start()
    }

    public func drain() -> FeedBatch { inbox.drain() }

    /// Waits until the bridge's first message (left for `drain`), up to `timeout` seconds, and
    /// returns it; throws when the bridge ended first (or said `error`) with why.
    public func awaitGreeting(timeout: Double) throws(BridgeError) -> BridgeMessage {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let first = inbox.peek() {
                if case .error(let message) = first { throw BridgeError.ended(saying: message, python: location.python) }
                return first
            }
            if inbox.hasEnded { throw BridgeError.ended(saying: failureText(), python: location.python) }
            usleep(20_000)
        }
        throw .failed("no word from the bridge in \(Int(timeout)) s")
    }

    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        try? stdin.fileHandleForWriting.close()
        let pid = process.processIdentifier
        if process.isRunning { kill(pid, SIGTERM) }
        // A bridge that ignores SIGTERM for 3 s is killed.
        for _ in 0..<150 where process.isRunning { usleep(20_000) }
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
                        if let message = try BridgeMessage.parse(text) { inbox.post(message) }
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
