/// How numbers, sizes and times read on screen.
enum Format {
    /// A duration: "9.8s", "1:02", "1:02:03".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        if seconds < 60 { return fixed(seconds, 1) + "s" }
        let whole = Int(seconds)
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "--" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = Int(rounded / scale)
        let fraction = Int(rounded) - whole * Int(scale)
        let sign = value < 0 && rounded > 0 ? "-" : ""
        guard digits > 0 else { return sign + "\(whole)" }
        let text = String(fraction)
        return sign + "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }

    /// A rate with a short decimal: "85.3", "1234".
    static func rate(_ value: Double) -> String {
        value >= 1000 ? "\(Int(value.rounded()))" : fixed(value, 1)
    }

    /// A count with thousands separators: "10,000".
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// A shape: "10000×10000" (or "10000x10000" in ASCII); "scalar" for rank 0.
    static func shape(_ shape: [Int], times: Unicode.Scalar) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: String(times))
    }

    /// `text` filled with spaces to `width` characters, on the right (or, with `right`, on the left).
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.unicodeScalars.count))
        return right ? fill + text : text + fill
    }

    /// `text` cut to `width` characters, with "…" (or ".") when cut.
    static func clip(_ text: String, _ width: Int, ellipsis: Unicode.Scalar = "…") -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > width else { return text }
        guard width > 0 else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[0..<(width - 1)])
        view.append(ellipsis)
        return String(view)
    }
}
