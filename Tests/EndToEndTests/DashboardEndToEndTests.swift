import Foundation
import Testing
import TestSupport

/// The real binary in a real terminal: tmux runs blocktop, the test reads the screen with
/// capture-pane, sends keys and signals, resizes the window, and checks that the terminal
/// modes were the same after blocktop exited as before it started.
@Suite(.enabled(if: Tmux.available, "needs tmux (`make deps` installs it)"), .serialized, .tags(.binary))
struct DashboardEndToEndTests {
    /// A run long enough to interact with: 64 blocks, one worker.
    static let longRun = "run 'x = random((4000, 4000)); (x @ x.T).sum()' --chunks 500 --workers 1 --refresh 20"

    @Test func keysPauseResizeRerunAndQuit() throws {
        let tmux = try Tmux(arguments: Self.longRun, width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        let screen = tmux.capture()
        #expect(screen.contains("(x @ x.T).sum()"))
        #expect(screen.contains("array 4000×4000 · blocks 500×500 (64)"))
        #expect(screen.contains("8×8 blocks"))
        #expect(screen.contains("process cpu"))
        tmux.send(" ")
        try tmux.waitFor("PAUSED")
        // Tab pins the grid to the first stage (the inputs), and says so.
        tmux.sendKey("Tab")
        try tmux.waitFor("random · 8×8 blocks · stage 1/")
        try tmux.waitFor("grid: stage 1/")
        tmux.send(" ")
        try tmux.waitFor("RUNNING")
        tmux.send("]")
        try tmux.waitFor("started again with blocks of 1000")
        try tmux.waitFor("4×4 blocks")
        tmux.send("z")  // unknown: a hint, and nothing else happens
        try tmux.waitFor("unknown key 'z' · h or F1 for help")
        tmux.resize(width: 60, height: 20)
        try tmux.waitFor("terminal too small: need 80×24")
        tmux.resize(width: 100, height: 30)
        try tmux.waitFor("4×4 blocks")
        tmux.send("h")
        try tmux.waitFor("halve / double the block size")
        tmux.send("x")
        try tmux.waitFor("RUNNING")
        tmux.send("q")
        try tmux.waitFor("EXIT=3 restored")
        #expect(!tmux.capture().contains("process cpu"))
    }

    /// The report after the dashboard covers the run, not the session: time spent paused and
    /// time the finished run stays on screen before q are in neither its wall time nor its CPU%.
    @Test func theReportCountsTheRunNotThePausesNorTheWaitBeforeQ() throws {
        let folder = try TemporaryFolder()
        let trace = folder.file("run.json")
        let tmux = try Tmux(arguments: Self.longRun + " --trace \(trace)", width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        tmux.send(" ")
        try tmux.waitFor("PAUSED")
        let paused = Date()
        try waitUntil(within: .seconds(10), "two seconds of pause") { Date().timeIntervalSince(paused) >= 2 }
        tmux.send(" ")
        try tmux.waitFor("DONE", seconds: 120)
        let done = Date()
        try waitUntil(within: .seconds(10), "two seconds on the finished run") { Date().timeIntervalSince(done) >= 2 }
        tmux.send("q")
        try tmux.waitFor("EXIT=0 restored")
        let screen = tmux.capture()
        let wallLine = try #require(screen.split(separator: "\n").first { $0.hasPrefix("wall ") })
        let wall = try #require(Double(wallLine.split(separator: " ")[1]))
        // An independent reading: the span of the run's task events in its trace. It includes the
        // pause of 2 s or more, which the run's time must not; the 2 s after DONE are in neither.
        let data = try Data(contentsOf: URL(fileURLWithPath: trace))
        let events = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["traceEvents"] as? [[String: Any]])
        let tasks = events.filter { $0["ph"] as? String == "X" }
        let first = try #require(tasks.compactMap { $0["ts"] as? Double }.min())
        let last = try #require(tasks.compactMap { task -> Double? in
            guard let start = task["ts"] as? Double, let duration = task["dur"] as? Double else { return nil }
            return start + duration
        }.max())
        let span = (last - first) / 1e6
        #expect(wall > 0 && wall <= span - 1.5, "wall \(wall) s for tasks spanning \(span) s, which include a pause of 2 s or more")
    }

    @Test func promptRunsANewExpressionOrShowsItsError() throws {
        let tmux = try Tmux(arguments: Self.longRun, width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        // Paused, the run cannot end while the prompt is used: the checks below do not race it.
        tmux.send(" ")
        try tmux.waitFor("PAUSED")
        // Escape closes the prompt; q and space typed into it do nothing else.
        tmux.send(":xq")
        try tmux.waitFor(":xq")
        tmux.sendKey("Escape")
        try tmux.waitFor("q quit  space pause")
        tmux.send(":nosuch(3) q")
        try tmux.waitFor(":nosuch(3) q")
        tmux.sendKey("BSpace")
        tmux.sendKey("BSpace")
        tmux.sendKey("Enter")
        // The prompt stays open with the text, the error above it and a caret under the mistake.
        try tmux.waitFor("error: unknown function 'nosuch'")
        let afterError = tmux.capture()
        #expect(afterError.contains("PAUSED"))
        #expect(afterError.contains("random((4000, 4000))"))
        #expect(afterError.contains(":nosuch(3)█"))
        // (capture-pane leaves out the spaces at the ends of lines)
        #expect(afterError.components(separatedBy: "\n").contains(" ^^^^^^"))
        // Ctrl-U clears it for the next expression.
        tmux.sendKey("C-u")
        try tmux.waitForScreen("an empty prompt") { !$0.contains("nosuch(3)") }
        tmux.send("ones((10,10), chunks=5).sum()")
        tmux.sendKey("Enter")
        try tmux.waitFor("blocktop  ones((10,10), chunks=5).sum()")
        try tmux.waitFor("DONE")
        try tmux.waitFor("recent runs")
        // The first run, cancelled, in the panel: block 500, one worker.
        #expect(tmux.capture().contains(#/│ 500 +1 +[0-9.]+s +(--|[0-9]+%) +cancelled/#))
        tmux.send("q")
        try tmux.waitFor("EXIT=0 restored")
        #expect(tmux.capture().contains("result       100.0"))
    }

    /// A short run stays on its final figures until q (a key still works there); with
    /// --close-when-done the dashboard closes by itself and restores the terminal.
    @Test func aFinishedRunStaysOpenUntilQUnlessToldToClose() throws {
        let shortRun = "run 'x = random((1000, 1000)); (x @ x.T).sum()' --chunks 250 --workers 1"
        let staying = try Tmux(arguments: shortRun, width: 100, height: 30)
        defer { staying.kill() }
        try staying.waitFor("DONE")
        staying.send("t")
        try staying.waitFor("theme: ")
        #expect(staying.capture().contains("DONE"))
        staying.send("q")
        try staying.waitFor("EXIT=0 restored")
        #expect(staying.capture().contains("status       done"))

        let closing = try Tmux(arguments: shortRun + " --close-when-done", width: 100, height: 30)
        defer { closing.kill() }
        try closing.waitFor("EXIT=0 restored")
        #expect(closing.capture().contains("status       done"))
    }

    /// --chunks and the [ ] keys set the blocks of every creation call, overriding chunks=, and
    /// the header says so; without them the expression's chunks= holds.
    @Test func blockSizeControlsOverrideChunksAndSaySo() throws {
        let fixed = "'x = random((4000, 4000), chunks=2000); (x @ x.T).sum()' --workers 1 --refresh 20"
        let overridden = try Tmux(arguments: "run " + fixed + " --chunks 500", width: 120, height: 40)
        defer { overridden.kill() }
        try overridden.waitFor("blocks 500×500 (64) overriding chunks= of 1 call")
        try overridden.waitFor("8×8 blocks")
        overridden.send("q")
        try overridden.waitForScreen("the terminal restored") { $0.contains(#/EXIT=[03] restored/#) }

        let written = try Tmux(arguments: "run " + fixed, width: 120, height: 40)
        defer { written.kill() }
        try written.waitFor("blocks 2000×2000 (4) · tasks")
        written.send("[")
        try written.waitFor("started again with blocks of 1000, overriding chunks= of 1 call")
        try written.waitFor("blocks 1000×1000 (16) overriding chunks= of 1 call")
        try written.waitFor("4×4 blocks")
        written.send("q")
        try written.waitForScreen("the terminal restored") { $0.contains(#/EXIT=[03] restored/#) }
    }

    /// The prompt's editing keys as a terminal sends them, its history across two sessions (in
    /// `$XDG_STATE_HOME/blocktop/history`), and htop's F1 and F10.
    @Test func promptEditingHistoryAndFunctionKeys() throws {
        let state = try TemporaryFolder()
        let environment = Tmux.standardEnvironment + " XDG_STATE_HOME=\(state.path)"
        let first = try Tmux(arguments: Self.longRun, width: 100, height: 30, environment: environment)
        defer { first.kill() }
        try first.waitFor("RUNNING")
        first.send(" ")
        try first.waitFor("PAUSED")
        first.send(":ones((10,10), chunks=5).sum()")
        first.sendKey("Enter")
        try first.waitFor("blocktop  ones((10,10), chunks=5).sum()")
        // A mistake: the caret goes under it.
        first.send(":nosuch(3) + 1")
        first.sendKey("Enter")
        let screen = try first.waitForScreen("the error and its caret") { $0.contains("error: unknown function 'nosuch'") }
        let lines = screen.components(separatedBy: "\n")
        let prompt = try #require(lines.firstIndex { $0.hasPrefix(":nosuch(3) + 1") })
        #expect(lines[prompt - 1].hasPrefix(" error: unknown function 'nosuch'"))
        #expect(lines[prompt + 1] == " ^^^^^^")  // capture-pane leaves out the spaces at the ends of lines
        // Fixed in place: Home, text before it, End, Ctrl-W a word at a time, new text.
        first.sendKey("Home")
        first.send("ones((2,2)).sum() + ")
        try first.waitFor(":ones((2,2)).sum() + nosuch(3) + 1")
        first.sendKey("End")
        for _ in 0..<6 { first.sendKey("C-w") }
        try first.waitForScreen("the call deleted") { $0.contains(":ones((2,2)).sum() + █") }
        first.send("2")
        first.sendKey("Enter")
        try first.waitFor("blocktop  ones((2,2)).sum() + 2")
        try first.waitFor("DONE")
        // Ctrl-A, Ctrl-E, Left and Ctrl-U move and delete as readline's do.
        first.send(":abc")
        first.sendKey("C-a")
        first.send("X")
        first.sendKey("C-e")
        first.send("Y")
        try first.waitFor(":XabcY█")
        first.sendKey("Left")
        first.sendKey("Left")
        first.send("-")
        // The cursor is on the c now (in reverse video), no longer a block after the end.
        try first.waitForScreen("a dash inserted before the c") { $0.contains(":Xab-cY") && !$0.contains(":Xab-cY█") }
        first.sendKey("C-u")
        try first.waitForScreen("the start deleted") { $0.contains(":cY") && !$0.contains("Xab") }
        first.sendKey("Escape")
        // F1 opens help, any key closes it; F10 quits.
        first.sendKey("F1")
        try first.waitFor("this help")
        first.send("x")
        try first.waitForScreen("help closed") { !$0.contains("this help") }
        first.sendKey("F10")
        try first.waitFor("EXIT=0 restored")
        let file = state.file("blocktop/history")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "ones((10,10), chunks=5).sum()\nones((2,2)).sum() + 2\n")

        // The next session: Up recalls the newest first, Down goes back to what was typed.
        let second = try Tmux(arguments: Self.longRun, width: 100, height: 30, environment: environment)
        defer { second.kill() }
        try second.waitFor("RUNNING")
        second.send(" ")
        try second.waitFor("PAUSED")
        second.send(":draft")
        second.sendKey("Up")
        try second.waitFor(":ones((2,2)).sum() + 2█")
        second.sendKey("Up")
        try second.waitFor(":ones((10,10), chunks=5).sum()█")
        second.sendKey("Down")
        try second.waitFor(":ones((2,2)).sum() + 2█")
        second.sendKey("Down")
        try second.waitFor(":draft█")
        second.sendKey("Escape")
        try second.waitFor("q quit")
        second.sendKey("F10")
        try second.waitFor("EXIT=3 restored")
    }

    /// The mouse is on, as in htop: a left click on a block of the grid opens its detail, a click
    /// elsewhere does nothing (no hint either); after q the terminal no longer sends mouse reports.
    @Test func aClickOnABlockOpensItsDetail() throws {
        let tmux = try Tmux(arguments: Self.longRun, width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        #expect(tmux.format("#{mouse_standard_flag}#{mouse_sgr_flag}") == "11")
        tmux.send(" ")
        let screen = try tmux.waitForScreen("the run paused") { $0.contains("PAUSED") }
        let title = try #require(screen.components(separatedBy: "\n").firstIndex { $0.contains("8×8 blocks") })
        // The progress box, right of the grid.
        tmux.click(column: 90, row: title + 1)
        // At 100×30 the grid's cells are 7 characters apart from column 2: block [0, 2] starts at 16.
        tmux.click(column: 17, row: title + 1)
        let detail = try tmux.waitForScreen("the block's detail") { $0.contains("block [0, 2] of ") }
        #expect(detail.contains("operation              state     worker    start     took"))
        #expect(!detail.contains("unknown key"))
        tmux.sendKey("Escape")
        try tmux.waitForScreen("the detail closed") { !$0.contains("block [0, 2] of ") }
        tmux.send("q")
        try tmux.waitFor("EXIT=3 restored")
        #expect(tmux.format("#{mouse_standard_flag}#{mouse_sgr_flag}") == "00")
    }

    /// Irregular chunks end to end: the header counts the 6 blocks, and the grid draws the rows
    /// of blocks 100, 300 and 600 high as cells 1, 5 and 11 lines high.
    @Test func irregularChunksAreDrawnToScale() throws {
        let expression = "x = random((1000, 1000), chunks=((100, 300, 600), (500, 500))); (x + 1).sum()"
        let tmux = try Tmux(arguments: "run '\(expression)' --workers 2", width: 120, height: 40)
        defer { tmux.kill() }
        let screen = try tmux.waitForScreen("the run done") { $0.contains("DONE") }
        #expect(screen.contains("blocks up to 600×500 (6)"))
        let lines = screen.components(separatedBy: "\n")
        let title = try #require(lines.firstIndex { $0.contains("3×2 blocks") })
        // The grid's 80 columns, down to its legend: runs of lines with cells, a blank line between.
        let grid = lines[(title + 1)...].map { String(String.UnicodeScalarView($0.unicodeScalars.prefix(80))) }.prefix { !$0.contains("waiting") }
        let rows = grid.split { !$0.contains("█") }.map(\.count)
        #expect(rows == [1, 5, 11], "\(grid.joined(separator: "\n"))")
        tmux.send("q")
        try tmux.waitFor("EXIT=0 restored")
    }

    @Test(arguments: [("INT", 130), ("TERM", 143), ("HUP", 129)])
    func signalsRestoreTheTerminal(signal: String, status: Int) throws {
        let tmux = try Tmux(arguments: Self.longRun, width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        if signal == "INT" {
            tmux.sendKey("C-c")
        } else {
            try tmux.signalBlocktop(signal)
        }
        try tmux.waitFor("EXIT=\(status) restored")
    }

    /// A crash signal, from a fault or sent by another process, restores the terminal and then
    /// ends blocktop with that signal (128 + n), instead of the handler returning to a dashboard
    /// that goes on.
    @Test(arguments: [("SEGV", 139), ("ABRT", 134), ("BUS", 135)])
    func crashSignalsRestoreTheTerminalAndEndTheProcess(signal: String, status: Int) throws {
        let tmux = try Tmux(arguments: Self.longRun, width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        try tmux.signalBlocktop(signal)
        try tmux.waitFor("EXIT=\(status) restored")
    }
}
