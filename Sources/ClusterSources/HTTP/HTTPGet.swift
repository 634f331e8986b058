import BlocktopSupport
import Glibc

/// A plain HTTP/1.1 GET over a TCP socket, with a deadline and a bounded body: enough for a
/// Dask scheduler's and workers' pages (`/metrics`, `/info/main/workers.html`).
public enum HTTPGet {
    /// A response: its status and body (chunked transfer decoded).
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Bodies longer than this are refused.
    public static let maximumBodyBytes = 16 << 20

    /// GETs `path` from `host`:`port` within `timeout` seconds.
    public static func fetch(host: String, port: Int, path: String, timeout: Double = 3) throws(HTTPError) -> Response {
        let deadline = Double(monotonicNanoseconds()) / 1e9 + timeout
        let socket = try connect(host: host, port: port, deadline: deadline)
        defer { close(socket) }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: blocktop\r\nAccept: */*\r\nConnection: close\r\n\r\n"
        var bytes = Array(request.utf8)
        while !bytes.isEmpty {
            try wait(socket, for: Int16(POLLOUT), deadline: deadline, host: host, port: port)
            let sent = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw .io(host: host, port: port, String(cString: strerror(errno))) }
            bytes.removeFirst(sent)
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            try wait(socket, for: Int16(POLLIN), deadline: deadline, host: host, port: port)
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .io(host: host, port: port, String(cString: strerror(errno))) }
            if count == 0 { break }
            received += buffer[..<count]
            guard received.count <= maximumBodyBytes + 65536 else { throw .tooLarge(host: host, port: port, path: path) }
        }
        return try parse(received, host: host, port: port)
    }

    /// A response's bytes as its status and body.
    static func parse(_ bytes: [UInt8], host: String, port: Int) throws(HTTPError) -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.firstRange(of: separator) else { throw .malformed(host: host, port: port) }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = head.first, statusLine.hasPrefix("HTTP/1."),
              let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw .malformed(host: host, port: port)
        }
        let headers = head.dropFirst().map { $0.lowercased() }
        var body = Array(bytes[end.upperBound...])
        if headers.contains(where: { $0.hasPrefix("transfer-encoding:") && $0.contains("chunked") }) {
            body = try dechunk(body, host: host, port: port)
        }
        return Response(status: status, body: body)
    }

    private static func dechunk(_ bytes: [UInt8], host: String, port: Int) throws(HTTPError) -> [UInt8] {
        var body: [UInt8] = []
        var rest = bytes[...]
        let lineEnd: [UInt8] = [13, 10]
        while let sizeEnd = rest.firstRange(of: lineEnd) {
            let sizeText = String(decoding: rest[..<sizeEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: " "), radix: 16), size >= 0, size <= maximumBodyBytes else {
                throw .malformed(host: host, port: port)
            }
            if size == 0 { return body }
            let start = sizeEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size else { throw .malformed(host: host, port: port) }
            body += rest[start..<rest.index(start, offsetBy: size)]
            rest = rest[rest.index(start, offsetBy: size)...].dropFirst(2)
        }
        throw .malformed(host: host, port: port)
    }

    private static func connect(host: String, port: Int, deadline: Double) throws(HTTPError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw .unknownHost(host) }
        defer { freeaddrinfo(list) }
        var failure = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let socket = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                                      address.pointee.ai_protocol)
            guard socket >= 0 else { continue }
            if Glibc.connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return socket }
            guard errno == EINPROGRESS else {
                failure = String(cString: strerror(errno))
                close(socket)
                continue
            }
            do {
                try wait(socket, for: Int16(POLLOUT), deadline: deadline, host: host, port: port)
            } catch {
                close(socket)
                throw error
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return socket }
            failure = String(cString: strerror(error))
            close(socket)
        }
        throw .io(host: host, port: port, failure)
    }

    private static func wait(_ socket: Int32, for events: Int16, deadline: Double, host: String, port: Int) throws(HTTPError) {
        while true {
            let left = deadline - Double(monotonicNanoseconds()) / 1e9
            guard left > 0 else { throw .timedOut(host: host, port: port) }
            var entry = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 60_000)) + 1)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .io(host: host, port: port, String(cString: strerror(errno))) }
        }
    }
}

/// Why a GET failed.
public enum HTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownHost(String)
    case io(host: String, port: Int, String)
    case timedOut(host: String, port: Int)
    case tooLarge(host: String, port: Int, path: String)
    case malformed(host: String, port: Int)

    public var description: String {
        switch self {
        case .unknownHost(let host): "unknown host '\(UntrustedText.clean(host))'"
        case .io(let host, let port, let why): "\(host):\(port): \(why)"
        case .timedOut(let host, let port): "\(host):\(port) did not answer in time"
        case .tooLarge(let host, let port, let path): "\(host):\(port)\(path) is larger than \(HTTPGet.maximumBodyBytes >> 20) MiB"
        case .malformed(let host, let port): "\(host):\(port) did not answer in HTTP/1.1"
        }
    }
}
