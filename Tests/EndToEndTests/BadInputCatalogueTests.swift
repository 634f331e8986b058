import Foundation
import Testing
import TestSupport

/// A catalogue of bad input to the real binary, one row each: command-line values,
/// expressions, theme files and a stdout that cannot take the report. Every row must give
/// one `blocktop: error:` line naming the problem (expression errors add the expression and
/// a caret under the spot), its documented exit status, no control characters, no report.
/// The terminal conditions (TERM, locale, NO_COLOR, a tiny window) are in the dashboard's
/// end-to-end tests, which need a terminal.
@Suite(.tags(.binary)) struct BadInputCatalogueTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let message: String
        var status: Int32 = 64
        /// Written to a theme file whose path replaces `{theme}` in the arguments.
        var theme: [UInt8]? = nil
        var stdout: Blocktop.Output = .pipe

        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let commandLine: [Case] = [
        Case(arguments: ["run", "--workers", "0", "1"], message: "--workers must be between 1 and 1024, got 0"),
        Case(arguments: ["run", "--workers", "-3", "1"], message: "--workers must be between 1 and 1024, got -3"),
        Case(arguments: ["run", "--workers", "100000", "1"], message: "--workers must be between 1 and 1024, got 100000"),
        Case(arguments: ["run", "--workers", "abc", "1"], message: "'abc' is invalid for '--workers"),
        Case(arguments: ["run", "--chunks", "0", "1"], message: "--chunks must be ≥ 1, got 0"),
        Case(arguments: ["run", "--chunks", "", "1"], message: "'' is invalid for '--chunks"),
        Case(arguments: ["run", "--seed", "x", "1"], message: "'x' is invalid for '--seed"),
        Case(arguments: ["run", "--refresh", "0", "1"], message: "--refresh must be in (0, 100], got 0.0"),
        Case(arguments: ["run", "--refresh", "nan", "1"], message: "--refresh must be in (0, 100], got nan"),
        Case(arguments: ["run", "--color", "bogus", "1"], message: "'bogus' is invalid for '--color"),
        Case(arguments: ["run", "--frobnicate"], message: "Unknown option '--frobnicate'"),
        Case(arguments: ["run", "1", "2"], message: "Unexpected argument '2'"),
        Case(arguments: ["run", "--preset", "nope"], message: "unknown preset 'nope'; known: demo"),
        Case(arguments: ["run", "--preset", "demo", "1 + 1"], message: "give an expression or --preset, not both"),
        Case(arguments: ["run", "--trace", "/nonexistent/x.json", "1"], message: "folder '/nonexistent' does not exist"),
        Case(arguments: ["run", "--trace", "/tmp", "1"], message: "--trace: '/tmp' is a folder"),
        Case(arguments: ["run", "--trace", "", "1"], message: "--trace needs a file name"),
        Case(arguments: ["sweep", "--chunks", "100,x", "1"], message: "--chunks: 'x' is not a positive whole number"),
        Case(arguments: ["sweep", "--chunks", "", "1"], message: "--chunks: '' is not a positive whole number"),
        Case(arguments: ["scale", "--workers-list", "0,2", "1"], message: "--workers-list: '0' is not a positive whole number"),
        Case(arguments: ["scale", "--workers-list", "1,5000", "1"], message: "--workers-list must be between 1 and 1024, got 5000"),
        Case(arguments: ["sweep", "--chunks", "100,200,100", "1"], message: "--chunks: 100 is given twice (in '100,200,100')"),
        Case(arguments: ["scale", "--workers-list", "2,2", "1"], message: "--workers-list: 2 is given twice (in '2,2')"),
        Case(arguments: ["sweep", "--repeat", "0", "1"], message: "--repeat must be ≥ 1, got 0"),
        Case(arguments: ["scale", "--repeat", "-2", "1"], message: "--repeat must be ≥ 1, got -2"),
        Case(arguments: ["scale", "--repeat", "x", "1"], message: "'x' is invalid for '--repeat"),
        Case(arguments: ["presets", "--bogus"], message: "Unknown option '--bogus'"),
    ]

    static let expressions: [Case] = [
        Case(arguments: ["run", ""], message: "the expression is empty"),
        Case(arguments: ["run", "1 +"], message: "expected a value, found the end"),
        Case(arguments: ["run", "(1"], message: "expected ')', found the end"),
        Case(arguments: ["run", "x = ; 1"], message: "expected a value, found ';'"),
        Case(arguments: ["run", "1 $ 2"], message: "unexpected character '$'"),
        Case(arguments: ["run", "sine(1)"], message: "unknown function 'sine'; did you mean 'sin'?"),
        Case(arguments: ["run", "y + 1"], message: "unknown name 'y'"),
        Case(arguments: ["run", "1e999"], message: "number '1e999' is too large"),
        Case(arguments: ["run", "ones((-1, 3))"], message: "invalid shape [-1, 3]: extents must be ≥ 0"),
        Case(arguments: ["run", "ones((10, 10), chunks=0)"], message: "block size 0 must be > 0"),
        Case(arguments: ["run", "ones((4, 4)).rechunk(0)"], message: "rechunk(): invalid chunks 0"),
        Case(arguments: ["run", "x = ones((3, 4)); x @ x"], message: "shapes [3, 4] and [3, 4] do not match"),
        Case(arguments: ["run", "ones((4, 4)) + ones((3,))"], message: "shapes [4, 4] and [3] do not match"),
        Case(arguments: ["run", "random((10, 10)).sum(axis=5)"], message: "axis 5 is out of range"),
        Case(arguments: ["run", "ones((4, 4))[10]"], message: "index 10 is out of bounds for axis 0 with size 4"),
        Case(arguments: ["run", "ones((4, 4))[::0]"], message: "slice step cannot be zero"),
        Case(arguments: ["run", "sin(1, 2)"], message: "sin() takes at most 1 positional arguments, got 2"),
        Case(arguments: ["run", "random((10, 10), seed=-1)"], message: "seed must be ≥ 0, got -1"),
        Case(arguments: ["run", "random((1000000, 1000000))"], message: "needs 8.0 TB but only"),
        Case(arguments: ["run", "\u{1B}]0;title\u{07} + 1"], message: "unexpected character '\\x1b'"),
        Case(arguments: ["run", "ones((6, 4), chunks=2).reshape(4, 6)"],
             message: "reshape(): reshape: cannot reshape [6, 4] into [4, 6] block by block"),
        Case(arguments: ["run", "ones((6, 4)).reshape(5, 5)"], message: "cannot reshape an array of shape [6, 4] (24 elements) into shape [5, 5]"),
        Case(arguments: ["run", "astype(ones(3), 'float128')"], message: "astype(): unknown dtype 'float128'; blocktop converts to float64, float32"),
        Case(arguments: ["run", "~2 + ones(3)"], message: "'~' is logical here and takes booleans (comparisons, isnan(…), True, False), not the number 2"),
        Case(arguments: ["run", "cumsum(ones((3, 4)), axis=2)"], message: "cumsum(): axis 2 is out of range for an array of rank 2"),
        Case(arguments: ["run", "x = ones(3); x > 0 & x < 1"], message: "comparisons do not chain; '&' and '|' bind tighter than comparisons"),
    ]

    static let themes: [Case] = [
        Case(arguments: ["run", "--theme", "nope", "1"], message: "--theme: no theme named \"nope\""),
        Case(arguments: ["run", "--theme", "\u{1B}]0;title\u{07}", "1"], message: "no theme named \"\\x1b]0;title\\x07\""),
        Case(arguments: ["run", "--theme", "/nonexistent/x.theme", "1"], message: "no theme named \"/nonexistent/x.theme\""),
        Case(arguments: ["run", "--theme", "/tmp/", "1"], message: "cannot read theme /tmp/: it is a folder"),
        Case(arguments: ["run", "--theme", "{theme}", "1"], message: ":1: theme[main_bg] has \"#zzzzzz\", expected \"#RRGGBB\"",
             theme: Array("theme[main_bg]=\"#zzzzzz\"\n".utf8)),
        Case(arguments: ["sweep", "--theme", "{theme}", "1"], message: ":2: theme[main_fg] has \"300 0 0\"",
             theme: Array("# a comment\ntheme[main_fg]=\"300 0 0\"\n".utf8)),
        Case(arguments: ["run", "--theme", "{theme}", "1"], message: ":1: expected theme[key]=\"value\", got theme[title]=\"#ffffff",
             theme: Array("theme[title]=\"#ffffff\n".utf8)),
        Case(arguments: ["run", "--theme", "{theme}", "1"], message: ":1: expected theme[key]=\"value\", got \\x1b[2J",
             theme: Array("\u{1B}[2J\n".utf8)),
        Case(arguments: ["run", "--theme", "{theme}", "1"], message: "not UTF-8 text", theme: [0xFF, 0xFE, 0x0A]),
    ]

    static let output: [Case] = [
        Case(arguments: ["run", "ones(4).sum()"], message: "stdout is closed", stdout: .closed),
        Case(arguments: ["run", "--json", "ones(4).sum()"], message: "cannot write the report to stdout: No space left on device",
             status: 74, stdout: .full),
        Case(arguments: ["sweep", "--chunks", "2,4", "ones(8).sum()"], message: "cannot write the report to stdout: No space left on device",
             status: 74, stdout: .full),
    ]

    @Test(arguments: commandLine + expressions + themes + output)
    func badInputGetsOneLineAndItsExitStatus(_ bad: Case) throws {
        let folder = try TemporaryFolder()
        // The theme file's name carries an OSC title sequence too: it must come out escaped.
        let themePath = folder.file("bad\u{1B}]0;x\u{07}.theme")
        if let theme = bad.theme { try Data(theme).write(to: URL(fileURLWithPath: themePath)) }
        let arguments = bad.arguments.map { $0 == "{theme}" ? themePath : $0 }

        let outcome = try Blocktop.run(arguments, stdout: bad.stdout)
        let (status, stdout, stderr) = (outcome.status, outcome.stdout, outcome.stderr)
        #expect(status == bad.status, "\(stderr)")
        // Leaving out a sweep's line per run ("blocktop: round 1/3: block size 2, 5 tasks").
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .filter { !$0.hasPrefix("blocktop: warm-up (not counted): ") && !$0.hasPrefix("blocktop: round ") }
        let first = try #require(lines.first)
        #expect(first.hasPrefix("blocktop: error: "), "\(stderr)")
        #expect(first.contains(bad.message), "\(stderr)")
        if bad.theme != nil { #expect(first.contains("bad\\x1b]0;x\\x07.theme")) }
        // An expression error adds the expression and a caret line; nothing else adds lines.
        #expect(lines.count == 1 || (lines.count == 3 && lines[1].hasPrefix("  ") && lines[2].contains("^")), "\(stderr)")
        #expect(!stderr.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) })
        #expect(stdout.isEmpty)
    }
}
