import DashboardModel

/// What happened to the block under the grid's cursor: each of its tasks in the shown stage,
/// with its operation, state, worker, start (seconds into the run) and duration.
struct BlockDetailWidget {
    let model: DashboardModel
    let view: ViewState

    /// The block's position along each axis of its stage.
    static func position(of block: Int, extent: [Int]) -> [Int] {
        var rest = block
        return extent.reversed().map { size in
            defer { rest /= max(1, size) }
            return rest % max(1, size)
        }.reversed()
    }

    /// The task ids of `block` in stage `stage`, in id order.
    static func tasks(of block: Int, in map: BlockGridMap) -> [Int] {
        map.blockOfTask.indices.filter { map.blockOfTask[$0] == Int32(block) }
    }

    /// Where the detail of a block of `tasks` tasks goes: the bottom of the grid's panel, a row
    /// a task with its box and header, at most half the panel (and at least 4 rows).
    static func rect(tasks: Int, in grid: Rect) -> Rect {
        let height = min(tasks + 3, max(4, grid.height / 2))
        return Rect(x: grid.x, y: grid.y + grid.height - height, width: grid.width, height: height)
    }

    /// Where the detail of the block under the cursor goes, over the grid's panel `grid`; nil
    /// when there is no cursor.
    func rect(in grid: Rect) -> Rect? {
        guard let cursor = view.cursor else { return nil }
        let map = model.run.stages[model.shownStage(pinned: view.pinnedStage)]
        return Self.rect(tasks: Self.tasks(of: cursor, in: map).count, in: grid)
    }

    func draw(into frame: inout Frame, _ grid: Rect) {
        guard let cursor = view.cursor else { return }
        let theme = view.theme, glyphs = view.glyphs
        let shown = model.shownStage(pinned: view.pinnedStage)
        let map = model.run.stages[shown]
        let tasks = Self.tasks(of: cursor, in: map)
        let rect = Self.rect(tasks: tasks.count, in: grid)
        frame.fill(rect, style: Style(foreground: theme.text, background: theme.background))
        let position = Self.position(of: cursor, extent: map.extent).map(String.init).joined(separator: ", ")
        frame.box(rect, title: "block [\(position)] of \(map.stage) \(glyphs.separator) \(tasks.count) task"
                      + (tasks.count == 1 ? "" : "s") + " \(glyphs.separator) arrows move, Esc closes",
                  color: theme.blockBox, titleColor: theme.ink.title, background: theme.background, glyphs: glyphs)
        let inner = rect.inset(1)
        guard inner.height > 1 else { return }
        frame.text(" operation              state     worker    start     took", x: inner.x, y: inner.y,
                   style: view.style(theme.ink.label), maxWidth: inner.width)
        let rows = inner.height - 1
        let shownTasks = tasks.count > rows ? Array(tasks.prefix(rows - 1)) : tasks
        for (row, task) in shownTasks.enumerated() {
            frame.text(" " + line(task), x: inner.x, y: inner.y + 1 + row, style: view.style(theme.ink.text), maxWidth: inner.width)
        }
        if shownTasks.count < tasks.count {
            frame.text(" +\(tasks.count - shownTasks.count) more tasks", x: inner.x, y: inner.y + rows,
                       style: view.style(theme.ink.label), maxWidth: inner.width)
        }
    }

    /// One task's line: operation, state, worker, start and duration.
    private func line(_ task: Int) -> String {
        let operation = model.run.operations[model.run.operation(ofTask: task)]
        let state = model.blocks.state(ofTask: task)
        let record = model.taskRecords.record(task)
        let worker = record.flatMap { $0.worker >= 0 ? "w\($0.worker)" : nil } ?? "--"
        let start = record?.start.map { Format.duration(max(0, $0)) } ?? "--"
        let took: String = switch (record?.start, record?.end) {
        case let (start?, end?) where end - start < 1: "\(Int(((end - start) * 1000).rounded()))ms"
        case let (start?, end?): Format.duration(end - start)
        case (.some, nil) where state == .running: "running"
        default: "--"
        }
        return Format.pad(Format.clip(operation, 22), 23) + Format.pad("\(state)", 10) + Format.pad(worker, 10) + Format.pad(start, 10) + took
    }
}

extension BlockDetailWidget: Panel {
    /// Over the grid's panel, while the cursor is on a block.
    var slot: PanelSlot { .grid }
    var applies: Bool { view.cursor != nil }
}
