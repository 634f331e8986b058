/// Where `run --cluster` runs: a cluster that is already there, or a local one blocktop starts
/// (`local:N`, N single-thread worker processes on loopback) and stops at the end.
public enum ClusterTarget: Equatable, Sendable, CustomStringConvertible {
    case scheduler(ClusterAddress)
    case local(workers: Int)

    /// Workers `local:N` may ask for at most.
    public static let maximumLocalWorkers = 256

    /// `local:N`, or a scheduler address as `attach` takes it; nil for anything else.
    public init?(_ text: String) {
        if text.hasPrefix("local:") {
            guard let workers = Int(text.dropFirst("local:".count)), (1...Self.maximumLocalWorkers).contains(workers) else { return nil }
            self = .local(workers: workers)
        } else {
            guard let address = ClusterAddress(text) else { return nil }
            self = .scheduler(address)
        }
    }

    /// `local:N`, or the scheduler's address as given.
    public var description: String {
        switch self {
        case .local(let workers): "local:\(workers)"
        case .scheduler(.scheduler(let address)): address
        case .scheduler(.http(let host, let port)): "http://\(host):\(port)"
        }
    }
}

/// The TLS files a secured cluster needs, passed on to the bridge.
public struct TLSFiles: Equatable, Sendable {
    public var caFile, certificate, key: String?

    public init(caFile: String?, certificate: String?, key: String?) {
        self.caFile = caFile
        self.certificate = certificate
        self.key = key
    }

    /// The bridge's options for them (none when no file is given).
    var bridgeArguments: [String] {
        [("--tls-ca-file", caFile), ("--tls-cert", certificate), ("--tls-key", key)].flatMap { option, file in
            file.map { [option, $0] } ?? []
        }
    }
}
