/// Why an array file could not be read or written: the file, and what was wrong with it.
///
/// Every case is bad input from the user's side (a missing file, a header that lies, a dtype
/// blocktop cannot hold, data that does not fit the type asked for), so the command line answers
/// it with one line naming the file and exit status 64.
public struct ArrayFileError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file, as the user named it.
    public let path: String
    /// What was wrong, without the file's name.
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "'\(path)': \(message)" }
}
