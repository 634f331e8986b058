import DashboardModel
import Themes

/// The keys that change only what the screen shows: the grid's cursor and stage, the theme.
extension ViewState {
    /// Moves the cursor over the shown stage's blocks of `model`, seen as rows of its last axis;
    /// the first move puts it on the first block. The stage stays pinned while the cursor is open.
    mutating func moveCursor(rows: Int, columns: Int, in model: DashboardModel) {
        let shown = model.shownStage(pinned: pinnedStage)
        let extent = model.run.stages[shown].extent
        let width = extent.last ?? 1, count = extent.reduce(1, *)
        pinnedStage = shown
        guard let cursor else {
            self.cursor = 0
            return
        }
        let row = min(max(0, cursor / width + rows), (count - 1) / width)
        let column = min(max(0, cursor % width + columns), width - 1)
        self.cursor = min(count - 1, row * width + column)
    }

    /// Puts the cursor on the block drawn at a cell of a `screen`-sized frame of `model`, as the
    /// arrow keys would move it there; a click where no block is drawn does nothing.
    mutating func selectBlock(column: Int, row: Int, in model: DashboardModel, screen: (width: Int, height: Int)) {
        guard let block = DashboardView(model: model, state: self).block(atX: column, y: row, width: screen.width, height: screen.height)
        else { return }
        pinnedStage = model.shownStage(pinned: pinnedStage)
        cursor = block
    }

    /// Pins the grid to the next stage of `model`, or after the last lets it follow the work
    /// again; says which.
    mutating func nextStage(of model: DashboardModel) -> String {
        let stages = model.run.stages
        guard stages.count > 1 else { return "the grid has one stage" }
        let next = (pinnedStage ?? -1) + 1
        pinnedStage = next < stages.count ? next : nil
        guard let pinned = pinnedStage else { return "grid: follows the stage where work is happening (Tab: next stage)" }
        return "grid: stage \(pinned + 1)/\(stages.count), \(stages[pinned].stage) (Tab: next stage)"
    }

    /// Loads the theme after the current one of `names` from `catalog`; returns what to say
    /// (its name, or a warning when its file is broken).
    mutating func switchTheme(among names: [String], in catalog: ThemeCatalog) -> String? {
        guard !names.isEmpty else { return nil }
        let index = ((names.firstIndex(of: theme.name) ?? -1) + 1) % names.count
        do {
            let (loaded, warning) = try catalog.load(names[index])
            theme = warning == nil ? loaded : Theme.standard
            return warning.map { "theme \(names[index]): \($0)" } ?? "theme: \(names[index])"
        } catch {
            return "\(error)"
        }
    }
}
