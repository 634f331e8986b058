import Foundation
import Testing
import TestSupport

/// The dashboard in tmux through a direct-colour terminfo entry: the exact theme colours arrive.
@Suite(.enabled(if: Tmux.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/tic")), .serialized)
struct TrueColorTerminalTests {
    /// xterm-256color with ncurses' direct-colour capabilities (as in its xterm+direct), so the
    /// test needs no ncurses-term.
    static let entry = #"""
        xterm-direct|xterm-256color with direct colour (blocktop test),
        	RGB, colors#0x1000000, pairs#0x10000, ccc@, initc@, oc@,
        	setaf=\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
        	setab=\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
        	use=xterm-256color,
        """#

    @Test func truecolorDrawsTheThemesExactColours() throws {
        let scratch = try TemporaryFolder()
        let folder = scratch.url
        let source = folder.appendingPathComponent("xterm-direct.src")
        try (Self.entry + "\n").write(to: source, atomically: true, encoding: .utf8)
        let tic = try Process.run(URL(fileURLWithPath: "/usr/bin/tic"), arguments: ["-x", "-o", folder.path, source.path])
        tic.waitUntilExit()
        try #require(tic.terminationStatus == 0, "tic could not compile the test entry")

        let base = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TERMINFO=\(folder.path)"
        // Default theme: main_bg #15171C, cpu_box #3D79C9, title #F0F2F6.
        let exact = ["48;2;21;23;28", "38;2;61;121;201", "38;2;240;242;246"]
        for (colorterm, truecolor) in [("-u NO_COLOR COLORTERM=truecolor", true), ("-u NO_COLOR COLORTERM=24bit", true),
                                          ("-u NO_COLOR -u COLORTERM", false)] {
            let tmux = try Tmux(arguments: TerminalConditionTests.slowRun, width: 100, height: 30, environment: colorterm + " " + base)
            defer { tmux.kill() }
            try tmux.waitFor("RUNNING")
            tmux.send(" ")
            try tmux.waitFor("PAUSED")
            let screen = tmux.capture(escapes: true)
            for sequence in exact {
                #expect(screen.contains(sequence) == truecolor, "\(colorterm): \(sequence)")
            }
            #expect(screen.contains("\u{1B}[38;5;") != truecolor, "\(colorterm): 256-colour sequences")
            tmux.send("q")
            try tmux.waitFor("EXIT=3 restored")
        }
    }
}
