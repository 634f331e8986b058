/// What a key asks the dashboard to do.
public enum KeyCommand: Equatable, Sendable {
    case quit, togglePause, cancel, rerun, halveBlocks, doubleBlocks, moreWorkers, fewerWorkers, nextTheme, help, prompt
    /// Show the grid's next stage (after the last, follow the work again).
    case nextStage

    /// The command of `key`; nil for keys that do nothing.
    public init?(key: Unicode.Scalar) {
        switch key {
        case "q", "Q": self = .quit
        case " ": self = .togglePause
        case "c": self = .cancel
        case "r": self = .rerun
        case "[": self = .halveBlocks
        case "]": self = .doubleBlocks
        case "+", "=": self = .moreWorkers
        case "-", "_": self = .fewerWorkers
        case "t": self = .nextTheme
        case "h", "?": self = .help
        case ":": self = .prompt
        case "\t": self = .nextStage
        default: return nil
        }
    }
}
