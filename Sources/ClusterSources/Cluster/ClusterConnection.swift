/// How blocktop watches a cluster: through the bridge when it can run, else through the
/// scheduler's HTTP server alone, saying why.
public struct ClusterConnection {
    public let feed: any ClusterFeed
    /// The scheduler's comm address, when known.
    public let scheduler: String?
    /// `.plugin` (per-task events), `.none` (the bridge's counts only) or `.http`.
    public let events: TaskEvents
    /// How the cluster is watched, when not through the bridge's per-task events, and why.
    public let notice: String?

    /// Connects to the cluster at `address`: starts the bridge (with `python`, found from
    /// `executable`, given the `tls` files) unless `httpOnly`, and falls back to the scheduler's HTTP server when the
    /// bridge cannot run. Throws when neither works.
    public static func open(_ address: ClusterAddress, httpOnly: Bool, python: String?, tls: TLSFiles, executable: String,
                            greetingTimeout: Double = 30) throws(ClusterConnectionError) -> ClusterConnection {
        /// Why the bridge is not used.
        enum NoBridge {
            case httpOnly
            case failed(String)
        }
        let noBridge: NoBridge
        if httpOnly {
            noBridge = .httpOnly
        } else {
            let scheduler: String
            switch address {
            case .scheduler(let comm): scheduler = comm
            case .http(let host, let port):
                do {
                    scheduler = try HTTPClusterPoller.schedulerAddress(host: host, port: port)
                } catch {
                    throw .unreachable("the scheduler's HTTP server at \(host):\(port): \(error)")
                }
            }
            do throws(BridgeError) {
                let location = try BridgeLocation.find(python: python, executable: executable)
                let bridge = try BridgeProcess(location: location, arguments: ["attach", "--scheduler", scheduler] + tls.bridgeArguments)
                do {
                    let greeting = try bridge.awaitGreeting(timeout: greetingTimeout)
                    var events = TaskEvents.plugin, notice: String?
                    if case .hello(let hello) = greeting, let countsOnly = hello.countsOnlyNotice {
                        events = .none
                        notice = countsOnly
                    }
                    return ClusterConnection(feed: bridge, scheduler: scheduler, events: events, notice: notice)
                } catch {
                    bridge.stop()
                    throw error
                }
            } catch .noPython(let path?) {
                throw .badInput(BridgeError.noPython(path).description)
            } catch {
                noBridge = .failed(error.description)
            }
        }
        let (host, port): (String, Int) = switch address {
        case .http(let host, let port): (host, port)
        case .scheduler: (address.host, ClusterAddress.defaultHTTPPort)
        }
        let scheduler: String
        do {
            scheduler = try HTTPClusterPoller.schedulerAddress(host: host, port: port)
        } catch {
            let bridge = switch noBridge {
            case .httpOnly: ""
            case .failed(let why): "no bridge (\(why)), and "
            }
            throw .unreachable("\(bridge)no scheduler HTTP server at \(host):\(port): \(error)")
        }
        let notice = switch noBridge {
        case .httpOnly: "HTTP only (--http-only): progress by task prefix, no per-task events"
        case .failed(let why): "no bridge: \(why); watching over HTTP only (progress by task prefix, no per-task events)"
        }
        return ClusterConnection(feed: HTTPClusterPoller(host: host, port: port), scheduler: scheduler, events: .http, notice: notice)
    }
}

/// Why blocktop cannot watch a cluster.
public enum ClusterConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What the user gave is wrong (a `--python` that is not there).
    case badInput(String)
    /// Neither the bridge nor the HTTP server could reach the scheduler.
    case unreachable(String)

    public var description: String {
        switch self {
        case .badInput(let why), .unreachable(let why): why
        }
    }
}
