import BlocktopSupport
import Dashboard
import DashboardModel
import RunVocabulary
import Testing
import Themes

/// Where the grid draws each block, and which block a screen cell shows: the one geometry the
/// cells, the cursor's highlight and mouse clicks share.
@Suite struct GridGeometryTests {
    /// Cells in proportion to their blocks' sizes, rounded down so that blocks of one size get
    /// one width, each at least a character and its gap; blocks alike keep the even cells.
    @Test func edgesFollowTheBlocksSizes() {
        #expect(BlockGridWidget.edges(sizes: [500, 500, 500, 500], cellSize: 5, gap: 1) == [0, 5, 10, 15, 20])
        #expect(BlockGridWidget.edges(sizes: [100, 300, 600], cellSize: 6, gap: 1) == [0, 2, 7, 17])
        // A last partial block: the full ones keep one width, the half one half of it.
        #expect(BlockGridWidget.edges(sizes: [1000, 1000, 500], cellSize: 7, gap: 1) == [0, 8, 16, 20])
        // Tiny blocks still get a character and a gap; the large one gives way.
        #expect(BlockGridWidget.edges(sizes: [1, 1000, 1], cellSize: 3, gap: 1) == [0, 2, 7, 9])
        #expect(BlockGridWidget.edges(sizes: [1, 1000, 1], cellSize: 1, gap: 0) == [0, 1, 2, 3])
        // Sizes past 2^53 are divided exactly.
        let huge = 1 << 50
        #expect(BlockGridWidget.edges(sizes: [huge, huge, huge], cellSize: 7, gap: 1) == [0, 7, 14, 21])
    }

    /// Irregular chunks along an axis give cells in proportion along that axis only; regular ones
    /// give the same fit as without sizes.
    @Test func irregularChunksShapeTheFit() {
        let irregular = BlockGridWidget.fit(extent: [3, 2], blockSizes: [[100, 300, 600], [500, 500]], width: 40, height: 20)
        #expect(irregular.rowEdges == [0, 2, 7, 17] && irregular.columnEdges == [0, 20, 40])
        #expect(irregular.cellHeight == 6 && irregular.gapY == 1 && irregular.height == 17)
        let regular = BlockGridWidget.fit(extent: [10, 10], blockSizes: Array(repeating: Array(repeating: 1000, count: 10), count: 2),
                                          width: 76, height: 14)
        #expect(regular == BlockGridWidget.fit(extent: [10, 10], width: 76, height: 14))
        // A 1-D stage in one line.
        let uneven = BlockGridWidget.fit(extent: [3], blockSizes: [[200, 100, 100]], width: 40, height: 10)
        #expect(uneven.columnEdges == [0, 19, 28, 37])
        // k×k blocks a cell: a cell's share is the sum of its blocks' sizes (20 and 15).
        let grouped = BlockGridWidget.fit(extent: [20, 4], blockSizes: [Array(repeating: 10, count: 20), [10, 10, 10, 5]], width: 40, height: 10)
        #expect(grouped.factor == 2 && grouped.columnEdges == [0, 22, 39] && grouped.rowEdges == (0...10).map { $0 })
        // Folded into columns, or wrapped into lines, blocks are drawn alike.
        let wrapped = BlockGridWidget.fit(extent: [100], blockSizes: [(1...100).map { $0 }], width: 40, height: 10)
        #expect(wrapped.wraps && wrapped.columnEdges == (0...40).map { $0 })
        let folded = BlockGridWidget.fit(extent: [30, 2, 2], blockSizes: [Array(repeating: 1, count: 30), [1, 2], [1, 2]], width: 40, height: 12)
        #expect(folded.planes == 1 && folded.columnEdges == [0, 20, 40])
    }

    /// A 2×2 grid of 20×5 cells, each with a gap on its right and below.
    @Test(arguments: [(0, 0, 0), (18, 3, 0), (19, 0, nil), (20, 0, 1), (0, 4, nil), (0, 5, 2), (38, 8, 3), (39, 9, nil),
                      (40, 0, nil), (0, 10, nil), (-1, 0, nil), (0, -1, nil)] as [(Int, Int, Int?)])
    func aClickOnAnEvenGrid(x: Int, y: Int, block: Int?) {
        #expect(BlockGridWidget.fit(extent: [2, 2], width: 40, height: 10).block(atX: x, y: y) == block)
    }

    /// Irregular rows: 2, 5 and 10 rows high (a gap each), so a click lands by size.
    @Test(arguments: [(0, 0, 0), (25, 0, 1), (0, 1, nil), (0, 2, 2), (25, 5, 3), (25, 6, nil), (25, 7, 5), (25, 15, 5),
                      (0, 16, nil), (0, 17, nil)] as [(Int, Int, Int?)])
    func aClickOnAnIrregularGrid(x: Int, y: Int, block: Int?) {
        let fit = BlockGridWidget.fit(extent: [3, 2], blockSizes: [[100, 300, 600], [500, 500]], width: 40, height: 20)
        #expect(fit.block(atX: x, y: y) == block)
    }

    /// Three planes of 4×5 blocks, 3×3 cells, a line between planes; a cell of 10×10 blocks
    /// picks the block at the place clicked; 1-D stages in a line and wrapped.
    @Test func clicksOnPlanesCellsOfSeveralBlocksAndLines() {
        let planes = BlockGridWidget.fit(extent: [3, 4, 5], width: 50, height: 12)
        #expect(planes.block(atX: 0, y: 0) == 0 && planes.block(atX: 3, y: 3) == 6 && planes.block(atX: 2, y: 0) == nil)
        #expect(planes.block(atX: 15, y: 0) == nil && planes.block(atX: 16, y: 0) == 20 && planes.block(atX: 44, y: 9) == 59)
        #expect(planes.block(atX: 47, y: 0) == nil)
        let grouped = BlockGridWidget.fit(extent: [100, 100], width: 40, height: 10)
        #expect(grouped.factor == 10 && grouped.cellWidth == 4)
        #expect(grouped.block(atX: 0, y: 0) == 0 && grouped.block(atX: 1, y: 0) == 3 && grouped.block(atX: 2, y: 0) == 6)
        #expect(grouped.block(atX: 3, y: 0) == nil && grouped.block(atX: 4, y: 1) == 1010)
        let line = BlockGridWidget.fit(extent: [8], width: 40, height: 10)
        #expect(line.block(atX: 5, y: 1) == 1 && line.block(atX: 4, y: 0) == nil && line.block(atX: 5, y: 2) == nil)
        let wrapped = BlockGridWidget.fit(extent: [100], width: 40, height: 10)
        #expect(wrapped.block(atX: 5, y: 0) == 5 && wrapped.block(atX: 5, y: 3) == 45 && wrapped.block(atX: 5, y: 2) == nil)
        #expect(wrapped.block(atX: 19, y: 6) == 99 && wrapped.block(atX: 25, y: 6) == nil)
    }

    /// A left click is a key that selects the block under it.
    @Test func aClickIsAKeyThatSelectsABlock() {
        #expect(KeyCommand(.click(column: 7, row: 12)) == .selectBlock(column: 7, row: 12))
        #expect(Key.click(column: 7, row: 12).name == "click")
    }

    /// A click on a block does what the arrow keys do when they reach it: the cursor on it and
    /// its detail open, the stage pinned; a click on a gap, outside the grid or under the detail
    /// does nothing; with the help open, the click closes it.
    @Test func aClickOpensTheBlocksDetail() throws {
        let session = try DashboardSession(launcher: FakeLauncher(), settings: RunSettings(blockSize: 1000, workers: 2),
                                           view: ViewState(), catalog: ThemeCatalog(folders: []))
        session.refresh()
        // Before any frame there is nothing to click on.
        #expect(session.handle(.click(column: 3, row: 9)) == .handled(message: nil))
        #expect(session.view.cursor == nil)
        // 80×24: the 4×4 grid's cells start at (2, 10), 10 wide and a row high, a gap after each column.
        _ = session.frame(width: 80, height: 24)
        _ = session.handle(.click(column: 12, row: 11))
        #expect(session.view.cursor == 5 && session.view.pinnedStage == 0)
        _ = session.handle(.click(column: 11, row: 10))
        #expect(session.view.cursor == 5, "the gap after a column")
        _ = session.handle(.click(column: 2, row: 9))
        #expect(session.view.cursor == 5, "the grid's box")
        _ = session.handle(.click(column: 60, row: 11))
        #expect(session.view.cursor == 5, "the progress box")
        _ = session.handle(.click(column: 40, row: 13))
        #expect(session.view.cursor == 15)
        session.view.showHelp = true
        _ = session.handle(.click(column: 12, row: 11))
        #expect(!session.view.showHelp && session.view.cursor == 15)
    }

    /// The detail of a block of 10 tasks covers the grid's lower rows: a click there selects no
    /// block under it.
    @Test func aClickUnderTheDetailSelectsNothing() throws {
        var state = ViewState()
        state.cursor = 0
        state.pinnedStage = 0
        let view = DashboardView(model: DashboardModel(run: Fixtures.run(rows: 10, columns: 10, tasksPerBlock: 10)), state: state)
        let detailTop = try #require(view.render(width: 120, height: 40).lines.firstIndex { $0.contains("╭─ block [0, 0] of matmul") })
        var closed = view
        closed.state.cursor = nil
        #expect(closed.block(atX: 2, y: detailTop + 1, width: 120, height: 40) == 60)
        #expect(view.block(atX: 2, y: detailTop + 1, width: 120, height: 40) == nil)
        #expect(view.block(atX: 2, y: detailTop - 1, width: 120, height: 40) == 50)
    }
}
