/// The block grid: one cell per block of the shown stage, coloured by state — waiting,
/// ready, running (in the colour of its worker), done, failed.
///
/// A cell counts every task of its block, so a block made of several tasks (the partial
/// products of a matrix product) fills up level by level. When there are more blocks than
/// cells, a cell stands for a k×k square of blocks (k blocks in a row of a 1-D stage).
package struct BlockGridWidget {
    let model: DashboardModel
    let view: ViewState

    /// How blocks map to cells in a box of a given size.
    package struct Fit: Equatable {
        /// Blocks per cell along each axis.
        package var factor: Int
        /// Characters per cell (2 when there is room, for square-looking cells).
        package var cellWidth: Int
        package var rows: Int
        package var columns: Int

        package init(factor: Int, cellWidth: Int, rows: Int, columns: Int) {
            self.factor = factor
            self.cellWidth = cellWidth
            self.rows = rows
            self.columns = columns
        }
    }

    /// The fit of a `rows`×`columns` grid into `width`×`height` characters.
    package static func fit(rows: Int, columns: Int, width: Int, height: Int) -> Fit {
        guard width > 0, height > 0 else { return Fit(factor: 1, cellWidth: 1, rows: 0, columns: 0) }
        if rows == 1 {
            // A 1-D stage wraps into rows; k blocks a cell when even that does not fit.
            let factor = max(1, (columns + width * height - 1) / (width * height))
            let cells = (columns + factor - 1) / factor
            let cellWidth = cells * 2 <= width * height && cells <= width / 2 ? 2 : 1
            let perRow = min(cells, width / cellWidth)
            return Fit(factor: factor, cellWidth: cellWidth, rows: (cells + perRow - 1) / perRow, columns: perRow)
        }
        if columns * 2 <= width, rows <= height { return Fit(factor: 1, cellWidth: 2, rows: rows, columns: columns) }
        var factor = 1
        while (columns + factor - 1) / factor > width || (rows + factor - 1) / factor > height { factor += 1 }
        return Fit(factor: factor, cellWidth: 1, rows: (rows + factor - 1) / factor, columns: (columns + factor - 1) / factor)
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        let map = model.run.grid
        let inner = rect.inset(1)
        let legendRows = inner.height >= 4 ? 1 : 0
        let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - legendRows)
        let fit = Self.fit(rows: map.rows, columns: map.columns, width: area.width, height: area.height)
        var title = "blocks \(map.rows)\(glyphs.times)\(map.columns)"
        if fit.factor > 1 {
            title += map.rows == 1 ? " (\(fit.factor) a cell)" : " (\(fit.factor)\(glyphs.times)\(fit.factor) a cell)"
        }
        frame.box(rect, title: title, color: theme.blockBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: glyphs)
        guard fit.rows > 0 else { return }
        let blocks = model.blocks
        for row in 0..<min(fit.rows, area.height) {
            for column in 0..<fit.columns {
                let cell: (glyph: Unicode.Scalar, color: RGB)?
                if map.rows == 1 {
                    let first = (row * fit.columns + column) * fit.factor
                    guard first < map.columns else { continue }
                    cell = look(blocks, (first..<min(map.columns, first + fit.factor)).lazy.map { $0 })
                } else {
                    let rows = (row * fit.factor)..<min(map.rows, (row + 1) * fit.factor)
                    let columns = (column * fit.factor)..<min(map.columns, (column + 1) * fit.factor)
                    cell = look(blocks, rows.lazy.flatMap { r in columns.lazy.map { r * map.columns + $0 } })
                }
                guard let cell else { continue }
                for dx in 0..<fit.cellWidth {
                    frame.put(cell.glyph, x: area.x + column * fit.cellWidth + dx, y: area.y + row, style: view.style(cell.color))
                }
            }
        }
        if legendRows > 0 { legend(into: &frame, Rect(x: area.x, y: inner.y + inner.height - 1, width: area.width, height: 1)) }
    }

    /// The glyph and colour of a cell covering `indices`; nil when none of them has tasks.
    private func look<S: Sequence<Int>>(_ blocks: BlockStates, _ indices: S) -> (Unicode.Scalar, RGB)? {
        let theme = view.theme, glyphs = view.glyphs
        var total: Int32 = 0, done: Int32 = 0, ready: Int32 = 0, failed: Int32 = 0, worker: Int16 = -1
        for index in indices {
            total += blocks.total[index]
            done += blocks.done[index]
            ready += blocks.ready[index]
            failed += blocks.failed[index]
            if blocks.running[index] > 0 { worker = blocks.worker[index] }
        }
        guard total > 0 else { return nil }
        if failed > 0 { return (glyphs.failed, theme.ink.failed) }
        if worker >= 0 { return (glyphs.running, theme.worker(Int(worker))) }
        if done == total { return (glyphs.full, theme.blockDone) }
        if done > 0 { return (glyphs.level(Double(done) / Double(total)), theme.blockDone) }
        if ready > 0 { return (glyphs.ready, theme.blockReady) }
        return (glyphs.waiting, theme.ink.waiting)
    }

    private func legend(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        let items: [(Unicode.Scalar, RGB, String)] = [
            (glyphs.waiting, theme.ink.waiting, "waiting"), (glyphs.ready, theme.blockReady, "ready"),
            (glyphs.running, theme.worker(0), "running"), (glyphs.level(0.5), theme.blockDone, "part done"),
            (glyphs.full, theme.blockDone, "done"), (glyphs.failed, theme.ink.failed, "failed"),
        ]
        var x = rect.x
        for (glyph, color, label) in items {
            guard x + label.count + 2 <= rect.x + rect.width else { break }
            frame.put(glyph, x: x, y: rect.y, style: view.style(color))
            x = frame.text(label, x: x + 2, y: rect.y, style: view.style(theme.ink.label)) + 2
        }
    }
}
