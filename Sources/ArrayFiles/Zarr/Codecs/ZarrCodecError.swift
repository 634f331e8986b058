/// Why a chunk's bytes could not be decoded, in words (the store and the chunk are named by the caller).
struct ZarrCodecError: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }

    /// The bytes a stage gave are not the number the metadata says the chunk needs.
    static func wrongSize(_ size: Int, expected: Int) -> ZarrCodecError {
        ZarrCodecError("it decodes to \(size) bytes, but its metadata needs \(expected)")
    }
}
