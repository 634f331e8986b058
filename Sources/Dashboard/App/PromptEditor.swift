import DashboardModel

/// The `:` prompt: opening and closing it, editing its text, going through the expressions run
/// before (kept in a file across sessions), and showing why an entered expression did not build.
///
/// The text being typed and its error live in the view, which the footer draws.
package final class PromptEditor {
    /// What a key typed at the open prompt asks for.
    package enum Edit: Equatable {
        /// Carry on.
        case done
        /// Run `expression`, typed after `leadingSpaces` scalars of blanks.
        case run(expression: String, leadingSpaces: Int)
    }

    /// The expressions run from the prompt, this session's and, with a file, earlier sessions'.
    package private(set) var history: PromptHistory
    /// Where the history is kept across sessions; nil to keep it in memory only.
    private let historyFile: PromptHistoryFile?
    /// The file could not be read or written: said once, and not touched again.
    private var historyFileFailed = false
    /// The history entry the prompt shows while Up and Down go through it; nil for new text.
    private var historyPosition: Int?
    /// The text being typed before Up recalled an entry, for Down to bring back.
    private var draft: PromptLine?

    /// Reads the history from `historyFile`; one that cannot be read (or holds bad lines) is said
    /// in `view.message`, and the prompt goes on without it.
    package init(historyFile: PromptHistoryFile?, view: inout ViewState) {
        self.historyFile = historyFile
        history = PromptHistory(limit: historyFile?.limit ?? PromptHistory.defaultLimit)
        guard let historyFile else { return }
        do {
            let (read, skipped) = try historyFile.read()
            history = read
            if skipped > 0 {
                view.message = "history: left out \(skipped) bad line\(skipped == 1 ? "" : "s") of '\(historyFile.path)'"
            }
        } catch {
            historyFileFailed = true
            view.message = "history not kept: \(error)"
        }
    }

    /// Opens the prompt, empty.
    package func open(_ view: inout ViewState) {
        view.prompt = PromptLine()
        view.promptError = nil
        historyPosition = nil
    }

    /// Edits the open prompt (`PromptLine.apply`): Up and Down go through the history, Escape
    /// (or F10) closes it, Enter asks to run the expression (an empty one closes it).
    package func edit(_ key: Key, view: inout ViewState) -> Edit {
        guard var line = view.prompt else { return .done }
        switch key {
        case .escape, .function(10):
            close(&view)
        case .enter:
            let text = line.text.trimmingSpaces
            guard !text.isEmpty else {
                close(&view)
                return .done
            }
            return .run(expression: text, leadingSpaces: line.scalars.prefix { $0 == " " || $0 == "\t" }.count)
        case .up:
            recall(older: true, view: &view)
        case .down:
            recall(older: false, view: &view)
        default:
            let before = line.scalars
            guard line.apply(key) else { return .done }
            // The caret no longer points at the text once it changed.
            if line.scalars != before { view.promptError = nil }
            view.prompt = line
        }
        return .done
    }

    /// The expression asked for ran: the prompt closes and the history keeps it; returns what to
    /// say, the history file's trouble or what runs.
    package func ran(_ expression: String, view: inout ViewState) -> String {
        close(&view)
        return remember(expression) ?? "running \(expression)"
    }

    /// The expression asked for did not build: the prompt stays open with its text, and `error`
    /// and where it is go in `view.promptError`.
    package func failed(_ expression: String, leadingSpaces: Int, error: any Error, view: inout ViewState) {
        view.promptError = PromptError(error, in: expression, offset: leadingSpaces)
    }

    private func close(_ view: inout ViewState) {
        view.prompt = nil
        view.promptError = nil
        historyPosition = nil
        draft = nil
    }

    /// Replaces the prompt's text with the previous (`older`) or next entry of the history; past
    /// the newest, the text that was being typed comes back.
    private func recall(older: Bool, view: inout ViewState) {
        let entries = history.entries
        guard !entries.isEmpty, let line = view.prompt else { return }
        let position: Int?
        switch (historyPosition, older) {
        case (nil, true): position = entries.count - 1
        case (nil, false): return
        case (let current?, true): position = max(0, current - 1)
        case (let current?, false): position = current + 1 < entries.count ? current + 1 : nil
        }
        if historyPosition == nil { draft = line }
        historyPosition = position
        view.prompt = position.map { PromptLine(entries[$0]) } ?? draft ?? PromptLine()
        view.promptError = nil
    }

    /// Adds an expression that ran to the history and its file; returns what to say when the
    /// file cannot be written (once: after that the history stays in memory).
    private func remember(_ text: String) -> String? {
        history.add(text)
        guard let file = historyFile, !historyFileFailed else { return nil }
        do {
            history = try file.add(text)
            return nil
        } catch {
            historyFileFailed = true
            return "history not saved: \(error)"
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}

extension PromptError {
    /// The error of an expression `text` that did not build, its place shifted by `offset` scalars
    /// (the spaces before it in the prompt); without a place unless it is an `ExpressionProblem`.
    init(_ error: any Error, in text: String, offset: Int) {
        guard let problem = error as? ExpressionProblem else {
            self.init(message: DashboardSession.firstLine(of: error))
            return
        }
        // Character offsets to scalar offsets: a character may be several scalars (é as e + ́).
        let characters = Array(text)
        func scalars(before character: Int) -> Int {
            characters[..<max(0, min(character, characters.count))].reduce(0) { $0 + $1.unicodeScalars.count }
        }
        let start = offset + scalars(before: problem.range.lowerBound)
        let end = max(start, offset + scalars(before: problem.range.upperBound))
        self.init(message: problem.message, range: start..<end)
    }
}
