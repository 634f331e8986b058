import BlocktopSupport

/// The text typed at the `:` prompt and the cursor in it, with readline's basic edits.
///
/// The text is a list of Unicode scalars, one per screen cell, the way frames draw it; the
/// cursor sits between two of them (0: before the first, `count`: after the last).
public struct PromptLine: Sendable, Equatable {
    public private(set) var scalars: [Unicode.Scalar]
    public private(set) var cursor: Int

    /// `text` with the cursor at its end; its control characters are left out.
    public init(_ text: String = "") {
        scalars = text.unicodeScalars.filter { !$0.isTerminalControl }
        cursor = scalars.count
    }

    public var text: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    public var isEmpty: Bool { scalars.isEmpty }

    /// Applies an editing key; returns false for keys that are not edits (Enter, Escape, Up,
    /// Down, function keys…), which the caller handles.
    ///
    /// Characters insert at the cursor; Backspace and Delete remove the scalar before and after
    /// it; Left, Right, Home, End, Ctrl-A and Ctrl-E move it; Ctrl-U deletes to the start, Ctrl-K
    /// to the end, Ctrl-W the word before the cursor.
    public mutating func apply(_ key: Key) -> Bool {
        switch key {
        case .character(let scalar): insert(scalar)
        case .backspace: if cursor > 0 { scalars.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .control("d"): if cursor < scalars.count { scalars.remove(at: cursor) }
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(scalars.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = scalars.count
        case .control("u"):
            scalars.removeSubrange(0..<cursor)
            cursor = 0
        case .control("k"): scalars.removeSubrange(cursor...)
        case .control("w"):
            let start = wordStart(before: cursor)
            scalars.removeSubrange(start..<cursor)
            cursor = start
        default: return false
        }
        return true
    }

    /// Inserts `scalar` at the cursor (a control character is not inserted).
    public mutating func insert(_ scalar: Unicode.Scalar) {
        guard !scalar.isTerminalControl else { return }
        scalars.insert(scalar, at: cursor)
        cursor += 1
    }

    /// Where the word before `position` starts: spaces before it are skipped, then a run of
    /// letters, digits and `_`, or else a run of other characters (`()`, `.`, `**`).
    func wordStart(before position: Int) -> Int {
        var start = position
        while start > 0, scalars[start - 1].properties.isWhitespace { start -= 1 }
        guard start > 0 else { return 0 }
        let word = Self.isWordCharacter(scalars[start - 1])
        while start > 0, !scalars[start - 1].properties.isWhitespace, Self.isWordCharacter(scalars[start - 1]) == word {
            start -= 1
        }
        return start
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

