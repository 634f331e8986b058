import BlocktopSupport

/// One decoded key press (or the terminal's resize, or a mouse click), free of ncurses' key codes.
///
/// Text is `character`; keys that edit or move are cases of their own, so that the `:` prompt
/// never takes them as text, and arrows and Tab can drive a cursor elsewhere when it is closed.
public enum Key: Hashable, Sendable {
    /// A printable character (never a control character).
    case character(Unicode.Scalar)
    /// Ctrl with a letter: `.control("a")` is Ctrl-A (byte 0x01).
    case control(Unicode.Scalar)
    case enter, escape, backspace, tab
    /// Delete (forward), and Shift-Tab.
    case delete, backTab
    case up, down, left, right, home, end
    /// Function key F`n` (F1 is `.function(1)`).
    case function(Int)
    /// The terminal changed size.
    case resize
    /// The left mouse button pressed at a screen cell (0-based, from the top-left corner).
    case click(column: Int, row: Int)

    /// The key a byte (or a character) typed at the terminal stands for: Enter for CR and LF,
    /// Backspace for DEL and Ctrl-H, Tab, Escape, Ctrl-letter for the other C0 codes; nil for the
    /// C0 codes without a letter and for C1 codes.
    public init?(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x0D, 0x0A: self = .enter
        case 0x7F, 0x08: self = .backspace
        case 0x09: self = .tab
        case 0x1B: self = .escape
        case 0x01...0x1A: self = .control(Unicode.Scalar(UInt8(scalar.value) + 0x60))
        default:
            guard !scalar.isTerminalControl else { return nil }
            self = .character(scalar)
        }
    }

    /// How the key reads in a hint: `'z'`, `Ctrl-X`, `F5`, `Enter`.
    public var name: String {
        switch self {
        case .character(let scalar): "'\(scalar)'"
        case .control(let letter): "Ctrl-" + String(letter).uppercased()
        case .enter: "Enter"
        case .escape: "Escape"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .delete: "Delete"
        case .backTab: "Shift-Tab"
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .home: "Home"
        case .end: "End"
        case .function(let number): "F\(number)"
        case .resize: "resize"
        case .click: "click"
        }
    }

    /// Keys kept for moving about the screen (arrows, Home/End, Tab): with the prompt closed
    /// they do nothing yet, and are never "unknown".
    public var isNavigation: Bool {
        switch self {
        case .up, .down, .left, .right, .home, .end, .tab, .backTab: true
        default: false
        }
    }
}
