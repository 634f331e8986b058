/// Numbers from the bridge or a cluster's web server, held within bounds that no real cluster
/// reaches, so that the sums and differences blocktop makes of them cannot overflow.
package enum UntrustedNumber {
    /// The most threads (or cores) one worker is taken to have.
    package static let threadLimit = 1 << 20
    /// The most bytes one worker's memory figure is taken to be (1 PiB).
    package static let byteLimit = 1 << 50
    /// The most tasks one count is taken to hold.
    package static let countLimit = 1 << 40
    /// One past the largest block index along an axis (the grid numbers its blocks in Int32).
    package static let indexLimit = Int(Int32.max)

    /// `value` within 0...`limit`.
    package static func clamped(_ value: Int, to limit: Int) -> Int { min(max(0, value), limit) }

    /// `value` as a whole number within 0...`limit`; 0 for NaN.
    package static func clamped(_ value: Double, to limit: Int) -> Int {
        value.isNaN ? 0 : Int(min(max(0, value), Double(limit)))
    }

    /// The sum of `values`, Int.max when it would overflow.
    package static func saturatingSum(_ values: some Sequence<Int>) -> Int {
        values.reduce(0) { total, value in
            let (sum, overflow) = total.addingReportingOverflow(value)
            return overflow ? (value < 0 ? Int.min : Int.max) : sum
        }
    }
}
