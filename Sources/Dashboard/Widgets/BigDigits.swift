/// Digits and "%" three rows tall, drawn with half blocks from a 3×5 pixel font.
enum BigDigits {
    /// Each glyph's five pixel rows, three bits each (leftmost pixel is the high bit).
    private static let font: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7],
        "4": [5, 5, 7, 1, 1], "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 1, 1],
        "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7], "%": [5, 1, 2, 4, 5], "-": [0, 0, 7, 0, 0],
    ]

    /// Draws `text` at (`x`, `y`); returns the width used (four columns a glyph, less the last gap).
    static func draw(_ text: String, into frame: inout Frame, x: Int, y: Int, style: Style, glyphs: Glyphs) -> Int {
        let ascii = glyphs == .ascii
        var column = x
        for character in text {
            guard let rows = font[character] else { continue }
            for charRow in 0..<3 {
                let top = rows[2 * charRow], bottom = charRow < 2 ? rows[2 * charRow + 1] : 0
                for bit in 0..<3 {
                    let mask = UInt8(4 >> bit)
                    let glyph: Unicode.Scalar = switch (top & mask != 0, bottom & mask != 0) {
                    case (true, true): ascii ? "#" : "█"
                    case (true, false): ascii ? "\"" : "▀"
                    case (false, true): ascii ? "_" : "▄"
                    case (false, false): " "
                    }
                    frame.put(glyph, x: column + bit, y: y + charRow, style: style)
                }
            }
            column += 4
        }
        return max(0, column - x - 1)
    }
}
