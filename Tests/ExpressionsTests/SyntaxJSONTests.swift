import BlockArray
import Expressions
import Foundation
import Testing

/// The syntax tree as JSON, what the Dask bridge translates: exact text, tree shapes, errors.
@Suite struct SyntaxJSONTests {
    /// The document's start with the default defaults.
    let head = #"{"version":1,"defaults":{"seed":0,"chunks":1000,"chunks_override":null},"statements":["#

    @Test func theDemoIsEncodedExactly() throws {
        let json = try Program.syntaxJSON(text: "x = random((400, 400), chunks=100, seed=3); (x @ x.T).sum()")
        #expect(json == head
            + #"{"target":"x","value":{"node":"call","function":{"node":"name","id":"random"},"#
            + #""args":[{"node":"sequence","items":[{"node":"number","value":400},{"node":"number","value":400}]}],"#
            + #""keywords":{"chunks":{"node":"number","value":100},"seed":{"node":"number","value":3}}}},"#
            + #"{"target":null,"value":{"node":"call","function":{"node":"attribute","value":"#
            + #"{"node":"binary","op":"@","left":{"node":"name","id":"x"},"#
            + #""right":{"node":"attribute","value":{"node":"name","id":"x"},"attr":"T"}},"attr":"sum"},"#
            + #""args":[],"keywords":{}}}]}"#)
    }

    /// Slice parts left out are null; `None` as an index (a new axis) is the name, as written.
    @Test func slicePartsLeftOutAreNullAndANewAxisIsItsName() throws {
        let json = try Program.syntaxJSON(text: "x = ones((6, 6)); x[::2, None, -1]")
        let x = #"{"node":"name","id":"x"}"#
        #expect(json.hasSuffix(#"{"target":null,"value":{"node":"subscript","value":\#(x),"items":["#
            + #"{"slice":[null,null,{"node":"number","value":2}]},{"index":{"node":"name","id":"None"}},"#
            + #"{"index":{"node":"unary","op":"-","operand":{"node":"number","value":1}}}]}}]}"#))
    }

    @Test func keywordsStringsAndDefaultsAreEncoded() throws {
        let defaults = Defaults(chunks: .perAxis([2, 3]), chunksOverride: .explicit([[1, 3], [4]]), seed: (1 << 63) + 5)
        let json = try Program.syntaxJSON(
            text: "laplacian(normal((4, 4), scale=0.5, loc=1e300), boundary='reflect')", defaults: defaults)
        #expect(json == #"{"version":1,"defaults":{"seed":9223372036854775813,"chunks":[2,3],"chunks_override":[[1,3],[4]]},"#
            + #""statements":[{"target":null,"value":{"node":"call","function":{"node":"name","id":"laplacian"},"#
            + #""args":[{"node":"call","function":{"node":"name","id":"normal"},"#
            + #""args":[{"node":"sequence","items":[{"node":"number","value":4},{"node":"number","value":4}]}],"#
            + #""keywords":{"scale":{"node":"number","value":0.5},"loc":{"node":"number","value":1e+300}}}],"#
            + #""keywords":{"boundary":{"node":"string","value":"reflect"}}}}]}"#)
    }

    /// Precedence and associativity are the tree's shape: `-2 ** 2` negates the power,
    /// `*` binds before `+`, `-` groups to the left, `**` to the right.
    @Test(arguments: [
        ("-2 ** 2 + 3 * 4", #"{"node":"binary","op":"+","left":{"node":"unary","op":"-","operand":"#
            + #"{"node":"binary","op":"**","left":{"node":"number","value":2},"right":{"node":"number","value":2}}},"#
            + #""right":{"node":"binary","op":"*","left":{"node":"number","value":3},"right":{"node":"number","value":4}}}"#),
        ("1 - 2 - 3", #"{"node":"binary","op":"-","left":{"node":"binary","op":"-","left":{"node":"number","value":1},"#
            + #""right":{"node":"number","value":2}},"right":{"node":"number","value":3}}"#),
        ("2 ** 3 ** 2", #"{"node":"binary","op":"**","left":{"node":"number","value":2},"#
            + #""right":{"node":"binary","op":"**","left":{"node":"number","value":3},"right":{"node":"number","value":2}}}"#),
        ("1 < 2 + 0.25", #"{"node":"binary","op":"<","left":{"node":"number","value":1},"#
            + #""right":{"node":"binary","op":"+","left":{"node":"number","value":2},"right":{"node":"number","value":0.25}}}"#),
        // `&` binds tighter than `|`; `%` is a term operator, grouped to the left with `*`.
        ("(1 < 2) & ~0 | 3 % 2 * 1", #"{"node":"binary","op":"|","left":{"node":"binary","op":"&","#
            + #""left":{"node":"binary","op":"<","left":{"node":"number","value":1},"right":{"node":"number","value":2}},"#
            + #""right":{"node":"unary","op":"~","operand":{"node":"number","value":0}}},"#
            + #""right":{"node":"binary","op":"*","left":{"node":"binary","op":"%","left":{"node":"number","value":3},"#
            + #""right":{"node":"number","value":2}},"right":{"node":"number","value":1}}}"#),
    ])
    func precedenceIsTheTreeShape(text: String, tree: String) throws {
        #expect(try Program.syntaxJSON(text: text) == head + #"{"target":null,"value":\#(tree)}]}"#)
    }

    /// A bad expression fails exactly as running it does, before any JSON is made.
    @Test(arguments: ["x = random((30, 30)); x + ones((5,))", "x = (1, 2", "sum(y)", "ones((4, 4), chunks='big')", "x = 1"])
    func badExpressionsFailAsTheyDoWhenRun(text: String) {
        var expected: ExpressionError?
        do { _ = try Program(text) } catch { expected = error }
        #expect(expected != nil)
        #expect(throws: expected!) { try Program.syntaxJSON(text: text) }
    }
}

/// The expressions the bridge's Python tests translate and compare with blocktop's results
/// (python/tests/syntax_cases.jsonl) still encode exactly as that file records them.
@Suite struct BridgeSyntaxCasesTests {
    @Test func theBridgeTestCasesEncodeAsRecorded() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("python/tests/syntax_cases.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 20)
        for line in lines {
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let expression = try #require(fields["expression"] as? String)
            let seed = try #require(fields["seed"] as? NSNumber).uint64Value
            let override = (fields["chunks_override"] as? NSNumber).map { ChunkSpec.uniform($0.intValue) }
            let recorded = line[try #require(line.range(of: #", "syntax": "#)).upperBound...].dropLast()
            let encoded = try Program.syntaxJSON(text: expression, defaults: Defaults(chunksOverride: override, seed: seed))
            #expect(encoded == String(recorded), "\(expression)")
        }
    }
}
