import Dashboard
import Foundation
import Testing
import Themes

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
