import ClusterSources
import Testing

/// The protocol's lines as untrusted input: good lines of every type, and lines that are
/// malformed, too long, of another version or of an unknown type.
@Suite struct BridgeMessageTests {
    func parse(_ line: String) throws -> BridgeMessage? {
        try BridgeMessage.parse(Array(line.utf8))
    }

    @Test func everyTypeOfARecordedSessionParses() throws {
        let lines = try Fixture.lines("attach-session.jsonl")
        let messages = try lines.map { try #require(try parse($0)) }
        guard case .hello(let hello) = messages[0] else { Issue.record("not a hello: \(messages[0])"); return }
        #expect(hello.events == .plugin && hello.scheduler == "tcp://127.0.0.1:8786" && hello.time == 1000)
        guard case .workers(_, let workers, true) = messages[1] else { Issue.record("not workers"); return }
        #expect(workers.map(\.threads) == [1, 2] && workers[1].host == "127.0.0.2" && workers[1].cpu == 150)
        guard case .tasks(let tasks) = messages[2] else { Issue.record("not tasks"); return }
        #expect(tasks[4] == .init(key: "('sum-aggregate-77aa', 0)", prefix: "sum-aggregate", group: "sum-aggregate-77aa", index: [0]))
        guard case .transitions(let events) = messages[4] else { Issue.record("not transitions"); return }
        #expect(events[0].state == .memory && events[0].thread == 7001 && events[0].start == 1000.21 && events[0].stop == 1000.5)
        #expect(messages[5] == .clock(time: 1001))
        #expect(messages[7] == .erred(key: "('random_sample-5b2f', 1, 1)", exception: "ZeroDivisionError('division by zero')", time: 1000.9))
        #expect(messages[8] == .workerAdded(address: "tcp://127.0.0.3:40003", time: 1001.1))
        #expect(messages.last == .bye(reason: "scheduler closed"))
    }

    @Test func progressErrorAndClusterLinesParse() throws {
        #expect(try parse(#"{"v":1,"type":"progress","time":5,"prefixes":{"matmul":{"waiting":3,"memory":2,"erred":-4}}}"#)
                == .progress(time: 5, prefixes: ["matmul": ["waiting": 3, "memory": 2, "erred": 0]]))
        #expect(try parse(#"{"v":1,"type":"error","message":"cannot connect"}"#) == .error(message: "cannot connect"))
        #expect(try parse(#"{"v":1,"type":"cluster","scheduler":"tcp://127.0.0.1:1","workers":2,"dashboard":null}"#)
                == .cluster(scheduler: "tcp://127.0.0.1:1", dashboard: nil))
    }

    @Test func unknownTypesAreIgnoredAndOtherVersionsRefused() throws {
        #expect(try parse(#"{"v":1,"type":"telemetry-from-the-future","x":[1,2]}"#) == nil)
        #expect(throws: BridgeLineError.unsupportedVersion(2)) { try parse(#"{"v":2,"type":"hello","bridge":"2.0"}"#) }
        #expect(throws: BridgeLineError.malformed) { try parse(#"{"type":"clock","time":1}"#) }
    }

    @Test func malformedLinesThrowAndNeverTrap() throws {
        for line in ["", "not json", "[1,2,3]", "{", #"{"v":1}"#, #"{"v":"1","type":"clock","time":1}"#,
                     #"{"v":1,"type":"workers","workers":[{"nthreads":1}]}"#, #"{"v":1,"type":"tasks","tasks":[{"key":3}]}"#,
                     #"{"v":1,"type":"workers","workers":[{"address":"a","nthreads":1e400}]}"#,
                     #"{"v":1,"type":"transitions","events":"plugin"}"#, String(repeating: "[", count: 100_000)] {
            #expect(throws: BridgeLineError.self, "\(line.prefix(60))") { try parse(line) }
        }
        #expect(throws: BridgeLineError.missingField(type: "clock", field: "time")) { try parse(#"{"v":1,"type":"clock"}"#) }
        #expect(throws: BridgeLineError.missingField(type: "erred", field: "key")) { try parse(#"{"v":1,"type":"erred"}"#) }
    }

    @Test func aLineOverOneMebibyteIsRefusedWithItsLength() throws {
        let long = #"{"v":1,"type":"error","message":""# + String(repeating: "x", count: 1 << 20) + #""}"#
        #expect(throws: BridgeLineError.tooLong(bytes: long.utf8.count)) { try parse(long) }
    }

    @Test func controlCharactersAreEscapedAndLongStringsCut() throws {
        let message = try parse(#"{"v":1,"type":"erred","key":"('x\u001b[2J', 0)","exception":"boom\r\n\u009b31m"}"#)
        #expect(message == .erred(key: "('x\\x1b[2J', 0)", exception: "boom\\x0d\\x0a\\x9b31m", time: nil))
        let long = String(repeating: "é", count: 5000)
        guard case .error(let text)? = try parse(#"{"v":1,"type":"error","message":"\#(long)"}"#) else {
            Issue.record("not an error line")
            return
        }
        #expect(text.count == UntrustedText.longLimit && text.hasSuffix("…"))
        guard case .workers(_, let workers, _)? = try parse(#"{"v":1,"type":"workers","workers":[{"address":"tcp://h:1","nthreads":-3,"memory":-1,"cpu":-5}]}"#)
        else { Issue.record("not workers"); return }
        #expect(workers[0].threads == 0 && workers[0].memory == 0 && workers[0].cpu == 0 && workers[0].host == "h")
    }

    @Test func linesAreSplitAndOverlongOnesDroppedAsTheyArrive() {
        var splitter = LineSplitter(limit: 8)
        #expect(splitter.feed(Array("abc\nde".utf8)) == [.text(Array("abc".utf8))])
        #expect(splitter.feed(Array("f\n\n0123456789".utf8)) == [.text(Array("def".utf8))])
        #expect(splitter.feed(Array("01234\nok\n".utf8)) == [.tooLong(bytes: 15), .text(Array("ok".utf8))])
    }

    @Test func taskKeysGiveGroupPrefixAndIndex() {
        let key = DaskKey("('matmul-3f2a9c', 0, 12)")
        #expect(key.group == "matmul-3f2a9c" && key.prefix == "matmul" && key.index == [0, 12])
        #expect(DaskKey("('chunk_sum-partial-abcdef12', 1, 2, 3)").prefix == "chunk_sum-partial")
        #expect(DaskKey("finalize-hlgfinalizecompute-9f8e7d").prefix == "finalize-hlgfinalizecompute")
        #expect(DaskKey("('random_sample-deadbeef', 'a')").index == [])
        #expect(DaskKey("").prefix == "other")
    }
}
