/// Why the terminal could not be used.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// ncurses could not set up the terminal type named by $TERM.
    case unusableTerminal(term: String)

    public var description: String {
        switch self {
        case .unusableTerminal(let term): "cannot use the terminal: TERM=\(term.isEmpty ? "(unset)" : term) is unknown or not a terminal"
        }
    }
}
