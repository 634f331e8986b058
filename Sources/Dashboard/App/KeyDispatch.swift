import DashboardModel

/// What a key does with the prompt closed: a command the run's source can do, or one line that
/// says why the key does nothing.
package enum KeyDispatch: Equatable {
    /// Carry out the command.
    case command(KeyCommand)
    /// Nothing happens; say `message` when there is one.
    case refused(message: String?)

    /// The dispatch of `key` for `source`: a command it cannot do answers with the source's
    /// reason; a key that is no command says so, except the keys kept for moving about the
    /// screen (arrows, Home, End, Tab), Enter, Escape and a resize, which say nothing.
    package init(_ key: Key, source: any DashboardSource, glyphs: Glyphs) {
        guard let command = KeyCommand(key) else {
            let quiet = key.isNavigation || key == .enter || key == .escape || key == .resize
            self = .refused(message: quiet ? nil : "unknown key \(key.name) \(glyphs.separator) h or F1 for help")
            return
        }
        let missing = command.needs.subtracting(source.capabilities)
        self = missing.isEmpty ? .command(command) : .refused(message: source.refusal(of: missing))
    }
}
