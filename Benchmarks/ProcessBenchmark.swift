import Foundation

/// One run of a child process: its wall time and peak resident memory.
struct ChildRun {
    let seconds: Double
    let peakRSSBytes: Int
    let status: Int32
    let output: String
}

/// The `blocktop` binary built beside this benchmark.
var blocktopBinary: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("blocktop").path
}

/// Runs `arguments` (the first is the program), its stdout in `output`, stderr discarded, and
/// reads its peak RSS from `wait4`'s resource usage (only this child's).
func runChild(_ arguments: [String]) -> ChildRun {
    let outputPath = NSTemporaryDirectory() + "blocktop-bench-\(getpid()).out"
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else {
        posix_spawn_file_actions_destroy(&actions)
        return ChildRun(seconds: 0, peakRSSBytes: 0, status: -1, output: "cannot start \(arguments[0])")
    }
    posix_spawn_file_actions_destroy(&actions)
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    unlink(outputPath)
    return ChildRun(seconds: seconds, peakRSSBytes: usage.ru_maxrss * 1024, status: status, output: output)
}

/// The median of `values` (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// "goal ≤ 1.5 s: met" or "… missed", as each benchmark prints its goals.
func goal(_ text: String, _ met: Bool) -> String { "goal \(text): \(met ? "met" : "MISSED")" }

/// How loaded the machine is: the 1-minute load average and the CPUs, from /proc/loadavg.
func loadNote() -> String {
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first ?? "?"
    return "load average \(load) on \(ProcessInfo.processInfo.activeProcessorCount) CPUs"
}

/// A number from a `--json` report's top level, e.g. `"wall_seconds": 0.83`.
func jsonNumber(_ name: String, in text: String) -> Double? {
    guard let data = text.data(using: .utf8),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
    return (object[name] as? NSNumber)?.doubleValue
}
