import BlocktopSupport
import Foundation

/// A run of blocktop's program on a Dask cluster: the bridge in launch mode, given the program's
/// syntax tree in a private folder, which it translates, submits and reports like an attached
/// cluster; the result comes back as a `.npy` file in that folder.
public final class ClusterLaunch {
    public let bridge: BridgeProcess
    /// The scheduler the run went to (a local cluster's, once started).
    public let scheduler: String
    /// Where the bridge writes the result; read it once the run is done.
    public let resultPath: String
    /// Why there are no per-task events, when there are none.
    public let notice: String?
    private let folder: URL

    /// Starts the bridge on `syntaxJSON` (Program.syntaxJSON) at `target`, and waits until it
    /// submitted the graph. Throws `.badInput` when the bridge refuses the program or `python`
    /// is not there, `.unreachable` when the cluster cannot be reached or started.
    public init(target: ClusterTarget, syntaxJSON: String, python: String?, executable: String, tls: TLSFiles,
                timeout: Double = 60) throws(ClusterConnectionError) {
        let location: BridgeLocation
        do {
            location = try BridgeLocation.find(python: python, executable: executable)
        } catch {
            throw .badInput(error.description)
        }
        let scheduler: String?
        switch target {
        case .local: scheduler = nil
        case .scheduler(.scheduler(let comm)): scheduler = comm
        case .scheduler(.http(let host, let port)):
            do {
                scheduler = try HTTPClusterPoller.schedulerAddress(host: host, port: port)
            } catch {
                throw .unreachable("the scheduler's HTTP server at \(host):\(port): \(error)")
            }
        }
        do {
            folder = URL(fileURLWithPath: try PrivateFolder.make(named: "blocktop-launch"), isDirectory: true)
        } catch {
            throw .unreachable("cannot make a temporary folder for the run: \(error)")
        }
        let program = folder.appendingPathComponent("program.json")
        resultPath = folder.appendingPathComponent("result.npy").path
        let started: BridgeProcess
        do {
            try Data(syntaxJSON.utf8).write(to: program)
            let cluster = scheduler.map { ["--scheduler", $0] } ?? ["--local", String(target.localWorkers)]
            started = try BridgeProcess(location: location, arguments: ["launch"] + cluster + tls.bridgeArguments
                                        + ["--program", program.path, "--result", resultPath])
        } catch let error as BridgeError {
            try? FileManager.default.removeItem(at: folder)
            throw .unreachable(error.description)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw .unreachable("cannot write the program for the bridge: \(error.localizedDescription)")
        }
        bridge = started
        do {
            _ = try started.awaitGreeting(timeout: timeout) { if case .launch(.submitted) = $0 { true } else { false } }
        } catch {
            // The bridge refuses a program it cannot translate with status 2.
            let refused = started.awaitExit(seconds: 2) == 2
            started.stop()
            try? FileManager.default.removeItem(at: folder)
            throw refused ? .badInput(error.description) : .unreachable(error.description)
        }
        // The bridge says hello before it submits.
        let hello = started.firstHello
        self.scheduler = hello?.scheduler ?? scheduler ?? "?"
        notice = hello?.countsOnlyNotice
    }

    /// Stops the bridge (a run still going is cancelled by it as its stdin closes) and removes the folder.
    public func close() {
        bridge.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { close() }
}

extension ClusterTarget {
    fileprivate var localWorkers: Int {
        if case .local(let workers) = self { workers } else { 0 }
    }
}
