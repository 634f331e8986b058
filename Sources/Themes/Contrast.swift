import Foundation

extension RGB {
    /// WCAG 2 relative luminance: 0 for black, 1 for white.
    public var relativeLuminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let value = Double(channel) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG 2 contrast ratio with `other`: 1 (the same luminance) to 21 (black on white).
    public func contrast(with other: RGB) -> Double {
        let (a, b) = (relativeLuminance, other.relativeLuminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// This colour when it reaches `minimum` contrast on `background`; else the same hue and
    /// saturation with its HSL lightness moved away from the background just far enough.
    ///
    /// Both directions are tried (lighter and darker) and the smaller move wins; black or white
    /// always reach at least 4.5:1, so some lightness always does.
    public func readable(on background: RGB, minimum: Double = Theme.minimumContrast) -> RGB {
        guard contrast(with: background) < minimum else { return self }
        let (hue, saturation, lightness) = hsl
        var best: (color: RGB, move: Double)?
        for end in [1.0, 0.0] where RGB(hue: hue, saturation: saturation, lightness: end).contrast(with: background) >= minimum {
            // Along one direction the colour first nears the background, then leaves it: the
            // lightnesses that pass form one interval ending at `end`, so bisect for its start.
            var failing = lightness, passing = end
            for _ in 0..<20 {
                let middle = (failing + passing) / 2
                if RGB(hue: hue, saturation: saturation, lightness: middle).contrast(with: background) >= minimum {
                    passing = middle
                } else {
                    failing = middle
                }
            }
            let move = abs(passing - lightness)
            if best.map({ move < $0.move }) ?? true {
                best = (RGB(hue: hue, saturation: saturation, lightness: passing), move)
            }
        }
        return best?.color ?? self
    }

    /// Hue (0…1 of a turn), saturation and lightness, each 0…1.
    var hsl: (hue: Double, saturation: Double, lightness: Double) {
        let r = Double(red) / 255, g = Double(green) / 255, b = Double(blue) / 255
        let high = max(r, g, b), low = min(r, g, b)
        let lightness = (high + low) / 2
        guard high > low else { return (0, 0, lightness) }
        let range = high - low
        let saturation = lightness > 0.5 ? range / (2 - high - low) : range / (high + low)
        let hue: Double = switch high {
        case r: (g - b) / range + (g < b ? 6 : 0)
        case g: (b - r) / range + 2
        default: (r - g) / range + 4
        }
        return (hue / 6, saturation, lightness)
    }

    /// The colour of an HSL triple, each 0…1.
    init(hue: Double, saturation: Double, lightness: Double) {
        let q = lightness < 0.5 ? lightness * (1 + saturation) : lightness + saturation - lightness * saturation
        let p = 2 * lightness - q
        func channel(_ offset: Double) -> UInt8 {
            var t = hue + offset
            if t < 0 { t += 1 }
            if t > 1 { t -= 1 }
            let value: Double
            if t < 1.0 / 6 {
                value = p + (q - p) * 6 * t
            } else if t < 0.5 {
                value = q
            } else if t < 2.0 / 3 {
                value = p + (q - p) * (2.0 / 3 - t) * 6
            } else {
                value = p
            }
            return UInt8((max(0, min(1, value)) * 255).rounded())
        }
        self.init(channel(1.0 / 3), channel(0), channel(-1.0 / 3))
    }
}
