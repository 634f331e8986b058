import Foundation
import Synchronization

/// The real `blocktop` binary, as end-to-end tests run it.
package enum Blocktop {
    /// The blocktop executable that `swift test` built next to the running test bundle.
    package static let binary: URL = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("blocktop")
    }()

    /// Where a run's standard output goes.
    package enum Output: Sendable {
        /// A pipe the test reads: blocktop sees no terminal and runs headless.
        case pipe
        /// Closed before blocktop starts.
        case closed
        /// /dev/full, where every write fails with ENOSPC.
        case full
    }

    /// What a finished run left: its exit status and what it wrote.
    package struct Outcome: Sendable {
        package let status: Int32
        package let stdout: String
        package let stderr: String
    }

    /// Runs blocktop with `arguments` to its end; stdout is `stdout`, stderr a pipe. A `launcher`
    /// (such as `["taskset", "-c", "0"]`, found on PATH) runs blocktop when given, with stdout a pipe.
    package static func run(_ arguments: [String], stdout: Output = .pipe, launcher: [String] = []) throws -> Outcome {
        let process = Process()
        let out = Pipe(), err = Pipe()
        switch stdout {
        case .pipe:
            if let command = launcher.first {
                guard let path = Shell.which(command) else { throw SupportFailure("\(command) is not installed") }
                process.executableURL = URL(fileURLWithPath: path)
                process.arguments = launcher.dropFirst() + [binary.path] + arguments
            } else {
                process.executableURL = binary
                process.arguments = arguments
            }
            process.standardOutput = out
        case .closed:
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$0\" \"$@\" >&-", binary.path] + arguments
        case .full:
            process.executableURL = binary
            process.arguments = arguments
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        }
        process.standardError = err
        try process.run()
        if stdout != .pipe { try out.fileHandleForWriting.close() }
        // Read both pipes to their ends at once, so that neither fills while the other is read.
        let errors = Reader(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                       stderr: String(decoding: errors.wait(), as: UTF8.self))
    }
}

/// blocktop started in the background with stderr a terminal, so that it keeps its progress
/// line there ("| done/total tasks"), and stdout read to its end.
package struct BackgroundBlocktop {
    package let process = Process()
    package let stdout: Reader
    package let terminal: PseudoTerminal

    package init(_ arguments: [String]) throws {
        process.executableURL = Blocktop.binary
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        terminal = try PseudoTerminal()
        process.standardError = terminal.follower
        try process.run()
        try terminal.releaseFollower()
        stdout = Reader(out.fileHandleForReading)
    }
}

/// Reads a file handle to its end on a thread of its own.
package final class Reader: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let data = Mutex(Data())

    package init(_ handle: FileHandle) {
        Thread { [self] in
            let all = handle.readDataToEndOfFile()
            data.withLock { $0 = all }
            done.signal()
        }.start()
    }

    /// Everything read, once the writer has closed its end.
    package func wait() -> Data {
        done.wait()
        done.signal()
        return data.withLock { $0 }
    }
}
