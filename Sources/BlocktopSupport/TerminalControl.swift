extension Unicode.Scalar {
    /// A C0 or C1 control character or DEL: what a terminal acts on instead of showing.
    package var isTerminalControl: Bool { value < 0x20 || (0x7F..<0xA0).contains(value) }
}
