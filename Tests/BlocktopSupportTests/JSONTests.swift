import BlocktopSupport
import Testing

/// JSON read from untrusted bytes: what RFC 8259 allows is read, in order and exactly; anything
/// else, and nesting past the limit, is refused without a trap.
@Suite struct JSONParsingTests {
    func parse(_ text: String) -> JSON? { JSON.parse(Array(text.utf8)) }

    @Test func everyKindOfValueIsReadWithItsMembersInOrder() {
        let document = parse(#" {"b": [1, -2.5, 3e2, true, false, null], "a": {"x": "y"}, "c": -0} "#)
        #expect(document == .object([("b", .array([.integer(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null])),
                                     ("a", .object([("x", .string("y"))])), ("c", .integer(0))]))
    }

    @Test func escapesAreResolved() {
        #expect(parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\té😀"))
        #expect(parse("\"é😀\"") == .string("é😀"))
    }

    @Test func wholeNumbersPastIntStayExact() {
        #expect(parse("18446744073709551615") == .integer(Int128(UInt64.max)))
        #expect(parse("-9223372036854775809")?.integer == nil)
        #expect(parse("123456789012345678901234567890123456789012") == .number(1.23456789012345678901234567890123456789012e41))
    }

    @Test(arguments: ["", " ", "01", "1.", ".5", "-", "+1", "1e", "0x10", "1e400", "NaN", "Infinity", "tru", "nul",
                      "[1,]", "[1 2]", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "{\"a\":}", "[1", "{\"a\":1", "\"open",
                      "\"tab\there\"", #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#,
                      "1 2", "{} x", "[] ]"])
    func whatIsNotJSONIsRefused(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        #expect(JSON.parse([0x22, 0xff, 0x22]) == nil)
        #expect(JSON.parse([0x22, 0xc3, 0x22]) == nil)
    }

    @Test func nestingPastTheLimitIsRefused() {
        let depth = JSON.maximumDepth
        #expect(parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) != nil)
        #expect(parse(String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)) == nil)
        #expect(parse(String(repeating: "{\"a\":", count: depth + 1) + "1" + String(repeating: "}", count: depth + 1)) == nil)
        #expect(parse(String(repeating: "[", count: 100_000)) == nil)
    }

    @Test func membersAndWholeNumbersAreLookedUp() throws {
        let document = try #require(parse(#"{"k": 1, "n": 3.0, "f": 3.5, "k": [2], "s": "t"}"#))
        #expect(document["k"] == .array([.integer(2)]))
        #expect(document["k"]?.array == [.integer(2)])
        #expect(document["n"]?.integer == 3 && document["f"]?.integer == nil)
        #expect(document["s"]?.string == "t" && document["missing"] == nil && JSON.string("x")["k"] == nil)
    }

    @Test func writtenJSONReadsBackTheSame() {
        let value = JSON.object([("text", .string("quote \" backslash \\ newline \n bell \u{07} é")), ("whole", .integer(Int128(UInt64.max))),
                                 ("fraction", .number(-0.25)), ("list", .array([.null, .bool(true), .object([])]))])
        #expect(JSON.parse(Array(value.serialized().utf8)) == value)
    }

    @Test func aSortedObjectLeavesOutAbsentMembers() {
        #expect(JSON.sortedObject([("b", .integer(1)), ("c", nil), ("a", .null)]).serialized() == #"{"a":null,"b":1}"#)
    }
}
