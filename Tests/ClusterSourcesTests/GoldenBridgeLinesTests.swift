import ClusterSources
import Foundation
import Testing

/// The lines the bridge writes (python/tests/golden/messages.jsonl, which the bridge's own tests
/// check its typed messages write exactly) each parse into the case of their type.
@Suite struct GoldenBridgeLinesTests {
    static let lines: [String] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("python/tests/golden/messages.jsonl")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }()

    /// The protocol's type of a parsed message.
    static func type(of message: BridgeMessage) -> String {
        switch message {
        case .hello: "hello"
        case .clock: "clock"
        case .cluster: "cluster"
        case .workers: "workers"
        case .workerAdded: "worker-added"
        case .workerRemoved: "worker-removed"
        case .tasks: "tasks"
        case .transitions: "transitions"
        case .erred: "erred"
        case .progress: "progress"
        case .error: "error"
        case .bye: "bye"
        case .launch(.submitted): "submitted"
        case .launch(.result): "result"
        case .launch(.failed): "failed"
        case .launch(.cancelled): "cancelled"
        }
    }

    @Test func everyGoldenLineParsesIntoItsType() throws {
        #expect(Self.lines.count >= 16)
        for line in Self.lines {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let message = try #require(try BridgeMessage.parse(Array(line.utf8)), "skipped: \(line)")
            #expect(Self.type(of: message) == json["type"] as? String, "\(line)")
        }
    }

    @Test func enumeratedFieldsKeepTheirValues() throws {
        var modes: [BridgeMessage.Hello.Mode] = [], events: [TaskEvents] = [], states: [BridgeMessage.TaskState] = []
        var transitionsSent = 0
        for line in Self.lines {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            switch try BridgeMessage.parse(Array(line.utf8)) {
            case .hello(let hello)?:
                #expect(hello.mode.rawValue == json["mode"] as? String && hello.events.rawValue == json["events"] as? String)
                modes.append(hello.mode)
                events.append(hello.events)
            case .transitions(let transitions)?:
                transitionsSent += (json["events"] as? [Any])?.count ?? 0
                states += transitions.map(\.state)
            default:
                break
            }
        }
        #expect(Set(modes) == Set(BridgeMessage.Hello.Mode.allCases))
        #expect(Set(events) == [.plugin, .none, .callbacks])
        #expect(states == [.processing, .memory, .noWorker] && states.count == transitionsSent)
    }

    @Test func unknownEnumeratedValuesNeverTrap() throws {
        let hello = try BridgeMessage.parse(Array(#"{"v":1,"type":"hello","bridge":"9","mode":"orbit","events":"http"}"#.utf8))
        guard case .hello(let parsed)? = hello else { Issue.record("not a hello: \(String(describing: hello))"); return }
        #expect(parsed.mode == .attach && parsed.events == TaskEvents.none && parsed.countsOnlyNotice != nil)
        let line = #"{"v":1,"type":"transitions","events":[{"key":"a","state":"teleported"},{"key":"b","state":"erred"}]}"#
        guard case .transitions(let transitions)? = try BridgeMessage.parse(Array(line.utf8)) else {
            Issue.record("not a transitions line")
            return
        }
        #expect(transitions.map(\.key) == ["b"] && transitions.first?.state == .erred)
    }
}
