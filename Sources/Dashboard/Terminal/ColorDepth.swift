import Themes

/// How many colours the terminal shows, best first.
public enum ColorDepth: String, Sendable, CaseIterable {
    /// 24-bit colour (a terminfo entry with the RGB capability, like xterm-direct).
    case trueColor = "truecolor"
    /// The xterm 256-colour palette.
    case palette256 = "256"
    /// The eight ANSI colours.
    case ansi8 = "8"
    /// No colour: glyphs and bold only.
    case none

    /// The depth for a terminal reporting `colors` colours (ncurses' COLORS).
    public init(terminalColors colors: Int) {
        switch colors {
        case (1 << 24)...: self = .trueColor
        case 256...: self = .palette256
        case 8...: self = .ansi8
        default: self = .none
        }
    }

    /// The terminfo entries to open, best first (nil: $TERM's own): when `environment`'s
    /// COLORTERM is `truecolor` or `24bit` and colour is wanted, first the direct-colour variant
    /// of $TERM (`xterm-256color` → `xterm-direct`; inside tmux also `tmux-direct`), whose RGB
    /// capability lets ncurses send colours as exact 24-bit values. Those entries come with
    /// ncurses' terminfo collection (Debian: ncurses-term); when none exists, $TERM's own
    /// entry gives 256, 8 or no colours.
    package static func terminalTypes(environment: [String: String], color: ColorChoice, noColor: Bool) -> [String?] {
        guard color.depth(terminal: .trueColor, noColor: noColor) == .trueColor,
              let colorTerm = environment["COLORTERM"], ["truecolor", "24bit"].contains(colorTerm),
              let term = environment["TERM"], !term.isEmpty, !term.hasSuffix("-direct") else { return [nil] }
        let family = String(term.prefix { $0 != "-" })
        var types = [family + "-direct"]
        if environment["TMUX"].map({ !$0.isEmpty }) ?? false, !types.contains("tmux-direct") { types.append("tmux-direct") }
        return types + [nil]
    }
}

/// The user's `--color` choice.
public enum ColorChoice: String, Sendable, CaseIterable {
    case never, auto, always

    /// The depth to draw with, given what the terminal offers and the environment's NO_COLOR.
    public func depth(terminal: ColorDepth, noColor: Bool) -> ColorDepth {
        switch self {
        case .never: .none
        case .auto: noColor ? .none : terminal
        case .always: terminal == .none ? .ansi8 : terminal
        }
    }
}

/// Terminal colour numbers for theme colours at a given depth.
package enum ColorMapper {
    /// The colour number of `color` at `depth` (nil: the terminal's default colour).
    package static func number(_ color: RGB?, depth: ColorDepth) -> Int32 {
        guard let color else { return -1 }
        switch depth {
        // Direct-colour entries send values 0–7 as the eight ANSI colours: #000000–#000007 become #000008.
        case .trueColor: return max(8, Int32(color.red) << 16 | Int32(color.green) << 8 | Int32(color.blue))
        case .palette256: return palette256(color)
        case .ansi8: return ansi8(color)
        case .none: return -1
        }
    }

    /// The nearest entry of the xterm 6×6×6 cube (16–231) or grey ramp (232–255).
    package static func palette256(_ color: RGB) -> Int32 {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ value: UInt8) -> Int {
            levels.indices.min { abs(levels[$0] - Int(value)) < abs(levels[$1] - Int(value)) }!
        }
        func distance(_ r: Int, _ g: Int, _ b: Int) -> Int {
            let dr = r - Int(color.red), dg = g - Int(color.green), db = b - Int(color.blue)
            return dr * dr + dg * dg + db * db
        }
        let (r, g, b) = (nearestLevel(color.red), nearestLevel(color.green), nearestLevel(color.blue))
        let cube = Int32(16 + 36 * r + 6 * g + b)
        let average = (Int(color.red) + Int(color.green) + Int(color.blue)) / 3
        let greyIndex = max(0, min(23, (average - 8 + 5) / 10))
        let grey = 8 + 10 * greyIndex
        return distance(grey, grey, grey) < distance(levels[r], levels[g], levels[b]) ? Int32(232 + greyIndex) : cube
    }

    /// The nearest of the eight ANSI colours (black, red, green, yellow, blue, magenta, cyan, white).
    package static func ansi8(_ color: RGB) -> Int32 {
        let maximum = max(color.red, color.green, color.blue)
        guard maximum >= 64 else { return 0 }
        let threshold = Double(maximum) * 0.6
        let r = Double(color.red) >= threshold ? 1 : 0, g = Double(color.green) >= threshold ? 2 : 0
        let b = Double(color.blue) >= threshold ? 4 : 0
        let index = Int32(r | g | b)
        // Light greys read as white, dark ones as black.
        if index == 7 { return color.luma >= 96 ? 7 : 0 }
        return index
    }
}
