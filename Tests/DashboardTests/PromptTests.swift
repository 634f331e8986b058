import BlocktopSupport
import Dashboard
import DashboardModel
import RunVocabulary
import Testing
import Themes

/// A source that reports a fixed run and counts what the dashboard asks of it.
final class FakeSource: DashboardSource {
    let run: RunDescription
    var state = RunState.running
    var pauses = 0, cancels = 0
    var time: UInt64 = 0

    init(title: String, blockSize: Int, workers: Int) {
        var run = Fixtures.run(rows: 4, columns: 4, workers: workers)
        run.title = title
        run.blockShape = [blockSize, blockSize]
        self.run = run
    }

    func poll() -> SourceUpdate {
        time += 1_000_000_000
        return SourceUpdate(time: time, events: [], state: state, activeSeconds: Double(time) / 1e9, bytesHeld: 0, peakBytesHeld: 0,
                            machine: Fixtures.machine(cores: 2, workers: run.workerCount, processCPU: 150))
    }

    func pause() { pauses += 1 }
    func resume() {}
    var capabilities: SourceCapabilities { .localRun }
    func refusal(of capability: SourceCapabilities) -> String { SourceCapabilities.standardRefusal(of: capability) }
    func cancel() {
        cancels += 1
        if !state.isFinal { state = .cancelled }
    }
}

/// A launcher whose expressions containing "bad" do not build (with a three-line error, as
/// expression errors have), nor those calling "nosuch"; every run it starts is kept.
final class FakeLauncher: RunLauncher {
    struct BadExpression: Error, CustomStringConvertible {
        let text: String
        var description: String { "unknown name 'bad'\u{1B}[31m\n  \(text)\n  ^" }
    }

    var prepared: [RunSettings] = []
    var started: [FakeSource] = []

    /// Expressions with a call to `nosuch` do not build either: an `ExpressionProblem` whose
    /// range is the name, as the expression language reports it (character offsets).
    func prepare(_ settings: RunSettings) throws -> PreparedRun {
        prepared.append(settings)
        if let text = settings.expression, text.contains("bad") { throw BadExpression(text: text) }
        if let text = settings.expression, let found = text.range(of: "nosuch") {
            let start = text.distance(from: text.startIndex, to: found.lowerBound)
            throw ExpressionProblem(message: "unknown function 'nosuch'", range: start..<(start + 6),
                                    description: "unknown function 'nosuch'\n  \(text)\n  ^^^^^^")
        }
        return PreparedRun { [self] in
            let source = FakeSource(title: settings.expression ?? "(x @ x.T).sum()", blockSize: settings.blockSize ?? 1000,
                                    workers: settings.workers)
            started.append(source)
            return source
        }
    }
}

@Suite struct PromptTests {
    func session(history: PromptHistoryFile? = nil) throws -> (DashboardSession, FakeLauncher) {
        let launcher = FakeLauncher()
        let session = try DashboardSession(launcher: launcher, settings: RunSettings(blockSize: 1000, workers: 2),
                                           view: ViewState(), catalog: ThemeCatalog(folders: []), historyFile: history)
        session.refresh()
        return (session, launcher)
    }

    func type(_ text: String, into session: DashboardSession) {
        for key in text.unicodeScalars { _ = session.handle(key) }
    }

    func footer(_ session: DashboardSession, width: Int = 80, height: Int = 24) -> String {
        DashboardView(model: session.model, state: session.view).render(width: width, height: height).lines[height - 1]
    }

    @Test func colonOpensThePromptAndKeysAreText() throws {
        let (session, launcher) = try session()
        #expect(KeyCommand(key: ":") == .prompt)
        #expect(session.handle(":") == .handled(message: nil))
        #expect(session.view.prompt?.text == "")
        #expect(footer(session).hasPrefix(":█ "))
        // q, space, c, r, [ and h are text here, not commands.
        for key in "q c[r]h".unicodeScalars { #expect(session.handle(key) == .handled(message: nil)) }
        #expect(session.view.prompt?.text == "q c[r]h")
        #expect(launcher.started[0].pauses == 0 && launcher.started[0].cancels == 0 && launcher.prepared.count == 1)
        #expect(!session.view.showHelp)
        #expect(footer(session) == ":q c[r]h█" + String(repeating: " ", count: 71))
        // Function keys, control characters and C1 codes are not typed (Ctrl-A moves the cursor).
        for key: Key in [.function(1), .function(5), .tab, .control("a"), .control("x")] { _ = session.handle(key) }
        _ = session.handle("\u{9B}")
        #expect(session.view.prompt?.text == "q c[r]h")
        #expect(!session.view.showHelp)
    }

    @Test func backspaceDeletesAndEscapeCancels() throws {
        let (session, launcher) = try session()
        type(":ab", into: session)
        _ = session.handle("\u{7F}")
        #expect(session.view.prompt?.text == "a")
        _ = session.handle("\u{08}")
        _ = session.handle("\u{7F}")  // nothing left to delete
        #expect(session.view.prompt?.text == "")
        type("xyz", into: session)
        _ = session.handle("\u{1B}")
        #expect(session.view.prompt == nil)
        #expect(footer(session).hasPrefix(" q quit  space pause"))
        #expect(launcher.prepared.count == 1)
        // Closed again, keys are commands: q quits.
        #expect(session.handle("q") == .quit)
    }

    @Test func aLongExpressionKeepsItsEndInView() throws {
        let (session, _) = try session()
        type(":" + String(repeating: "x", count: 100) + "END", into: session)
        let line = footer(session)
        // The start is out of view, and says so.
        #expect(line.hasPrefix(":…xxx"))
        #expect(line.hasSuffix("END█ "))
        // Home shows the start, the cursor on the first x, and the end out of view.
        _ = session.handle(.home)
        let start = DashboardView(model: session.model, state: session.view).render(width: 80, height: 24)
        #expect(start.line(23).hasPrefix(":xxx"))
        #expect(start.line(23).hasSuffix("x… "))
        #expect(start[1, 23].style.reverse && start[1, 23].character == "x")
        #expect(!start[2, 23].style.reverse)
    }

    @Test func aBadExpressionShowsItsErrorAndKeepsTheRunAndTheText() throws {
        let (session, launcher) = try session()
        type(":bad + 1", into: session)
        let result = session.handle("\r")
        #expect(result == .handled(message: nil))
        // The prompt stays open with the text, for fixing; the error has no place in it (not an ExpressionProblem).
        #expect(session.view.prompt?.text == "bad + 1")
        #expect(session.view.promptError == PromptError(message: "unknown name 'bad'\u{1B}[31m"))
        #expect(launcher.prepared.last?.expression == "bad + 1")
        #expect(launcher.started.count == 1)
        #expect(launcher.started[0].cancels == 0)
        #expect(session.model.state == .running && session.model.run.title == "(x @ x.T).sum()")
        #expect(session.settings.expression == nil)
        let lines = DashboardView(model: session.model, state: session.view).render(width: 120, height: 40).lines
        #expect(lines[37].hasPrefix(" error: unknown name 'bad'?[31m   "))
        #expect(lines[38].hasPrefix(":bad + 1█   "))
        #expect(lines[39] == String(repeating: " ", count: 120))
        // Fixing it clears the error; the fixed expression runs.
        _ = session.handle(.control("w"))
        #expect(session.view.prompt?.text == "bad + ")
        #expect(session.view.promptError == nil)
        _ = session.handle(.control("u"))
        type("ones(4).sum()\r", into: session)
        #expect(session.view.prompt == nil)
        #expect(session.model.run.title == "ones(4).sum()")
    }

    /// The error of an expression that does not build goes above the prompt, its caret under
    /// the mistake in the typed text (spaces typed before the expression count), at 80×24.
    @Test func anErrorsCaretGoesUnderTheMistake() throws {
        let (session, launcher) = try session()
        type(":  x = 1; nosuch(3) + x", into: session)
        _ = session.handle(.enter)
        #expect(launcher.prepared.last?.expression == "x = 1; nosuch(3) + x")
        #expect(session.view.promptError == PromptError(message: "unknown function 'nosuch'", range: 9..<15))
        let frame = DashboardView(model: session.model, state: session.view).render(width: 80, height: 24)
        let lines = frame.lines
        #expect(lines[21] == " error: unknown function 'nosuch'" + String(repeating: " ", count: 47))
        #expect(lines[22] == ":  x = 1; nosuch(3) + x█" + String(repeating: " ", count: 56))
        #expect(lines[23] == "          ^^^^^^" + String(repeating: " ", count: 64))
        let theme = Theme.standard
        #expect(frame[1, 21].style.foreground == theme.ink.failed && frame[10, 23].style.foreground == theme.ink.failed)
        #expect(frame[23, 22].style == Style(foreground: theme.ink.highlight, background: theme.background))
        // The rest of the screen is the dashboard's.
        #expect(lines[0].hasPrefix(" blocktop  (x @ x.T).sum()"))
        // Moving the cursor keeps the caret; Escape closes the prompt and the error.
        _ = session.handle(.left)
        #expect(session.view.promptError != nil)
        _ = session.handle(.escape)
        #expect(session.view.prompt == nil && session.view.promptError == nil)
        #expect(footer(session).hasPrefix(" q quit"))
    }

    /// A caret that falls out of the prompt's view says where the mistake is.
    @Test func anErrorOutOfViewSaysItsColumn() throws {
        let (session, _) = try session()
        type(":nosuch(1) + " + String(repeating: "1 + ", count: 30) + "1", into: session)
        _ = session.handle(.enter)
        let lines = DashboardView(model: session.model, state: session.view).render(width: 80, height: 24).lines
        #expect(lines[21].hasPrefix(" error: unknown function 'nosuch' (at column 1, out of view)"))
        #expect(!lines[23].contains("^"))
        _ = session.handle(.home)
        let home = DashboardView(model: session.model, state: session.view).render(width: 80, height: 24).lines
        #expect(home[23].hasPrefix(" ^^^^^^ "))
        #expect(home[21] == " error: unknown function 'nosuch'" + String(repeating: " ", count: 47))
    }

    @Test func aGoodExpressionReplacesTheRun() throws {
        let (session, launcher) = try session()
        let text = "ones((10,10), chunks=5).sum()"
        type(":  \(text) ", into: session)
        #expect(session.handle("\r") == .handled(message: "running \(text)"))
        #expect(launcher.started.count == 2)
        #expect(launcher.started[0].cancels == 1)
        #expect(launcher.prepared.last == RunSettings(blockSize: 1000, workers: 2, expression: text))
        #expect(session.settings.expression == text)
        session.refresh()
        let lines = DashboardView(model: session.model, state: session.view).render(width: 120, height: 40).lines
        #expect(lines[0].hasPrefix(" blocktop  \(text)"))
        #expect(session.view.recentRuns.map(\.state) == [.cancelled])
        // Reruns and block-size keys keep the new expression.
        _ = session.handle("[")
        #expect(launcher.prepared.last == RunSettings(blockSize: 500, workers: 2, expression: text))
        #expect(session.model.run.title == text)
        // An empty prompt does nothing.
        type(":  ", into: session)
        #expect(session.handle("\r") == .handled(message: nil))
        #expect(launcher.started.count == 3)
    }

    @Test func aFinishedRunIsReplacedWithoutCancel() throws {
        let (session, launcher) = try session()
        launcher.started[0].state = .done
        session.refresh()
        #expect(session.view.recentRuns.map(\.state) == [.done])
        session.refresh()
        #expect(session.view.recentRuns.count == 1)
        type(":ones(4).sum()\r", into: session)
        #expect(launcher.started[0].cancels == 0)
        #expect(session.view.recentRuns.count == 1)
        #expect(session.model.run.title == "ones(4).sum()")
    }

    @Test func firstLineOfAnError() {
        #expect(DashboardSession.firstLine(of: FakeLauncher.BadExpression(text: "x")) == "unknown name 'bad'\u{1B}[31m")
    }

    /// Error messages reach the screen with their control characters as `?`.
    @Test func anErrorsControlCharactersNeverReachTheScreen() throws {
        let (session, _) = try session()
        type(":bad", into: session)
        _ = session.handle("\r")
        #expect(session.view.promptError?.message == "unknown name 'bad'\u{1B}[31m")
        let frame = DashboardView(model: session.model, state: session.view).render(width: 120, height: 40)
        #expect(frame.line(37).contains("unknown name 'bad'?[31m"))
        #expect(frame.cells.allSatisfy { !$0.character.isTerminalControl })
    }

    /// Any text a frame is given (titles, theme and file names) is stored without control characters.
    @Test func framesStoreControlCharactersAsQuestionMarks() {
        var frame = Frame(width: 40, height: 1)
        frame.text("a\u{1B}]0;title\u{07}b\u{9B}c\u{7F}\n", x: 0, y: 0, style: Style())
        #expect(frame.line(0).hasPrefix("a?]0;title?b?c??"))
    }}

@Suite struct RecentRunsTests {
    static let runs = [
        RecentRun(title: "(x @ x.T).sum()", blockShape: [250, 250], workers: 2, seconds: 21.43, cpuPercent: 141.6, state: .done),
        RecentRun(title: "(x @ x.T).sum()", blockShape: [500, 500], workers: 2, seconds: 12.0, cpuPercent: 190.2, state: .done),
        RecentRun(title: "(x @ x.T).sum()", blockShape: [1000, 1000], workers: 2, seconds: 3.1, cpuPercent: nil, state: .cancelled),
    ]

    func render(width: Int, height: Int, runs: [RecentRun]) -> [String] {
        var state = ViewState()
        state.recentRuns = runs
        return DashboardView(model: Fixtures.model(), state: state).render(width: width, height: height).lines
    }

    @Test func panelListsTheRunsAt120x40() throws {
        let lines = render(width: 120, height: 40, runs: Self.runs)
        let layout = try #require(DashboardLayout(width: 120, height: 40, cores: 2, workers: 2, recentRuns: 3, operations: 2))
        let panel = try #require(layout.runs)
        #expect(panel.x == layout.progress.x && panel.y == layout.progress.y + layout.progress.height)
        #expect(layout.progress.height >= 11)
        let column = panel.x
        func row(_ y: Int) -> String {
            String(String.UnicodeScalarView(Array(lines[y].unicodeScalars)[column..<(column + panel.width)]))
        }
        #expect(row(panel.y).hasPrefix("╭─ recent runs ─"))
        #expect(row(panel.y + 1) == "│ block   wk     time   cpu  status    │")
        #expect(row(panel.y + 2) == "│ 250      2    21.4s  142%  done      │")
        #expect(row(panel.y + 3) == "│ 500      2    12.0s  190%  done      │")
        #expect(row(panel.y + 4) == "│ 1000     2     3.1s    --  cancelled │")
        // Under it, the operations: each one's tasks done of its total and the worker time they took.
        let operations = try #require(layout.operations)
        #expect(operations.y == panel.y + panel.height && operations.height == 4)
        #expect(row(operations.y).hasPrefix("╭─ operations · done · worker time ─"))
        #expect(row(operations.y + 1) == "│ █ random ████───────── 33/100   0.2s │")
        #expect(row(operations.y + 2) == "│ █ matmul ████───────── 33/100   0.2s │")
        // The progress box keeps all its lines.
        let text = lines.joined(separator: "\n")
        #expect(text.contains("system memory  4.0 GB / 24 GB"))
    }

    @Test func noPanelWithoutRunsOrRoom() {
        #expect(DashboardLayout(width: 120, height: 40, cores: 2, workers: 2)?.runs == nil)
        #expect(DashboardLayout(width: 80, height: 24, cores: 2, workers: 2, recentRuns: 3)?.runs == nil)
        // At 80×24 the screen is the same with and without recent runs.
        #expect(render(width: 80, height: 24, runs: Self.runs) == render(width: 80, height: 24, runs: []))
        #expect(!render(width: 120, height: 40, runs: []).joined().contains("recent runs"))
    }

    @Test func recentRunFromAModel() {
        let running = RecentRun(Fixtures.model())
        #expect(running.state == .cancelled && running.blockShape == [1000, 1000] && running.workers == 2)
        #expect(running.cpuPercent == 198)
        let done = RecentRun(Fixtures.model(state: .done))
        #expect(done.state == .done)
    }
}
