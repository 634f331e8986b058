import DashboardModel

/// What a key asks the dashboard to do.
public enum KeyCommand: Equatable, Sendable {
    case quit, togglePause, cancel, rerun, halveBlocks, doubleBlocks, moreWorkers, fewerWorkers, nextTheme, help, prompt
    /// Show the grid's next stage (after the last, follow the work again).
    case nextStage
    /// Move the grid's cursor by rows and columns of blocks (opening it on the first block),
    /// and show that block's detail.
    case moveCursor(rows: Int, columns: Int)
    /// Put the grid's cursor on the block drawn at a screen cell (a mouse click) and show its
    /// detail; nothing when no block is drawn there.
    case selectBlock(column: Int, row: Int)
    /// Close the block detail.
    case closeDetail

    /// The command of `key`; nil for keys that do nothing. F1 is help and F10 quit, as in htop.
    public init?(_ key: Key) {
        switch key {
        case .character(let scalar): self.init(key: scalar)
        case .function(1): self = .help
        case .function(10): self = .quit
        case .tab: self = .nextStage
        case .up: self = .moveCursor(rows: -1, columns: 0)
        case .down: self = .moveCursor(rows: 1, columns: 0)
        case .left: self = .moveCursor(rows: 0, columns: -1)
        case .right: self = .moveCursor(rows: 0, columns: 1)
        case .escape: self = .closeDetail
        case .click(let column, let row): self = .selectBlock(column: column, row: row)
        default: return nil
        }
    }

    /// What the run's source must be able to do for the command to do anything.
    public var needs: SourceCapabilities {
        switch self {
        case .togglePause: .pause
        case .cancel: .cancel
        case .rerun, .halveBlocks, .doubleBlocks, .moreWorkers, .fewerWorkers, .prompt: .newRuns
        default: []
        }
    }

    /// The command of the character `key`; nil for characters that do nothing.
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
        default: return nil
        }
    }
}
