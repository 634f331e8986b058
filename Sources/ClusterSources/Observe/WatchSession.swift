import BlocktopSupport
import DashboardModel
import Foundation
import Runs

/// `blocktop watch`'s session: a local dask program run by the bridge's watch mode, its tasks
/// from the bridge and its CPU from this machine, until it exits.
package final class WatchSession: ObservedCluster {
    package let source: ClusterSource
    package let feed: any ClusterFeed
    package let started = monotonicNanoseconds()
    /// The program's command line, and its process id from the bridge's `hello`.
    package let program: [String]
    package let pid: Int32
    /// The program's CPU over the polls so far.
    private var cpu = CPUAverage()

    /// Seconds `end()` waits for the bridge's last words once the bridge has exited.
    static let endSeconds = 2.0

    /// Watches `program`, whose main process is `pid`, through `feed`; `machine` reads this
    /// machine for it (nil takes the feed's own readings of the program's workers).
    package init(feed: any ClusterFeed, program: [String], pid: Int32, machine: WatchedMachine?) {
        self.feed = feed
        self.program = program
        self.pid = pid
        source = ClusterSource(feed: feed, title: "watch \(program.joined(separator: " "))", localMachine: machine)
    }

    /// Runs `program` under the bridge's watch mode on `python` (else the program when it is a
    /// Python, else python3; found from `executable`), its stdout and stderr going to `stdout` and
    /// `stderr`, and waits for the bridge to say it started. Throws bad input when there is no
    /// Python with dask or the program cannot be started, a failure when the bridge did not start it.
    package static func open(_ program: [String], python: String?, executable: String, stdout: FileHandle,
                             stderr: FileHandle) throws(RunProblem) -> WatchSession {
        guard let name = program.first else { throw RunProblem("no program to watch", badInput: true) }
        let location: BridgeLocation
        do {
            location = try BridgeLocation.find(python: python ?? WatchedProgram.python(of: program), executable: executable)
        } catch {
            throw RunProblem(error.description, badInput: true)
        }
        guard WatchedProgram.hasDask(location.python) else {
            throw RunProblem("\(location.python) has no dask: python3 -m pip install 'dask[array]' (or name a Python with --python)",
                             badInput: true)
        }
        let bridge: BridgeProcess
        do throws(BridgeError) {
            bridge = try BridgeProcess.watching(program, location: location, stdout: stdout, stderr: stderr)
        } catch {
            throw RunProblem("cannot watch \(name): \(error)", badInput: true)
        }
        let greeting: BridgeMessage
        do throws(BridgeError) {
            greeting = try bridge.awaitGreeting(timeout: 30)
        } catch {
            // The program may be running: end it with its bridge.
            bridge.stop()
            throw RunProblem("cannot watch \(name): \(error)", badInput: true)
        }
        guard case .hello(let hello) = greeting, let pid = hello.pid else {
            bridge.stop()
            throw RunProblem("cannot watch \(name): the bridge did not start it", badInput: false)
        }
        return WatchSession(feed: bridge, program: program, pid: pid, machine: WatchedMachine(pid: pid))
    }

    package func poll() -> SourceUpdate {
        let update = source.poll()
        if let machine = update.machine { cpu.add(machine.processCPU) }
        return update
    }

    /// Ends the program if it still runs (SIGTERM, then SIGKILL after the bridge's grace period)
    /// and takes in what the bridge said to its end, waiting for that up to `endSeconds`.
    package func end() {
        source.stop()
        feed.awaitEnd(seconds: Self.endSeconds)
        _ = source.poll()
    }

    /// The program's exit status, once the bridge said it (128 + N when signal N ended it).
    package var programExitStatus: Int? { source.state.exitStatus }

    /// The exit status `blocktop watch` ends with: the program's; a failure when the bridge
    /// ended without saying it.
    package var exitStatus: ExitStatus {
        programExitStatus.map { ExitStatus(rawValue: Int32(clamping: $0)) } ?? .failure
    }

    /// What was seen: the program's tasks, its exit status, and its CPU averaged over the polls.
    package func summary() -> ClusterSummary {
        var summary = ClusterSummary(source.state, events: .callbacks, scheduler: nil, notice: nil, seconds: seconds)
        summary.program = program
        summary.pid = Int(pid)
        summary.exitStatus = programExitStatus
        summary.cpuPercent = cpu.percent
        return summary
    }
}
