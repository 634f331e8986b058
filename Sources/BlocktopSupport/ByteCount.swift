/// How a number of bytes reads, on screen and in reports alike: decimal (SI) units.
package enum ByteCount {
    /// `value` bytes with a decimal unit: "8 B", "812 MB", "96 MB", "1.2 GB".
    ///
    /// Three significant figures at most: one decimal below 10 of a unit, none above.
    package static func text<T: BinaryInteger>(_ value: T) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var scaled = Double(value), unit = 0
        while abs(scaled) >= 999.5, unit < units.count - 1 {
            scaled /= 1000
            unit += 1
        }
        if unit == 0 { return "\(value) B" }
        if abs(scaled) >= 9.95 { return "\(Int(scaled.rounded())) \(units[unit])" }
        let tenths = Int((abs(scaled) * 10).rounded())
        return (scaled < 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
