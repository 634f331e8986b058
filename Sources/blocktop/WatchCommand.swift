import ArgumentParser
import BlocktopSupport
import ClusterSources
import Dashboard
import DashboardModel
import Foundation
import Runs
import RunVocabulary

/// `blocktop watch -- PROGRAM ARGS...`: run a local dask program and watch its computations.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a local dask program and watch its dask computations block by block.",
        discussion: """
            Runs PROGRAM with dask's local-scheduler callbacks installed (the program is not edited) \
            through the Python bridge's watch mode, and shows its tasks, the per-core bars and the \
            CPU% of its process tree. The bridge runs on --python, else on PROGRAM when it is a \
            Python, else on python3; it needs dask. In the dashboard the program's stdout and stderr \
            are held in unlinked temporary files and printed once the terminal is restored; with \
            --headless (or without a terminal on stdout) they pass through, and the summary follows. \
            The program's stdin is /dev/null. q (or SIGINT/SIGTERM) ends the program: SIGTERM, then \
            SIGKILL after 3 s.
            Exit status: the program's (128 + N when signal N ended it); 64 bad input.
            """)

    @Option(help: "The Python that runs the bridge (default: PROGRAM when it is a Python, else python3 on PATH).")
    var python: String?

    @Flag(help: "No dashboard: pass the program's output through, then print what was seen.")
    var headless = false

    @Flag(help: "Print what was seen as one JSON object.")
    var json = false

    @OptionGroup var look: DashboardLookOptions

    @Argument(parsing: .postTerminator, help: "-- PROGRAM ARGS...: the program to run and watch.")
    var program: [String] = []

    func validate() throws {
        guard let name = program.first else { throw ValidationError("no program to watch: blocktop watch -- PROGRAM ARGS...") }
        guard Self.executablePath(name) != nil else { throw ValidationError("no program '\(name)' to run (not found, or not executable)") }
    }

    func run() throws {
        let wantsDashboard = !headless && !json && isatty(STDOUT_FILENO) == 1
        let location: BridgeLocation
        do {
            location = try BridgeLocation.find(python: python ?? Self.pythonProgram(program), executable: CommandLine.arguments[0])
        } catch {
            throw CommandExit.badInput(error.description)
        }
        guard Self.hasDask(location.python) else {
            throw CommandExit.badInput("\(location.python) has no dask: python3 -m pip install 'dask[array]' (or name a Python with --python)")
        }
        let output = wantsDashboard ? try HeldOutput() : nil
        let bridge: BridgeProcess
        let greeting: BridgeMessage
        do {
            bridge = try BridgeProcess.watching(program, location: location, stdout: output?.stdout ?? .standardOutput,
                                                stderr: output?.stderr ?? .standardError)
            greeting = try bridge.awaitGreeting(timeout: 30)
        } catch {
            throw CommandExit.badInput("cannot watch \(program[0]): \(error)")
        }
        guard case .hello(let hello) = greeting, let pid = hello.pid else {
            bridge.stop()
            throw CommandExit(.failure, "cannot watch \(program[0]): the bridge did not start it")
        }
        let source = ClusterSource(feed: bridge, title: "watch \(program.joined(separator: " "))", localMachine: WatchedMachine(pid: pid))
        guard wantsDashboard else { throw CommandExit(watchHeadless(source, pid: pid)) }
        let shown = Result { try openDashboard(AttachedCluster(source), settings: RunSettings(blockSize: nil, workers: 1), look: look) }
        // The terminal is back: end the program if q left it running, then print what it wrote.
        finish(source)
        output?.replay()
        let outcome = try shown.get().outcome
        if case .signal(let number) = outcome, source.state.exitStatus == nil { throw CommandExit(.signal(number)) }
        throw CommandExit(Self.status(of: source.state))
    }

    /// Polls until the program ends (SIGINT or SIGTERM end it first), then prints what was seen.
    private func watchHeadless(_ source: ClusterSource, pid: Int32) -> ExitStatus {
        catchInterruptions()
        let started = monotonicNanoseconds()
        var cpuReadings: [Double] = []
        while source.state.ended == nil && interruption.load(ordering: .relaxed) == 0 {
            if let cpu = source.poll().machine?.processCPU { cpuReadings.append(cpu) }
            usleep(100_000)
        }
        finish(source)
        var summary = ClusterSummary(source.state, events: .callbacks, scheduler: nil, notice: nil,
                                     seconds: Double(monotonicNanoseconds() - started) / 1e9)
        summary.program = program
        summary.pid = Int(pid)
        summary.exitStatus = source.state.exitStatus
        // The program tree's CPU averaged over the readings (the first, a base, reads 0).
        summary.cpuPercent = cpuReadings.dropFirst().reduce(0, +) / Double(max(1, cpuReadings.count - 1))
        guard emit(json ? summary.json : Attach.text(summary)) else { return .reportUnwritten }
        return Self.status(of: source.state)
    }

    /// Ends the program if it is still running, and reads what the bridge said to its end.
    private func finish(_ source: ClusterSource) {
        source.stop()
        // The reading thread sees the bridge's end after the bridge exits: wait for it, briefly.
        for _ in 0..<100 where source.state.ended == nil {
            _ = source.poll()
            usleep(20_000)
        }
    }

    /// The program's exit status; a failure when the bridge ended without saying it.
    private static func status(of state: ClusterState) -> ExitStatus {
        state.exitStatus.map { ExitStatus(rawValue: Int32($0)) } ?? .failure
    }

    /// The path `name` runs: itself when it holds a `/`, else the first match on PATH.
    static func executablePath(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile)
    }

    /// The program's interpreter when it is a Python (`python`, `python3`, `python3.12` …).
    private static func pythonProgram(_ program: [String]) -> String? {
        guard let name = program.first, URL(fileURLWithPath: name).lastPathComponent.hasPrefix("python") else { return nil }
        return executablePath(name)
    }

    /// Whether `python` can import dask.
    private static func hasDask(_ python: String) -> Bool {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import dask"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }
}
