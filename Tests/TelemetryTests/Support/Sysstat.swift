import Foundation
import Glibc
import Synchronization

/// Runs one of sysstat's mpstat or pidstat and reads its `Average:` lines.
final class Sysstat: Sendable {
    /// The full path of `name` on PATH, or nil.
    static func which(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether mpstat and pidstat are both installed.
    static var isInstalled: Bool { which("mpstat") != nil && which("pidstat") != nil }

    private let tool: String
    /// The tool's whole output, once it has closed it, or why it could not be started.
    private let outcome = Mutex<Result<Data, any Error>?>(nil)
    private let ended = DispatchSemaphore(value: 0)
    private let processID = Atomic<Int32>(0)

    /// Starts `tool` with `arguments`, in the C locale so numbers and times parse.
    ///
    /// The tool is started from a fresh thread with no signals blocked: the test runner's
    /// threads block most signals, a spawned process inherits that mask, and mpstat and pidstat
    /// wait for SIGALRM between intervals. The same thread then collects the output.
    init(_ tool: String, _ arguments: [String]) {
        self.tool = tool
        Thread { [self] in
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.which(tool) ?? tool)
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["LC_ALL"] = "C"
            environment["S_TIME_FORMAT"] = nil
            environment["S_COLORS"] = "never"
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            do {
                try process.run()
                processID.store(process.processIdentifier, ordering: .relaxed)
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                outcome.withLock { $0 = .success(data) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            ended.signal()
        }.start()
    }

    /// Waits for the tool to end and returns its `Average:` rows as column name → value,
    /// named by its first header line (the one with the column `key`).
    func averages(headerWith key: String, within limit: Duration) throws -> [[String: String]] {
        let nanoseconds = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
        if ended.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
            kill(processID.load(ordering: .relaxed), SIGKILL)
            ended.wait()
            throw SysstatFailure(tool: tool, problem: "did not finish within \(limit)")
        }
        let data = try outcome.withLock { $0 }!.get()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard let header = lines.first(where: { $0.contains(key) }) else {
            throw SysstatFailure(tool: tool, problem: "printed no table with \(key):\n\(text)")
        }
        return lines.filter { $0.first == "Average:" && !$0.contains(key) }.map { row in
            Dictionary(zip(header, row), uniquingKeysWith: { first, _ in first })
        }
    }
}

/// A sysstat tool failed or printed no table.
struct SysstatFailure: Error, CustomStringConvertible {
    var tool: String
    var problem: String
    var description: String { "\(tool) \(problem)" }
}
