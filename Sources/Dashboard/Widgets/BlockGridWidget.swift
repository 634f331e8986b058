import DashboardModel
import Themes

/// The block grid: the shown stage's blocks, scaled to fill the panel and coloured by state —
/// waiting, ready, running (in the colour of its worker), part done, done, failed.
///
/// A cell counts every task of its blocks, so a block made of several tasks (the partial
/// products of a matrix product, the steps of a stencil) fills up level by level. Each block
/// takes as many characters as the panel allows, with a gap between blocks when there is room
/// for one; when there are more blocks than characters, a cell stands for k×k blocks (k blocks
/// of a 1-D stage). Blocks of unequal sizes along an axis get widths (heights) in proportion
/// to their sizes, at least one character each. A stage of rank 3 or more is folded into
/// planes (one per index of its leading axes) drawn side by side with a line between them.
package struct BlockGridWidget {
    let model: DashboardModel
    let view: ViewState

    /// How a stage's blocks are laid out in an area of the panel.
    package struct Fit: Equatable {
        /// Planes side by side (1 below rank 3), each `blockRows` × `blockColumns` blocks drawn in
        /// `rows` × `columns` cells.
        package var planes: Int
        package var blockRows: Int
        package var blockColumns: Int
        package var rows: Int
        package var columns: Int
        /// Blocks per cell along each axis.
        package var factor: Int
        /// Characters per cell, a gap for the edge included when the cell has room for one.
        package var cellWidth: Int
        package var cellHeight: Int
        /// Whether the cells of a 1-D stage wrap into several lines.
        package var wraps: Bool
        /// Where each column of cells starts in a plane, in characters, then where the last ends
        /// (`columns + 1` offsets): every `cellWidth`, or in proportion to the blocks' sizes.
        package var columnEdges: [Int]
        /// Where each row of cells starts, then where the last ends (`rows + 1` offsets).
        package var rowEdges: [Int]

        /// A fit; without edges, every cell is `cellWidth` × `cellHeight`.
        package init(planes: Int = 1, blockRows: Int, blockColumns: Int, rows: Int, columns: Int, factor: Int,
                     cellWidth: Int, cellHeight: Int, wraps: Bool = false, columnEdges: [Int]? = nil, rowEdges: [Int]? = nil) {
            self.planes = planes
            self.blockRows = blockRows
            self.blockColumns = blockColumns
            self.rows = rows
            self.columns = columns
            self.factor = factor
            self.cellWidth = cellWidth
            self.cellHeight = cellHeight
            self.wraps = wraps
            self.columnEdges = columnEdges ?? (0...max(0, columns)).map { $0 * cellWidth }
            self.rowEdges = rowEdges ?? (0...max(0, rows)).map { $0 * cellHeight }
        }

        /// Characters between cells: one when a cell is at least 3 wide (or high) on average.
        package var gapX: Int { cellWidth >= 3 ? 1 : 0 }
        package var gapY: Int { cellHeight >= 3 ? 1 : 0 }
        /// Width of one plane, and of all of them with the lines between; height of the cells.
        package var planeWidth: Int { columnEdges.last ?? 0 }
        package var width: Int { planes * planeWidth + planes - 1 }
        package var height: Int { rowEdges.last ?? 0 }

        /// The block drawn at (`x`, `y`), counted from the top-left corner of the fit's area: the
        /// row-major index of the block (in a cell of k×k blocks, the one at that place in the
        /// cell); nil on a gap between cells, on a line between planes and outside the cells.
        package func block(atX x: Int, y: Int) -> Int? {
            guard x >= 0, y >= 0, rows > 0, columns > 0 else { return nil }
            let plane = x / (planeWidth + 1), px = x % (planeWidth + 1)
            guard plane < planes, let column = Self.cell(at: px, edges: columnEdges, gap: gapX),
                  let row = Self.cell(at: y, edges: rowEdges, gap: gapY) else { return nil }
            // Which of the cell's k blocks along each axis, by the place in the cell.
            let across = (px - columnEdges[column]) * factor / (columnEdges[column + 1] - columnEdges[column] - gapX)
            if wraps || (blockRows == 1 && planes == 1) {
                let block = (row * columns + column) * factor + across
                return block < blockColumns ? block : nil
            }
            let down = (y - rowEdges[row]) * factor / (rowEdges[row + 1] - rowEdges[row] - gapY)
            let blockRow = row * factor + down, blockColumn = column * factor + across
            guard blockRow < blockRows, blockColumn < blockColumns else { return nil }
            return (plane * blockRows + blockRow) * blockColumns + blockColumn
        }

        /// The cell whose characters (its gap left out) hold `offset` along an axis cut at `edges`.
        private static func cell(at offset: Int, edges: [Int], gap: Int) -> Int? {
            guard let last = edges.last, offset < last else { return nil }
            let cell = edges.lastIndex { $0 <= offset } ?? 0
            return offset < edges[cell + 1] - gap ? cell : nil
        }
    }

    /// Where each of `sizes.count` cells starts along an axis, then where the last ends, in at
    /// most `cellSize` characters a cell on average: each cell's width in proportion to its size,
    /// rounded down (cells of one size get one width), and at least one character and its gap.
    /// Sizes all alike give every cell `cellSize`.
    package static func edges(sizes: [Int], cellSize: Int, gap: Int) -> [Int] {
        let total = sizes.count * cellSize, minimum = 1 + gap, sum = sizes.reduce(0, +)
        // The widest proportional widths that fit once small cells are widened to the minimum;
        // at scale 0 every cell has the minimum, which fits since `cellSize` is at least that.
        var widths: [Int] = []
        for scale in stride(from: total, through: 0, by: -1) {
            widths = sizes.map { max(minimum, sum.dividingFullWidth(scale.multipliedFullWidth(by: $0)).quotient) }
            if widths.reduce(0, +) <= total { break }
        }
        var edge = 0
        return [0] + widths.map { width in
            edge += width
            return edge
        }
    }

    /// The fit of a stage with `extent` blocks per axis into `width`×`height` characters; with
    /// `blockSizes` (each block's size along each axis), blocks of unequal sizes along an axis
    /// are drawn in proportion to them, when neither wrapped into lines nor folded into columns.
    package static func fit(extent: [Int], blockSizes: [[Int]]? = nil, width: Int, height: Int) -> Fit {
        var fit = evenFit(extent: extent, width: width, height: height)
        guard let sizes = blockSizes, sizes.map(\.count) == extent, !fit.wraps, fit.rows > 0, fit.columns > 0,
              fit.planes == extent.dropLast(2).reduce(1, *) else { return fit }
        /// The sizes of the cells along an axis: each the sum of its `factor` blocks.
        func cells(_ sizes: [Int]) -> [Int] {
            stride(from: 0, to: sizes.count, by: fit.factor).map { sizes[$0..<min(sizes.count, $0 + fit.factor)].reduce(0, +) }
        }
        if let columns = sizes.last, Set(columns).count > 1 {
            fit.columnEdges = edges(sizes: cells(columns), cellSize: fit.cellWidth, gap: fit.gapX)
        }
        if sizes.count >= 2, Set(sizes[sizes.count - 2]).count > 1 {
            fit.rowEdges = edges(sizes: cells(sizes[sizes.count - 2]), cellSize: fit.cellHeight, gap: fit.gapY)
        }
        return fit
    }

    /// The fit with every block alike.
    private static func evenFit(extent: [Int], width: Int, height: Int) -> Fit {
        guard width > 0, height > 0 else {
            return Fit(blockRows: 0, blockColumns: 0, rows: 0, columns: 0, factor: 1, cellWidth: 1, cellHeight: 1)
        }
        if extent.count <= 1 { return fitLine(blocks: extent.first ?? 1, width: width, height: height) }
        let planes = extent.dropLast(2).reduce(1, *)
        let rows = extent[extent.count - 2], columns = extent[extent.count - 1]
        // Planes side by side while at least one cell of each fits beside the lines between them.
        guard planes == 1 || 2 * planes - 1 <= width else {
            return evenFit(extent: [extent[0], extent.dropFirst().reduce(1, *)], width: width, height: height)
        }
        let room = width - (planes - 1)
        var factor = 1
        while planes * ((columns + factor - 1) / factor) > room || (rows + factor - 1) / factor > height { factor += 1 }
        let cellRows = (rows + factor - 1) / factor, cellColumns = (columns + factor - 1) / factor
        return Fit(planes: planes, blockRows: rows, blockColumns: columns, rows: cellRows, columns: cellColumns, factor: factor,
                   cellWidth: room / (planes * cellColumns), cellHeight: height / cellRows)
    }

    /// A 1-D stage: one line of cells when they fit (about square: half as high as wide), else
    /// wrapped into lines, else k blocks a cell.
    private static func fitLine(blocks: Int, width: Int, height: Int) -> Fit {
        if blocks <= width {
            let cellWidth = width / blocks
            return Fit(blockRows: 1, blockColumns: blocks, rows: 1, columns: blocks, factor: 1, cellWidth: cellWidth,
                       cellHeight: max(1, min(height, cellWidth / 2)))
        }
        let factor = max(1, (blocks + width * height - 1) / (width * height))
        let cells = (blocks + factor - 1) / factor
        let lines = (cells + width - 1) / width
        return Fit(blockRows: 1, blockColumns: blocks, rows: lines, columns: min(cells, width), factor: factor, cellWidth: 1,
                   cellHeight: max(1, height / lines), wraps: true)
    }

    /// Where the cells go in a panel drawn in `rect`: inside its box, less a column on each side
    /// and the legend's row.
    static func cellArea(_ rect: Rect) -> Rect {
        let inner = rect.inset(1)
        let legendRows = inner.height >= 4 ? 1 : 0
        return Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - legendRows)
    }

    /// The shown stage's fit in a panel drawn in `rect`.
    func fit(in rect: Rect) -> Fit {
        let map = model.run.stages[model.shownStage(pinned: view.pinnedStage)], area = Self.cellArea(rect)
        return Self.fit(extent: map.extent, blockSizes: map.blockSizes, width: area.width, height: area.height)
    }

    /// The shown stage's block drawn at the screen cell (`x`, `y`) in a panel drawn in `rect`;
    /// nil where no block is drawn (see `Fit.block(atX:y:)`).
    func block(atX x: Int, y: Int, in rect: Rect) -> Int? {
        let area = Self.cellArea(rect)
        guard area.contains(x: x, y: y) else { return nil }
        return fit(in: rect).block(atX: x - area.x, y: y - area.y)
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        let shown = model.shownStage(pinned: view.pinnedStage)
        let map = model.run.stages[shown], blocks = model.blocks.stages[shown]
        let inner = rect.inset(1)
        let area = Self.cellArea(rect)
        let fit = fit(in: rect)
        frame.box(rect, title: title(map, blocks, shown, fit), color: theme.blockBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: glyphs)
        guard fit.rows > 0, fit.columns > 0 else { return }
        let rows = fit.blockRows, columns = fit.blockColumns
        for plane in 0..<fit.planes {
            let planeX = area.x + plane * (fit.planeWidth + 1)
            if plane > 0 {
                for y in area.y..<(area.y + fit.height) {
                    frame.put(glyphs == .ascii ? "|" : "│", x: planeX - 1, y: y, style: view.style(theme.divider))
                }
            }
            for row in 0..<fit.rows {
                for column in 0..<fit.columns {
                    let indices: [Int]
                    if fit.wraps || (rows == 1 && fit.planes == 1) {
                        let first = (row * fit.columns + column) * fit.factor
                        guard first < columns else { continue }
                        indices = Array(first..<min(columns, first + fit.factor))
                    } else {
                        let blockRows = (row * fit.factor)..<min(rows, (row + 1) * fit.factor)
                        let blockColumns = (column * fit.factor)..<min(columns, (column + 1) * fit.factor)
                        indices = blockRows.flatMap { r in blockColumns.map { (plane * rows + r) * columns + $0 } }
                    }
                    guard let cell = look(blocks, indices) else { continue }
                    let x = planeX + fit.columnEdges[column], y = area.y + fit.rowEdges[row]
                    // The cursor's cell in reverse video, so it shows whatever the block's state.
                    var style = view.style(cell.color)
                    if let cursor = view.cursor, indices.contains(cursor) { style.reverse = true }
                    for dy in 0..<(fit.rowEdges[row + 1] - fit.rowEdges[row] - fit.gapY) {
                        for dx in 0..<(fit.columnEdges[column + 1] - fit.columnEdges[column] - fit.gapX) {
                            frame.put(cell.glyph, x: x + dx, y: y + dy, style: style)
                        }
                    }
                }
            }
        }
        if area.height < inner.height { legend(into: &frame, Rect(x: area.x, y: inner.y + inner.height - 1, width: area.width, height: 1)) }
    }

    /// The panel's title: the stage's operation, its blocks per axis, how they are folded, how
    /// many blocks a cell stands for, the steps its blocks are at, and which stage of how many.
    private func title(_ map: BlockGridMap, _ blocks: BlockStates.Counts, _ shown: Int, _ fit: Fit) -> String {
        let times = view.glyphs.times, dot = view.glyphs.separator
        var title = "\(map.stage) \(dot) " + map.extent.map(String.init).joined(separator: String(times)) + " blocks"
        if fit.planes > 1 {
            let plane = map.extent.suffix(2).map(String.init).joined(separator: String(times))
            title += " in \(fit.planes) planes of \(plane)"
        }
        if fit.factor > 1 {
            title += map.extent.count <= 1 ? " \(dot) \(fit.factor) a cell" : " \(dot) \(fit.factor)\(times)\(fit.factor) a cell"
        }
        if map.steps > 1 {
            // A block's tasks are its steps: the fewest and most done say where the blocks are.
            let shown = blocks.total.indices.filter { blocks.total[$0] > 0 }
            let least = shown.map { blocks.done[$0] }.min() ?? 0, most = shown.map { blocks.done[$0] }.max() ?? 0
            title += " \(dot) step" + (least == most ? " \(least)" : "s \(least)-\(most)") + "/\(map.steps)"
        }
        let stages = model.run.stages.count
        if stages > 1 { title += " \(dot) stage \(shown + 1)/\(stages)" }
        return title
    }

    /// The glyph and colour of a cell covering `indices`; nil when none of them has tasks.
    private func look(_ blocks: BlockStates.Counts, _ indices: [Int]) -> (glyph: Unicode.Scalar, color: RGB)? {
        let theme = view.theme, glyphs = view.glyphs
        var total: Int32 = 0, done: Int32 = 0, ready: Int32 = 0, failed: Int32 = 0, worker: Int16 = -1
        for index in indices where index < blocks.total.count {
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

extension BlockGridWidget: Panel {
    var slot: PanelSlot { .grid }
}
