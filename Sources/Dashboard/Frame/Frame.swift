import BlocktopSupport

/// One character cell of a frame.
public struct Cell: Sendable, Hashable {
    public var character: Unicode.Scalar
    public var style: Style

    public init(_ character: Unicode.Scalar, _ style: Style) {
        self.character = character
        self.style = style
    }
}

/// A rectangle of cells, in columns and rows from the frame's top left.
public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The rectangle shrunk by `by` cells on every side.
    public func inset(_ by: Int) -> Rect {
        Rect(x: x + by, y: y + by, width: width - 2 * by, height: height - 2 * by)
    }

    public var isEmpty: Bool { width == 0 || height == 0 }

    /// Whether the cell at (`x`, `y`) lies inside the rectangle.
    public func contains(x: Int, y: Int) -> Bool {
        x >= self.x && x < self.x + width && y >= self.y && y < self.y + height
    }
}

/// A screen's worth of cells in memory: what widgets draw into, what the terminal
/// backend copies to the screen, and what tests read back as lines of text.
///
/// Every cell holds one single-width character; drawing outside the frame is clipped.
public struct Frame: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    /// A frame of spaces in `style`.
    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(" ", style), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Sets one cell, if it is inside the frame. A control character (from an expression, a
    /// file name, an error) is stored as `?`, so no text can drive the terminal.
    public mutating func put(_ character: Unicode.Scalar, x: Int, y: Int, style: Style) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = Cell(character.isTerminalControl ? "?" : character, style)
    }

    /// Writes `text` from (`x`, `y`) rightwards, one scalar per cell, cut at `maxWidth` cells
    /// and at the frame's edge; returns the column after the last cell written.
    @discardableResult
    public mutating func text(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int = .max) -> Int {
        var column = x
        for scalar in text.unicodeScalars {
            guard column - x < maxWidth, column < width else { break }
            put(scalar, x: column, y: y, style: style)
            column += 1
        }
        return column
    }

    /// Fills `rect` with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Unicode.Scalar = " ", style: Style) {
        for row in rect.y..<(rect.y + rect.height) {
            for column in rect.x..<(rect.x + rect.width) {
                put(character, x: column, y: row, style: style)
            }
        }
    }

    /// Row `y` as text, trailing spaces kept.
    public func line(_ y: Int) -> String {
        var result = String.UnicodeScalarView()
        for x in 0..<width { result.append(self[x, y].character) }
        return String(result)
    }

    /// Every row as text, for snapshot tests and plain-text dumps.
    public var lines: [String] { (0..<height).map(line) }
}
