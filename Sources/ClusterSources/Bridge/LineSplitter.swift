/// Cuts a byte stream into lines of at most `limit` bytes; a longer line is dropped as it
/// arrives (never held whole) and reported by its length.
package struct LineSplitter {
    /// A complete line, or a line dropped for its length.
    package enum Line: Equatable {
        case text([UInt8])
        case tooLong(bytes: Int)
    }

    package let limit: Int
    private var partial: [UInt8] = []
    /// Bytes of the line being dropped so far; nil while the line fits.
    private var droppedBytes: Int?

    package init(limit: Int) {
        self.limit = limit
    }

    /// The lines `bytes` completes.
    package mutating func feed(_ bytes: some Collection<UInt8>) -> [Line] {
        var lines: [Line] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(of: UInt8(ascii: "\n"))
            let piece = rest[..<(end ?? rest.endIndex)]
            if let dropped = droppedBytes {
                droppedBytes = dropped + piece.count
            } else if partial.count + piece.count > limit {
                droppedBytes = partial.count + piece.count
                partial = []
            } else {
                partial.append(contentsOf: piece)
            }
            guard let end else { break }
            if let dropped = droppedBytes {
                lines.append(.tooLong(bytes: dropped))
            } else if !partial.isEmpty {
                lines.append(.text(partial))
            }
            partial = []
            droppedBytes = nil
            rest = rest[rest.index(after: end)...]
        }
        return lines
    }
}
