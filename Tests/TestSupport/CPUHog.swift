import Foundation
import Glibc

/// Another process busy on one CPU: a shell loop pinned with `taskset`, for tests of what
/// blocktop says about competition. Stop it with `stop()` (in a `defer`): it is killed by its id.
package final class CPUHog {
    private let process = Process()
    /// The loop's process id.
    package var pid: Int32 { process.processIdentifier }

    /// Whether `taskset` is installed and this process may use every CPU in `cpus`.
    package static func canPin(to cpus: [Int]) -> Bool {
        guard Shell.which("taskset") != nil,
              let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return false }
        var allowed = Set<Int>()
        for item in line.dropFirst("Cpus_allowed_list:".count).split(separator: ",") {
            let bounds = item.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
            if let first = bounds.first, let last = bounds.last, first <= last { allowed.formUnion(first...last) }
        }
        return cpus.allSatisfy(allowed.contains)
    }

    /// Starts `taskset -c <cpu> bash -c 'while [ $SECONDS -lt 300 ]; do :; done'` (taskset execs the
    /// shell: one process, one id). The loop ends by itself after 5 minutes, so a test process that
    /// dies before its `defer` cannot leave it burning a CPU.
    package init(cpu: Int) throws {
        process.executableURL = URL(fileURLWithPath: try Shell.which("taskset") ?? { throw SupportFailure("taskset is not installed") }())
        process.arguments = ["-c", "\(cpu)", "bash", "-c", "while [ $SECONDS -lt 300 ]; do :; done"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Kills the loop (SIGKILL) and waits until it is gone.
    package func stop() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// The loop's CPU time so far, utime + stime of /proc/PID/stat, in seconds.
    package func cpuSeconds() throws -> Double {
        let path = "/proc/\(pid)/stat"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // After "pid (comm) ": state is field 3, utime and stime fields 14 and 15.
        guard let close = text.lastIndex(of: ")") else { throw SupportFailure("no (comm) in \(path): \(text)") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw SupportFailure("unexpected \(path): \(text)")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
