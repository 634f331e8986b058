import BlocktopSupport
import Dashboard
import DashboardModel
import RunVocabulary
import Testing
import Themes

/// The conventions people expect of a terminal monitor: F1 and F10, a hint for a key that does
/// nothing, a footer that keeps its help key, a help screen that explains every glyph, and
/// wording that reads right.
@Suite struct ConventionsTests {
    func session() throws -> (DashboardSession, FakeLauncher) {
        let launcher = FakeLauncher()
        let session = try DashboardSession(launcher: launcher, settings: RunSettings(blockSize: 1000, workers: 2),
                                           view: ViewState(), catalog: ThemeCatalog(folders: []))
        session.refresh()
        return (session, launcher)
    }

    @Test func f1ShowsHelpAndF10Quits() throws {
        let (session, launcher) = try session()
        #expect(session.handle(.function(1)) == .handled(message: nil))
        #expect(session.view.showHelp)
        // Any key closes help, F1 too; F10 and q quit from it.
        _ = session.handle(.function(1))
        #expect(!session.view.showHelp)
        _ = session.handle(.function(1))
        #expect(session.handle(.function(10)) == .quit)
        #expect(launcher.started[0].cancels == 1)
        // At the prompt, F10 closes the prompt (as Escape does) and F1 is no text.
        let (prompting, _) = try self.session()
        _ = prompting.handle(":")
        _ = prompting.handle(.function(1))
        #expect(prompting.view.prompt?.text == "" && !prompting.view.showHelp)
        #expect(prompting.handle(.function(10)) == .handled(message: nil))
        #expect(prompting.view.prompt == nil)
    }

    /// A key that does nothing says so, and how to get help; the keys kept for moving about the
    /// screen (Home, End, Shift-Tab), Enter and Escape make no message; the arrows move the grid's
    /// block cursor and Tab its stage (saying when there is only one).
    @Test func anUnknownKeyShowsAHint() throws {
        let (session, launcher) = try session()
        #expect(session.handle("z") == .handled(message: "unknown key 'z' · h or F1 for help"))
        #expect(session.handle(.function(5)) == .handled(message: "unknown key F5 · h or F1 for help"))
        #expect(session.handle(.control("x")) == .handled(message: "unknown key Ctrl-X · h or F1 for help"))
        for key: Key in [.up, .down, .left, .right, .home, .end, .backTab, .enter, .escape] {
            #expect(session.handle(key) == .handled(message: nil), "\(key)")
        }
        #expect(session.handle(.tab) == .handled(message: "the grid has one stage"))
        // The arrows open a cursor on the first block, move it within the grid, and Esc closes it.
        session.view.cursor = nil
        _ = session.handle(.down)
        #expect(session.view.cursor == 0)
        _ = session.handle(.right)
        _ = session.handle(.down)
        let columns = session.model.run.stages[0].extent.last ?? 1
        #expect(session.view.cursor == columns + 1)
        for _ in 0..<500 { _ = session.handle(.left) }
        #expect(session.view.cursor == columns)
        _ = session.handle(.escape)
        #expect(session.view.cursor == nil)
        #expect(launcher.prepared.count == 1 && launcher.started[0].cancels == 0 && launcher.started[0].pauses == 0)
        // On screen, in the footer.
        session.view.message = "unknown key 'z' · h or F1 for help"
        let footer = DashboardView(model: session.model, state: session.view).render(width: 80, height: 24).line(23)
        #expect(footer == " unknown key 'z' · h or F1 for help" + String(repeating: " ", count: 45))
        // In ASCII the separator is too.
        var ascii = ViewState(glyphs: .ascii)
        ascii.showHelp = false
        let plain = try DashboardSession(launcher: FakeLauncher(), settings: RunSettings(blockSize: 1000, workers: 2), view: ascii,
                                         catalog: ThemeCatalog(folders: []))
        #expect(plain.handle("z") == .handled(message: "unknown key 'z' | h or F1 for help"))
    }

    /// At 80×24 the footer drops the keys of least use first, never `h help`.
    @Test func theFooterKeepsHelpAt80x24() {
        let footer = Fixtures.render(Fixtures.model(), width: 80, height: 24).line(23)
        #expect(footer == " q quit  space pause  c cancel  r rerun  [ ] block size  : expression  h help   ")
        let wide = Fixtures.render(Fixtures.model(), width: 120, height: 40).line(39)
        #expect(wide.hasPrefix(" q quit  space pause  c cancel  r rerun  [ ] block size  + - workers  t theme  : expression  h help  "))
        #expect(wide.hasSuffix("theme: default "))
        // However narrow, help is the last key to go.
        #expect(FooterWidget.keysShown(width: 20, capabilities: .localRun).map(\.key) == ["q", "h"])
        #expect(FooterWidget.keysShown(width: 9, capabilities: .localRun).map(\.key) == ["h"])
    }

    /// Help fits 80×24 whole, lists every key, and explains every glyph in the colours the screen uses.
    @Test func theHelpScreenExplainsEveryGlyph() throws {
        let theme = Theme.standard
        let frame = Fixtures.render(Fixtures.model(), width: 80, height: 24, help: true)
        let lines = frame.lines
        let top = try #require(lines.firstIndex { $0.contains("╭─ help · any key closes it ─") })
        // 20 lines, the most 80×24 holds: none is cut.
        let bottom = top + 21
        #expect(top == 1 && lines[bottom].unicodeScalars.dropFirst(2).starts(with: "╰──".unicodeScalars))
        let inside = lines[(top + 1)..<bottom].map { line -> String in
            let scalars = Array(line.unicodeScalars)
            return String(String.UnicodeScalarView(scalars[4..<76])).replacingOccurrences(of: "  +$", with: "", options: .regularExpression)
        }
        #expect(inside == [
            "q  F10    quit (cancels the run)        h  ?  F1  this help",
            "space     pause / resume                 c         cancel the run",
            "r         run it again                   t         next theme",
            "[  ]      halve / double the block size and run again",
            "+  -      one worker more / fewer        Tab       next grid stage",
            "← → ↑ ↓   or click: a block's tasks, Esc closes; Shift+drag selects text",
            ":         type an expression: Enter runs it, Esc closes the prompt,",
            "          ← → Home End move, ↑ ↓ expressions run before,",
            "          Ctrl-A/E start/end, Ctrl-U delete to start, Ctrl-W a word",
            "process   cpu: 100% is one core busy",
            "          efficiency: cpu / (workers × 100%), at most 100%",
            "cores     █ blocktop's share of the core  ▒ other processes' (last 1s)",
            "          ▂▄▇ under a bar: that core's load over the last seconds",
            "header    'others use N of M CPUs': others take 1/8 of the usable CPUs",
            "blocks    · waiting  ░ ready  ▓ running  ▄ part done  █ done  ✗ failed",
            "          a cell of several blocks: ▂▄▇ how much of them is done",
            "workers   a column per slice of time: ░ ▒ ▓ █ how busy the worker was,",
            "          coloured by the operation that took most of it; CPU% last 1s",
            "operations  each: a bar of its tasks done, done / all, worker time taken",
            "recent runs  block size, workers, time, CPU% and how each run ended",
        ])
        // The glyphs are drawn in the colours they have on screen.
        let cores = top + 12, blocks = top + 15
        let own = try #require(Array(lines[cores].unicodeScalars).firstIndex(of: "█"))
        let others = try #require(Array(lines[cores].unicodeScalars).firstIndex(of: "▒"))
        #expect(frame[own, cores].style.foreground == theme.cpuOwn && frame[others, cores].style.foreground == theme.cpuOthers)
        let failed = try #require(Array(lines[blocks].unicodeScalars).firstIndex(of: "✗"))
        #expect(frame[failed, blocks].style.foreground == theme.barInk.failed)
        // In ASCII too, with its own glyphs and no Unicode.
        let ascii = Fixtures.render(Fixtures.model(), width: 80, height: 24, glyphs: .ascii, help: true)
        let text = ascii.lines.joined(separator: "\n")
        #expect(ascii.cells.allSatisfy { $0.character.isASCII })
        #expect(text.contains(". waiting  o ready  % running  = part done  # done  X failed"))
        #expect(text.contains("Left Right Home End move, Up Down expressions run before,"))
    }

    /// `1 worker`, never `1 workers`, wherever a count of workers is said.
    @Test func oneWorkerIsSingular() throws {
        let lines = Fixtures.render(Fixtures.model(workers: 1), width: 80, height: 24).lines
        #expect(lines.contains { $0.contains("efficiency 100% of 1 worker ") || $0.contains("efficiency 100% of 1 worker│") })
        #expect(!lines.joined().contains("1 workers"))
        let (session, _) = try session()
        #expect(session.handle("-") == .handled(message: "next run: 1 worker (r reruns)"))
    }

    /// Efficiency is at most 100%: the process's CPU counts blocktop's own threads too.
    @Test func efficiencyNeverShowsAbove100Percent() {
        // The fixture's process takes 198% on one worker.
        let model = Fixtures.model(workers: 1)
        #expect(model.efficiency == 1)
        #expect(Fixtures.model(workers: 4).efficiency == 198.0 / 400)
        // A count of workers too long for 80 columns shortens the wording, never the figure.
        let lines = Fixtures.render(Fixtures.model(workers: 16), width: 80, height: 24).lines
        #expect(lines.contains { $0.hasPrefix("│ eff. 12% of 16 workers ") })
    }

    /// Once the run is done nothing is held for tasks: `held 0 B`, not the result's few bytes.
    @Test func heldIsZeroOnceDone() {
        var model = DashboardModel(run: Fixtures.run(rows: 1, columns: 1))
        model.apply(SourceUpdate(time: 1, events: [], state: .running, activeSeconds: 0, bytesHeld: 8_000_000, peakBytesHeld: 9_000_000,
                                 machine: nil))
        #expect(model.bytesHeld == 8_000_000)
        model.apply(SourceUpdate(time: 2, events: [], state: .done, activeSeconds: 1, bytesHeld: 8, peakBytesHeld: 9_000_000,
                                 machine: nil))
        #expect(model.bytesHeld == 0 && model.peakBytesHeld == 9_000_000)
        let text = Fixtures.render(model, width: 80, height: 24).lines.joined(separator: "\n")
        #expect(text.contains("held   0 B  peak 9.0 MB"))
    }

    @Test func systemMemoryIsLabelledSo() {
        let text = Fixtures.render(Fixtures.model(), width: 80, height: 24).lines.joined(separator: "\n")
        #expect(text.contains("│ system memory  4.0 GB / 24 GB  │"))
        #expect(!text.contains("│ memory "))
    }
}
