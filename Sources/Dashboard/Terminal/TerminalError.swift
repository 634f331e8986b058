/// Why the terminal could not be used.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// ncurses could not set up the terminal type named by $TERM.
    case unusableTerminal(term: String)
    /// The terminal type cannot position the cursor (TERM=dumb), so no screen can be drawn.
    case cannotMoveCursor(term: String)

    public var description: String {
        switch self {
        case .unusableTerminal(let term):
            "cannot use the terminal: TERM=\(term.isEmpty ? "(unset)" : term) is unknown or not a terminal; use --headless"
        case .cannotMoveCursor(let term):
            "cannot draw the dashboard: TERM=\(term) cannot move the cursor; use --headless or a terminal such as xterm-256color"
        }
    }
}
