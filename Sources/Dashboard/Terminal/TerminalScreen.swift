import CCurses
import Glibc

/// The ncurses screen: the only code in blocktop that calls ncurses.
///
/// It copies frames to the terminal, sending only the cells that changed since the
/// previous frame, and reads keys with a timeout (the refresh tick), decoded into `Key`s,
/// left-button clicks included.
final class TerminalScreen {
    let depth: ColorDepth
    private let screen: OpaquePointer
    private var previous: Frame?
    private var pairs: [Int64: Int32] = [:]
    private var nextPair: Int32 = 1
    private var closed = false

    /// Takes over the terminal on stdin/stdout in cbreak mode, without echo, cursor hidden, left
    /// clicks reported when the terminal can (as htop: Shift then selects text in most terminals);
    /// with COLORTERM=truecolor (or 24bit), through $TERM's direct-colour entry when there is one.
    init(color: ColorChoice, noColor: Bool) throws(TerminalError) {
        var environment: [String: String] = [:]
        for name in ["TERM", "COLORTERM", "TMUX"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        let output = fdopen(STDOUT_FILENO, "w"), input = fdopen(STDIN_FILENO, "r")
        var opened: OpaquePointer?
        for type in ColorDepth.terminalTypes(environment: environment, color: color, noColor: noColor) where opened == nil {
            // newterm gives nil, and prints nothing, for a terminal type terminfo does not know.
            opened = newterm(type, output, input)
        }
        guard let screen = opened else {
            throw .unusableTerminal(term: Self.term)
        }
        guard bt_can_move_cursor() else {
            endwin()
            delscreen(screen)
            throw .cannotMoveCursor(term: Self.term)
        }
        self.screen = screen
        cbreak()
        noecho()
        nonl()
        keypad(bt_stdscr(), true)
        // 0 when the terminal has no mouse (no kmous in terminfo): then no click ever comes.
        let mouse = mousemask(bt_button1_press_events(), nil) != 0
        Self.defineAlternativeKeys()
        // Escape closes the `:` prompt: wait 25 ms, not ncurses' default second, for the rest of a sequence.
        set_escdelay(25)
        curs_set(0)
        var terminal = ColorDepth.none
        if has_colors() {
            start_color()
            use_default_colors()
            terminal = ColorDepth(terminalColors: Int(bt_colors()))
        }
        depth = color.depth(terminal: terminal, noColor: noColor)
        TerminalRestorer.shared.captureResetSequence(mouse: mouse)
    }

    /// $TERM, or "" when it is unset.
    private static var term: String { getenv("TERM").map { String(cString: $0) } ?? "" }

    deinit {
        close()
    }

    /// The screen's size in columns and rows.
    var size: (width: Int, height: Int) {
        var rows: Int32 = 0, columns: Int32 = 0
        bt_getmaxyx(bt_stdscr(), &rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// Shows `frame`, writing only the runs of cells that differ from the last frame shown.
    func draw(_ frame: Frame) {
        let window = bt_stdscr()
        if previous?.width != frame.width || previous?.height != frame.height {
            wclear(window)
            previous = nil
        }
        var run = String.UnicodeScalarView()
        for y in 0..<frame.height {
            var x = 0
            while x < frame.width {
                let cell = frame[x, y]
                if let previous, previous[x, y] == cell {
                    x += 1
                    continue
                }
                // A run of changed cells in one style.
                let start = x
                run.removeAll(keepingCapacity: true)
                while x < frame.width, frame[x, y].style == cell.style, previous.map({ $0[x, y] != frame[x, y] }) ?? true {
                    run.append(frame[x, y].character)
                    x += 1
                }
                apply(cell.style)
                wmove(window, Int32(y), Int32(start))
                waddnstr(window, String(run), -1)
            }
        }
        wrefresh(window)
        previous = frame
    }

    /// Forgets what is on screen, so the next `draw` repaints everything (after a resize).
    func invalidate() {
        previous = nil
    }

    /// The next key, waiting at most `milliseconds`; nil when none came (or a signal interrupted
    /// the wait), or for a key blocktop has no use for (Page Up, a mouse event other than a left click…).
    func read(timeout milliseconds: Int) -> Key? {
        wtimeout(bt_stdscr(), Int32(max(0, min(milliseconds, Int(Int32.max)))))
        // wget_wch decodes the locale's multi-byte characters (UTF-8) that wgetch gives byte by byte.
        var code: wint_t = 0
        switch wget_wch(bt_stdscr(), &code) {
        case KEY_CODE_YES where Int32(bitPattern: code) == KEY_MOUSE: return readClick()
        case KEY_CODE_YES: return Key(cursesCode: Int32(bitPattern: code))
        case OK: return Unicode.Scalar(UInt32(code)).flatMap(Key.init)
        default: return nil
        }
    }

    /// The left click ncurses has just announced (KEY_MOUSE), at its screen cell; nil for other
    /// mouse events.
    private func readClick() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK, event.bstate & bt_button1_press_events() != 0 else { return nil }
        return .click(column: Int(event.x), row: Int(event.y))
    }

    /// Home and End as terminals other than $TERM's entry send them (tmux sends `ESC [1~` and
    /// `ESC [4~` whatever TERM says; rxvt `ESC [7~` and `ESC [8~`), so both keys work everywhere.
    private static func defineAlternativeKeys() {
        for (sequence, code) in [("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
                                 ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END)]
        where key_defined(sequence) == 0 {
            define_key(sequence, code)
        }
    }

    /// Gives the terminal back: normal mode, cursor shown, screen as before. Safe to call twice.
    func close() {
        guard !closed else { return }
        closed = true
        endwin()
        delscreen(screen)
    }

    private func apply(_ style: Style) {
        var attributes: attr_t = (style.bold ? bt_a_bold() : 0) | (style.reverse ? bt_a_reverse() : 0)
        var pair: Int32 = 0
        if depth != .none {
            var foreground = ColorMapper.number(style.foreground, depth: depth)
            let background = ColorMapper.number(style.background, depth: depth)
            if depth == .ansi8, foreground == background, foreground >= 0 {
                // Eight colours merge dark shades into the background: keep text visible.
                foreground = [0, 1, 4, 5].contains(background) ? 7 : 0
                attributes |= bt_a_bold()
            }
            pair = self.pair(foreground, background)
        }
        wattr_set(bt_stdscr(), attributes, 0, &pair)
    }

    /// The colour pair for a foreground and background, made on first use; when the terminal's
    /// pairs run out they are all given back and made again.
    private func pair(_ foreground: Int32, _ background: Int32) -> Int32 {
        let key = Int64(foreground) << 32 | Int64(UInt32(bitPattern: background))
        if let pair = pairs[key] { return pair }
        if nextPair >= bt_color_pairs() {
            pairs.removeAll()
            nextPair = 1
            previous = nil
        }
        let pair = nextPair
        nextPair += 1
        init_extended_pair(pair, foreground, background)
        pairs[key] = pair
        return pair
    }
}

extension Key {
    /// The key of a code `wgetch` returned: a character (below `KEY_MIN`) or one of ncurses'
    /// `KEY_*` codes (what `wget_wch` gives with `KEY_CODE_YES`); nil for `ERR` and for the codes
    /// blocktop has no key for.
    package init?(cursesCode code: Int32) {
        switch code {
        case KEY_RESIZE: self = .resize
        case KEY_BACKSPACE: self = .backspace
        case KEY_ENTER: self = .enter
        case KEY_DC: self = .delete
        case KEY_UP: self = .up
        case KEY_DOWN: self = .down
        case KEY_LEFT: self = .left
        case KEY_RIGHT: self = .right
        case KEY_HOME: self = .home
        case KEY_END: self = .end
        case KEY_BTAB: self = .backTab
        // KEY_F(n) is KEY_F0 + n, for F1 to F63.
        case (KEY_F0 + 1)...(KEY_F0 + 63): self = .function(Int(code - KEY_F0))
        case 0..<min(KEY_MIN, 0x110000):
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            self.init(scalar)
        default: return nil
        }
    }
}
