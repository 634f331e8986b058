import Foundation

/// The characters widgets draw with: UTF-8 block and box glyphs, or an ASCII fallback
/// for terminals whose locale is not UTF-8.
public struct Glyphs: Sendable, Equatable {
    /// Box corners and edges: top left, top right, bottom left, bottom right, horizontal, vertical.
    public let boxTopLeft, boxTopRight, boxBottomLeft, boxBottomRight, boxHorizontal, boxVertical: Unicode.Scalar
    /// Levels from empty to full, for sparklines, mini core bars and partly done blocks.
    public let levels: [Unicode.Scalar]
    /// A full cell (bars, running and done blocks, busy lanes).
    public let full: Unicode.Scalar
    /// A block that waits for its inputs, one that is ready, one that failed.
    public let waiting, ready, failed: Unicode.Scalar
    /// A block being computed.
    public let running: Unicode.Scalar
    /// Other processes' share of a core bar (blocktop's is `full`).
    public let others: Unicode.Scalar
    /// Light to dense shades, for how busy a worker was in a lane column.
    public let shades: [Unicode.Scalar]
    /// The multiplication sign of shapes (10000×10000), and the separator of header items.
    public let times, separator: Unicode.Scalar

    /// Adopts the user's locale (ncursesw needs it to write UTF-8): Unicode glyphs when it is
    /// UTF-8, else ASCII.
    public static func adoptingLocale() -> Glyphs {
        setlocale(LC_ALL, "")
        return String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8" ? .unicode : .ascii
    }

    public static let unicode = Glyphs(
        boxTopLeft: "╭", boxTopRight: "╮", boxBottomLeft: "╰", boxBottomRight: "╯",
        boxHorizontal: "─", boxVertical: "│",
        levels: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        full: "█", waiting: "·", ready: "░", failed: "✗", running: "▓", others: "▒",
        shades: [" ", "░", "▒", "▓", "█"], times: "×", separator: "·")

    public static let ascii = Glyphs(
        boxTopLeft: "+", boxTopRight: "+", boxBottomLeft: "+", boxBottomRight: "+",
        boxHorizontal: "-", boxVertical: "|",
        levels: [" ", ".", ":", "-", "=", "+", "*", "#", "@"],
        full: "#", waiting: ".", ready: "o", failed: "X", running: "%", others: "=",
        shades: [" ", ".", "-", "=", "#"], times: "x", separator: "|")

    /// The shade for a busy fraction (0…1); any positive fraction shows at least the lightest.
    public func shade(_ fraction: Double) -> Unicode.Scalar {
        let top = shades.count - 1
        guard fraction.isFinite, fraction > 0 else { return shades[0] }
        return shades[max(1, min(top, Int((fraction * Double(top)).rounded())))]
    }

    /// The level glyph for `fraction` (clamped to 0…1); any positive fraction shows at least the lowest mark.
    public func level(_ fraction: Double) -> Unicode.Scalar {
        let top = levels.count - 1
        guard fraction.isFinite, fraction > 0 else { return levels[0] }
        return levels[max(1, min(top, Int((fraction * Double(top)).rounded())))]
    }
}
