import Foundation
import Testing
import TestSupport

/// Terminal conditions, faults and stress in a real terminal: terminals that cannot show the
/// dashboard, no colour, a non-UTF-8 locale, a tiny window, a task failing mid-run, and a
/// storm of resizes. Each ends with the terminal's modes as they were before.
@Suite(.enabled(if: Tmux.available, "needs tmux (`make deps` installs it)"), .serialized, .tags(.binary))
struct TerminalConditionTests {
    static let quickRun = "run 'ones((100, 100), chunks=10).sum()'"
    /// About ten seconds on one worker: long enough to be paused before it ends.
    static let slowRun = "run 'x = random((8000, 8000)); (x @ x.T).sum()' --chunks 500 --workers 1"

    @Test(arguments: [
        ("-u TERM LANG=C.UTF-8", "cannot use the terminal: TERM=(unset) is unknown or not a terminal; use --headless"),
        ("TERM=no-such-terminal LANG=C.UTF-8",
         "cannot use the terminal: TERM=no-such-terminal is unknown or not a terminal; use --headless"),
        ("TERM=dumb LANG=C.UTF-8",
         "cannot draw the dashboard: TERM=dumb cannot move the cursor; use --headless or a terminal such as xterm-256color"),
    ])
    func aTerminalThatCannotShowTheDashboardGivesOneLineAndExit64(environment: String, message: String) throws {
        let tmux = try Tmux(arguments: Self.quickRun, width: 200, height: 10, environment: environment)
        defer { tmux.kill() }
        try tmux.waitFor("EXIT=64 restored")
        let lines = tmux.capture().split(separator: "\n")
        #expect(lines.map(String.init) == ["blocktop: error: " + message, "EXIT=64 restored"])
    }

    /// NO_COLOR leaves attributes only; the same screen without it has colours (swift test
    /// sets NO_COLOR for what it starts, so that run unsets it).
    @Test func noColorDrawsWithoutColours() throws {
        for (environment, coloured) in [("-u NO_COLOR " + Tmux.standardEnvironment, true), (Tmux.standardEnvironment + " NO_COLOR=1", false)] {
            let tmux = try Tmux(arguments: Self.slowRun, width: 100, height: 30, environment: environment)
            defer { tmux.kill() }
            try tmux.waitFor("RUNNING")
            tmux.send(" ")
            try tmux.waitFor("PAUSED")
            let screen = tmux.capture(escapes: true)
            let colours = ["\u{1B}[38;5;", "\u{1B}[48;5;", "\u{1B}[38;2;", "\u{1B}[48;2;"]
            #expect(colours.contains { screen.contains($0) } == coloured, "\(environment)")
            tmux.send("q")
            try tmux.waitFor("EXIT=3 restored")
        }
    }

    /// A C or unknown locale gets the ASCII glyphs, and the run still works.
    @Test(arguments: ["LANG=C LC_ALL=C TERM=xterm-256color", "LC_ALL=xx_YY.bogus TERM=xterm-256color"])
    func aNonUTF8LocaleDrawsInASCII(environment: String) throws {
        let tmux = try Tmux(arguments: Self.slowRun, width: 100, height: 30, environment: environment)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        tmux.send(" ")
        try tmux.waitFor("PAUSED")
        #expect(tmux.capture().unicodeScalars.allSatisfy { $0.isASCII })
        tmux.send("q")
        try tmux.waitFor("EXIT=3 restored")
    }

    @Test func aTenByThreeTerminalSaysItIsTooSmallAndQStillQuits() throws {
        let tmux = try Tmux(arguments: Self.slowRun, width: 10, height: 3)
        defer { tmux.kill() }
        try tmux.waitFor("now 10×3")
        #expect(tmux.capture().hasPrefix("terminal"))
        tmux.send("q")
        tmux.resize(width: 40, height: 5)
        try tmux.waitFor("EXIT=3 restored")
    }

    /// A task failing mid-run: its block shows ✗, the header names the block and the error,
    /// the dashboard stays open until q, and the exit status is 1.
    @Test func aFailingTaskIsMarkedOnTheGridAndNamedInTheHeader() throws {
        let tmux = try Tmux(arguments: "run 'check_finite(concatenate([random((3000, 4000)), ones((1000, 4000)) / 0])).sum()' "
                                + "--chunks 250 --workers 1", width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.waitFor("FAILED")
        let screen = tmux.capture()
        #expect(screen.contains("failed: block [12, 0]: non-finite value inf at [3000"))
        // 16×16 blocks, three characters and a gap each: rows 0–11 are done, the failed block starts row 12.
        let rows = screen.split(separator: "\n").filter { $0.contains(/^│ ([█✗░]{3} ){16}/) }
        try #require(rows.count == 16, "\(screen)")
        #expect(rows.prefix(12).allSatisfy { $0.hasPrefix("│ " + String(repeating: "███ ", count: 16)) }, "\(screen)")
        #expect(rows[12].hasPrefix("│ ✗✗✗ ░░░"), "\(screen)")
        tmux.send("q")
        try tmux.waitFor("EXIT=1 restored")
    }

    /// 100 resizes as fast as tmux makes them (within about two seconds), then a settled
    /// size: the screen comes to be laid out for it, and q still quits.
    @Test func aStormOfResizesLeavesACorrectScreen() throws {
        let tmux = try Tmux(arguments: Self.slowRun, width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        tmux.send(" ")
        try tmux.waitFor("PAUSED")
        for step in 0..<100 {
            tmux.resize(width: 60 + (step * 37) % 140, height: 15 + (step * 11) % 45)
        }
        tmux.resize(width: 120, height: 40)
        // The last redraw may trail the last resize: wait for a screen laid out for 120×40.
        try tmux.waitForScreen("a 120×40 layout after the resizes") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 40
                && lines[0].contains("(x @ x.T).sum()")
                && lines.contains { $0.contains("16×16 blocks") }
                && lines.contains { $0.hasPrefix("╭─ process cpu") && $0.hasSuffix("╮") && $0.count == 120 }
                && lines[39].hasPrefix(" q quit")
        }
        tmux.send("q")
        try tmux.waitFor("EXIT=3 restored")
    }
}
