import Foundation
import Testing
import Dashboard

/// COLORTERM=truecolor: which terminfo entries blocktop opens, and what reaches the terminal.
@Suite struct TrueColorChoiceTests {
    static func types(_ environment: [String: String], color: ColorChoice = .auto, noColor: Bool = false) -> [String?] {
        ColorDepth.terminalTypes(environment: environment, color: color, noColor: noColor)
    }

    @Test func colortermAsksForTheDirectColourVariantOfTerm() {
        #expect(Self.types(["TERM": "xterm-256color", "COLORTERM": "truecolor"]) == ["xterm-direct", nil])
        #expect(Self.types(["TERM": "tmux-256color", "COLORTERM": "24bit"]) == ["tmux-direct", nil])
        #expect(Self.types(["TERM": "screen-256color", "COLORTERM": "truecolor", "TMUX": "/tmp/tmux-0/default,1,0"])
                == ["screen-direct", "tmux-direct", nil])
        #expect(Self.types(["TERM": "xterm-256color", "COLORTERM": "truecolor"], color: .always, noColor: true) == ["xterm-direct", nil])
    }

    @Test func otherwiseTermAsItIs() {
        // No or another COLORTERM, an entry that is direct already, no TERM.
        #expect(Self.types(["TERM": "xterm-256color"]) == [nil])
        #expect(Self.types(["TERM": "xterm-256color", "COLORTERM": "yes"]) == [nil])
        #expect(Self.types(["TERM": "xterm-direct", "COLORTERM": "truecolor"]) == [nil])
        #expect(Self.types(["COLORTERM": "truecolor"]) == [nil])
        // NO_COLOR and --color never keep colour off.
        #expect(Self.types(["TERM": "xterm-256color", "COLORTERM": "truecolor"], noColor: true) == [nil])
        #expect(Self.types(["TERM": "xterm-256color", "COLORTERM": "truecolor"], color: .never) == [nil])
    }

    @Test func depthFallsFromTrueColourTo256To8ToNone() {
        #expect(ColorDepth(terminalColors: 1 << 24) == .trueColor)
        #expect(ColorDepth(terminalColors: 256) == .palette256)
        #expect(ColorDepth(terminalColors: 8) == .ansi8)
        #expect(ColorDepth(terminalColors: -1) == ColorDepth.none)
        // A direct entry numbers a colour by its RGB value; 0–7 would be ANSI colours.
        #expect(ColorMapper.number(RGB(0x15, 0x17, 0x1C), depth: .trueColor) == 0x15171C)
        #expect(ColorMapper.number(RGB(grey: 0), depth: .trueColor) == 8)
    }
}

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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blocktop-terminfo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
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
