/// Where a cluster's scheduler is, as the user names it: its comm address (`tcp://HOST:8786`,
/// `tls://…`, or `HOST:PORT`) or its HTTP address (`http://HOST:8787`).
public enum ClusterAddress: Equatable, Sendable {
    case scheduler(String)
    case http(host: String, port: Int)

    /// The dashboard's port when nobody says otherwise.
    public static let defaultHTTPPort = 8787

    public init?(_ text: String) {
        if text.hasPrefix("http://") {
            guard let (host, port) = Self.hostAndPort(text.dropFirst("http://".count)) else { return nil }
            self = .http(host: host, port: port ?? 80)
        } else if text.hasPrefix("tcp://") || text.hasPrefix("tls://") {
            guard Self.hostAndPort(text.drop { $0 != "/" }.dropFirst(2)) != nil else { return nil }
            self = .scheduler(text)
        } else {
            guard let (_, port) = Self.hostAndPort(Substring(text)), port != nil else { return nil }
            self = .scheduler("tcp://" + text)
        }
    }

    /// The host part, whichever address this is.
    public var host: String {
        switch self {
        case .http(let host, _): host
        case .scheduler(let address): Self.hostAndPort(address.drop { $0 != "/" }.dropFirst(2))?.host ?? address
        }
    }

    /// `HOST[:PORT][/…]`; nil when there is no host or the port is no number.
    private static func hostAndPort(_ text: Substring) -> (host: String, port: Int?)? {
        let authority = text.prefix { $0 != "/" }
        var host = authority, port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = authority[..<colon]
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
        }
        host = host.trimmingCharacters(in: "[]")
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace }) else { return nil }
        return (String(host), port)
    }
}
