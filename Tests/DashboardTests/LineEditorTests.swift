import CCurses
import Dashboard
import Testing

/// The `:` prompt's line editor, and the keys the terminal's codes decode into.
@Suite struct LineEditorTests {
    /// `text` with the cursor where `|` is.
    func line(_ marked: String) -> PromptLine {
        var line = PromptLine(marked.replacingOccurrences(of: "|", with: ""))
        let cursor = marked.unicodeScalars.firstIndex(of: "|").map { marked.unicodeScalars.distance(from: marked.unicodeScalars.startIndex, to: $0) }
        _ = line.apply(.home)
        for _ in 0..<(cursor ?? line.scalars.count) { _ = line.apply(.right) }
        return line
    }

    /// The line as text with `|` at its cursor.
    func marked(_ line: PromptLine) -> String {
        var scalars = line.scalars
        scalars.insert("|", at: line.cursor)
        return String(String.UnicodeScalarView(scalars))
    }

    func after(_ keys: [Key], on start: String) -> String {
        var edited = line(start)
        for key in keys { _ = edited.apply(key) }
        return marked(edited)
    }

    @Test func typingInsertsAtTheCursor() {
        #expect(after([.character("a"), .character("b")], on: "|") == "ab|")
        #expect(after([.character("+")], on: "x| y") == "x+| y")
        #expect(after([.left, .left, .character("("), .end, .character(")")], on: "sum|") == "s(um)|")
        // Characters beyond ASCII take one cell each, as frames draw them.
        #expect(after([.character("×"), .character("é")], on: "a|b") == "a×é|b")
    }

    @Test func cursorMovesAndStopsAtTheEnds() {
        #expect(after([.left, .left, .left, .left], on: "ab|") == "|ab")
        #expect(after([.right, .right, .right], on: "|ab") == "ab|")
        #expect(after([.home], on: "abc|") == "|abc")
        #expect(after([.end], on: "|abc") == "abc|")
        #expect(after([.control("a")], on: "ab|c") == "|abc")
        #expect(after([.control("e")], on: "a|bc") == "abc|")
        #expect(after([.control("b"), .control("b"), .control("f")], on: "abc|") == "ab|c")
    }

    @Test func deletingBackAndForward() {
        #expect(after([.backspace], on: "ab|c") == "a|c")
        #expect(after([.backspace], on: "|abc") == "|abc")
        #expect(after([.delete], on: "a|bc") == "a|c")
        #expect(after([.delete], on: "abc|") == "abc|")
        #expect(after([.control("d")], on: "|abc") == "|bc")
    }

    @Test func ctrlUDeletesToTheStartAndCtrlKToTheEnd() {
        #expect(after([.control("u")], on: "x = 1; |sum(x)") == "|sum(x)")
        #expect(after([.control("u")], on: "|abc") == "|abc")
        #expect(after([.control("k")], on: "x = 1; |sum(x)") == "x = 1; |")
    }

    /// Ctrl-W deletes the word before the cursor: spaces, then a run of letters, digits and `_`,
    /// or else a run of other characters.
    @Test func ctrlWDeletesTheWordBack() {
        #expect(after([.control("w")], on: "x = random_2|") == "x = |")
        #expect(after([.control("w")], on: "x = random  |") == "x = |")
        #expect(after([.control("w")], on: "x.sum()|") == "x.sum|")
        #expect(after([.control("w"), .control("w")], on: "x.sum()|") == "x.|")
        #expect(after([.control("w")], on: "a + b|c") == "a + |c")
        #expect(after([.control("w")], on: "|abc") == "|abc")
        #expect(after([.control("w")], on: "   |") == "|")
        #expect(after(Array(repeating: .control("w"), count: 9), on: "x = ones(4) * 2|") == "|")
    }

    @Test func keysThatAreNotEditsAreLeftToTheCaller() {
        var edited = line("ab|")
        for key: Key in [.enter, .escape, .up, .down, .tab, .backTab, .function(1), .function(10), .control("x"), .resize] {
            let applied = edited.apply(key)
            #expect(!applied, "\(key)")
        }
        #expect(marked(edited) == "ab|")
    }

    @Test func controlCharactersAreNeverText() {
        #expect(PromptLine("a\u{1B}[31mb\u{9B}c\n").text == "a[31mbc")
        var edited = PromptLine()
        edited.insert("\u{07}")
        edited.insert("\u{85}")
        #expect(edited.isEmpty)
    }

    /// Bytes typed at the terminal: Enter, Backspace, Tab, Escape and Ctrl-letters are keys of their
    /// own; printable characters are text; other control codes are nothing.
    @Test func typedBytesDecodeToKeys() {
        #expect(Key("\r") == .enter && Key("\n") == .enter)
        #expect(Key("\u{7F}") == .backspace && Key("\u{08}") == .backspace)
        #expect(Key("\t") == .tab && Key("\u{1B}") == .escape)
        #expect(Key("\u{01}") == .control("a") && Key("\u{05}") == .control("e"))
        #expect(Key("\u{15}") == .control("u") && Key("\u{17}") == .control("w"))
        #expect(Key("z") == .character("z") && Key("é") == .character("é"))
        #expect(Key("\u{1C}") == nil && Key("\u{9B}") == nil && Key("\u{00}") == nil)
    }

    /// ncurses' key codes (keypad mode) decode to arrows, Home/End, function keys and resize.
    @Test func cursesCodesDecodeToKeys() {
        let codes: [(Int32, Key?)] = [
            (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right), (KEY_HOME, .home), (KEY_END, .end),
            (KEY_F0 + 1, .function(1)), (KEY_F0 + 10, .function(10)), (KEY_F0 + 12, .function(12)),
            (KEY_BACKSPACE, .backspace), (KEY_ENTER, .enter), (KEY_DC, .delete), (KEY_BTAB, .backTab), (KEY_RESIZE, .resize),
            (ERR, nil), (KEY_NPAGE, nil), (KEY_MOUSE, nil),
            (Int32(UInt8(ascii: "q")), .character("q")), (0x17, .control("w")), (0x0D, .enter),
        ]
        for (code, key) in codes { #expect(Key(cursesCode: code) == key, "code \(code)") }
    }

    @Test func functionKeysAreHelpAndQuitAsInHtop() {
        #expect(KeyCommand(.function(1)) == .help)
        #expect(KeyCommand(.function(10)) == .quit)
        #expect(KeyCommand(.character("q")) == .quit)
        #expect(KeyCommand(.function(2)) == nil)
        for key: Key in [.home, .end, .backTab] {
            #expect(KeyCommand(key) == nil)
            #expect(key.isNavigation)
        }
        #expect(KeyCommand(.tab) == .nextStage && Key.tab.isNavigation)
        #expect(KeyCommand(.up) == .moveCursor(rows: -1, columns: 0) && KeyCommand(.right) == .moveCursor(rows: 0, columns: 1))
        #expect(Key.control("x").name == "Ctrl-X" && Key.function(5).name == "F5" && Key.character("z").name == "'z'")
    }
}
