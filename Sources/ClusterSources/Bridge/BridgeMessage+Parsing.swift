import Foundation

/// Why a line from the bridge was skipped.
public enum BridgeLineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Longer than `BridgeMessage.maximumLineBytes`.
    case tooLong(bytes: Int)
    /// Not a JSON object, or a field of the wrong type.
    case malformed
    /// A protocol version blocktop does not speak.
    case unsupportedVersion(Int)
    /// A field the line's type needs is missing.
    case missingField(type: String, field: String)

    public var description: String {
        switch self {
        case .tooLong(let bytes): "a line of \(bytes) bytes, over the limit of \(BridgeMessage.maximumLineBytes)"
        case .malformed: "not a JSON object of the protocol"
        case .unsupportedVersion(let version): "protocol version \(version), but blocktop speaks version \(BridgeMessage.protocolVersion)"
        case .missingField(let type, let field): "a '\(UntrustedText.clean(type))' line without '\(field)'"
        }
    }
}

extension BridgeMessage {
    /// The protocol version blocktop speaks.
    public static let protocolVersion = 1
    /// The longest line blocktop reads; longer ones are skipped.
    public static let maximumLineBytes = 1 << 20

    /// The message `line` (one JSON object, without its newline) holds; nil for a type blocktop
    /// does not know, which it ignores. Throws for a line it cannot use.
    public static func parse(_ line: some Collection<UInt8>) throws(BridgeLineError) -> BridgeMessage? {
        guard line.count <= maximumLineBytes else { throw .tooLong(bytes: line.count) }
        let raw: RawLine
        do {
            raw = try JSONDecoder().decode(RawLine.self, from: Data(line))
        } catch {
            throw .malformed
        }
        guard raw.v == protocolVersion else { throw .unsupportedVersion(raw.v) }
        return try raw.decoded()
    }
}

/// A line as JSON has it: every field any type uses, each optional; `decoded()` checks that
/// the line's type has what it needs and cleans its strings.
private struct RawLine: Decodable {
    struct RawWorker: Decodable {
        var address: String
        var name: String?
        var host: String?
        var nthreads: Int?
        var memory_limit: Int?
        var memory: Int?
        var cpu: Double?
        var executing: Int?
        var ready: Int?
        var in_memory: Int?
        var cores: [Double]?
    }

    struct RawTask: Decodable {
        var key: String
        var prefix: String?
        var group: String?
        var index: [Int]?
    }

    struct RawTransition: Decodable {
        var key: String
        var state: String
        var worker: String?
        var thread: Int?
        var start: Double?
        var stop: Double?
        var time: Double?
    }

    var v: Int
    var type: String
    var time: Double?
    var bridge: String?
    var python: String?
    var distributed: String?
    var mode: String?
    var scheduler: String?
    var dashboard: String?
    var events: EventsField?
    var reason: String?
    var workers: ListOrCount<RawWorker>?
    var part: Int?
    var parts: Int?
    var address: String?
    var tasks: ListOrCount<RawTask>?
    var key: String?
    var exception: String?
    var prefixes: [String: [String: Int]]?
    var message: String?
    var pid: Int?
    var exit_status: Int?
    var path: String?
    var shape: [Int]?
    var seconds: Double?
    var remaining: Int?

    /// A field that is a list in one line type and a count in another: `workers` (a `workers`
    /// line's list, a `cluster` line's count) and `tasks` (a `tasks` line's list, `submitted`'s count).
    enum ListOrCount<Item: Decodable>: Decodable {
        case list([Item])
        case count(Int)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let count = try? container.decode(Int.self) {
                self = .count(count)
            } else {
                self = .list(try container.decode([Item].self))
            }
        }
    }

    /// `events` is a string in `hello` and a list in `transitions`.
    enum EventsField: Decodable {
        case mode(String)
        case transitions([RawTransition])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let mode = try? container.decode(String.self) {
                self = .mode(mode)
            } else {
                self = .transitions(try container.decode([RawTransition].self))
            }
        }
    }

    func decoded() throws(BridgeLineError) -> BridgeMessage? {
        func need<T>(_ value: T?, _ field: String) throws(BridgeLineError) -> T {
            guard let value else { throw .missingField(type: type, field: field) }
            return value
        }
        func clean(_ text: String?, limit: Int = UntrustedText.shortLimit) -> String? {
            text.map { UntrustedText.clean($0, limit: limit) }
        }
        switch type {
        case "hello":
            // Only the bridge's own values count; anything else (`http` included) means no per-task events.
            var events = TaskEvents.none
            if case .mode(let name)? = self.events, let known = TaskEvents(rawValue: name), known != .http { events = known }
            // A mode blocktop does not know is watched as attach mode is.
            let mode = self.mode.flatMap(BridgeMessage.Hello.Mode.init(rawValue:)) ?? .attach
            return .hello(.init(bridge: clean(try need(bridge, "bridge"))!, python: clean(python), distributed: clean(distributed),
                                mode: mode, scheduler: clean(scheduler), dashboard: clean(dashboard),
                                events: events, reason: clean(reason, limit: UntrustedText.longLimit), time: time,
                                pid: pid.flatMap { $0 > 0 && $0 <= Int(Int32.max) ? Int32($0) : nil }))
        case "clock":
            return .clock(time: try need(time, "time"))
        case "cluster":
            return .cluster(scheduler: clean(try need(scheduler, "scheduler"))!, dashboard: clean(dashboard))
        case "workers":
            guard case .list(let list)? = workers else { throw .missingField(type: type, field: "workers") }
            return .workers(time: time ?? 0, list.map(Self.worker), completesSet: part == nil || part == parts)
        case "worker-added", "worker-removed":
            let address = clean(try need(self.address, "address"))!
            return type == "worker-added" ? .workerAdded(address: address, time: time) : .workerRemoved(address: address, time: time)
        case "tasks":
            guard case .list(let list)? = tasks else { throw .missingField(type: type, field: "tasks") }
            return .tasks(list.map(Self.task))
        case "transitions":
            guard case .transitions(let events)? = events else { throw .missingField(type: type, field: "events") }
            return .transitions(events.compactMap(Self.transition))
        case "erred":
            return .erred(key: clean(try need(key, "key"), limit: UntrustedText.keyLimit)!,
                          exception: clean(exception, limit: UntrustedText.longLimit) ?? "unknown exception", time: time)
        case "progress":
            var cleaned: [String: [String: Int]] = [:]
            for (prefix, counts) in try need(prefixes, "prefixes") {
                // States whose names are the same once cut add up, within the count limit.
                cleaned[UntrustedText.clean(prefix)] = Dictionary(
                    counts.map { (UntrustedText.clean($0.key), UntrustedNumber.clamped($0.value, to: UntrustedNumber.countLimit)) },
                    uniquingKeysWith: { min($0 + $1, UntrustedNumber.countLimit) })
            }
            return .progress(time: time, prefixes: cleaned)
        case "error":
            return .error(message: clean(message, limit: UntrustedText.longLimit) ?? "the bridge failed")
        case "bye":
            return .bye(reason: clean(reason) ?? "", exitStatus: exit_status.map { min(max($0, 0), 255) })
        case "submitted":
            guard case .count(let count)? = tasks else { throw .missingField(type: type, field: "tasks") }
            return .launch(.submitted(key: clean(try need(key, "key"), limit: UntrustedText.keyLimit)!, tasks: max(0, count)))
        case "result":
            let shape = try need(shape, "shape")
            guard shape.count <= 32, shape.allSatisfy({ $0 >= 0 }) else { throw .malformed }
            return .launch(.result(path: try need(path, "path"), shape: shape, seconds: seconds.map { max(0, $0) }))
        case "failed":
            return .launch(.failed(key: clean(key, limit: UntrustedText.keyLimit),
                                   exception: clean(exception, limit: UntrustedText.longLimit) ?? "unknown exception"))
        case "cancelled":
            return .launch(.cancelled(remaining: max(0, remaining ?? 0)))
        default:
            return nil
        }
    }

    private static func worker(_ raw: RawWorker) -> BridgeMessage.Worker {
        let address = UntrustedText.clean(raw.address)
        return .init(address: address, name: UntrustedText.clean(raw.name ?? address), host: UntrustedText.clean(raw.host ?? host(of: address)),
                     threads: UntrustedNumber.clamped(raw.nthreads ?? 1, to: UntrustedNumber.threadLimit),
                     memoryLimit: UntrustedNumber.clamped(raw.memory_limit ?? 0, to: UntrustedNumber.byteLimit),
                     memory: UntrustedNumber.clamped(raw.memory ?? 0, to: UntrustedNumber.byteLimit),
                     cpu: max(0, raw.cpu ?? 0), executing: UntrustedNumber.clamped(raw.executing ?? 0, to: UntrustedNumber.countLimit),
                     ready: UntrustedNumber.clamped(raw.ready ?? 0, to: UntrustedNumber.countLimit),
                     inMemory: UntrustedNumber.clamped(raw.in_memory ?? 0, to: UntrustedNumber.countLimit),
                     cores: raw.cores?.map { max(0, $0) })
    }

    private static func task(_ raw: RawTask) -> BridgeMessage.Task {
        let key = UntrustedText.clean(raw.key, limit: UntrustedText.keyLimit)
        let parsed = DaskKey(key)
        // A block index outside what a grid can number (Int32) is no block of a grid.
        let index = raw.index ?? parsed.index
        return .init(key: key, prefix: raw.prefix.map { UntrustedText.clean($0) } ?? parsed.prefix,
                     group: raw.group.map { UntrustedText.clean($0) } ?? parsed.group,
                     index: index.allSatisfy { (0..<UntrustedNumber.indexLimit).contains($0) } ? index : [])
    }

    /// The transition, or nil for a state blocktop does not know (it has nothing to show for one).
    private static func transition(_ raw: RawTransition) -> BridgeMessage.Transition? {
        guard let state = BridgeMessage.TaskState(rawValue: raw.state) else { return nil }
        return .init(key: UntrustedText.clean(raw.key, limit: UntrustedText.keyLimit), state: state,
                     worker: raw.worker.map { UntrustedText.clean($0) }, thread: raw.thread, start: raw.start, stop: raw.stop, time: raw.time)
    }

    /// The host part of a worker address such as `tcp://10.0.0.5:40001`.
    private static func host(of address: String) -> String {
        var rest = Substring(address)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        return String(rest)
    }
}
