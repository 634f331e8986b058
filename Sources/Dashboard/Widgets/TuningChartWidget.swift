import BlocktopSupport

/// The sweep or scaling chart, filled in as the plan's runs end: for block sizes a bar of GFLOP/s
/// per size with its time, the fastest marked; for worker counts the speedup per count as a bar
/// against the ideal (a mark at 1, 2, … N) with the parallel efficiency.
struct TuningChartWidget {
    let chart: TuningChart
    let view: ViewState

    /// The header row; the columns of the rows line up under it.
    static func header(_ kind: TuningKind) -> String {
        kind == .blockSizes ? "block   time  GFLOP/s" : "workers   time  speedup   eff"
    }

    /// The text columns of a run's row, without the bar; "running" or "waiting" for runs not yet ended.
    static func columns(_ chart: TuningChart, index: Int, current: Int?) -> String {
        let setting = chart.plan.setting(of: chart.plan.runs[index])
        let label = pad(String(setting), chart.plan.kind == .blockSizes ? 5 : 7)
        guard index < chart.results.count else {
            return label + "  " + (index == current ? "running…" : "waiting")
        }
        let result = chart.results[index]
        let time = pad(Format.duration(result.seconds), 7, right: true)
        guard result.outcome == .done else { return label + time + "  " + result.outcome.rawValue }
        switch chart.plan.kind {
        case .blockSizes:
            return label + time + pad(Format.rate(result.gflops), 9, right: true)
        case .workers:
            let speedup = chart.comparison.speedup(result).map { Format.fixed($0, 2) + "x" } ?? "--"
            let efficiency = chart.comparison.efficiency(result).map { "\(Int(($0 * 100).rounded()))%" } ?? "--"
            return label + time + pad(speedup, 9, right: true) + pad(efficiency, 6, right: true)
        }
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let title = chart.plan.kind == .blockSizes ? "block size sweep" : "scaling (speedup vs ideal)"
        frame.box(rect, title: title, color: theme.blockBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: view.glyphs)
        let inner = rect.inset(1)
        guard inner.width > 10, inner.height > 1 else { return }
        let kind = chart.plan.kind
        let textWidth = kind == .blockSizes ? 21 : 29
        let barX = inner.x + 1 + textWidth + 2
        let barWidth = max(0, inner.x + inner.width - 1 - barX)
        frame.text(Self.header(kind), x: inner.x + 1, y: inner.y, style: view.style(theme.ink.label), maxWidth: inner.width - 1)
        if barWidth >= 6 {
            let label = kind == .blockSizes ? "GFLOP/s" : "speedup, | ideal"
            frame.text(label, x: barX, y: inner.y, style: view.style(theme.ink.label), maxWidth: barWidth)
        }
        let comparison = chart.comparison
        let best = comparison.best
        let current = chart.isComplete ? nil : chart.results.count
        let peak = kind == .blockSizes
            ? chart.results.map(\.gflops).max() ?? 0
            : Double(chart.plan.runs.map(\.workers).max() ?? 1)
        // When the runs do not all fit, the rows end at the one running (or the last).
        let rows = inner.height - 1
        let focus = current ?? chart.plan.runs.count - 1
        let start = max(0, focus - rows + 1)
        let indices = Array(chart.plan.runs.indices.dropFirst(start).prefix(max(0, rows)))
        for (row, index) in indices.enumerated() {
            let y = inner.y + 1 + row
            let isBest = index < chart.results.count && chart.results[index] == best && kind == .blockSizes
            let color = index < chart.results.count ? (isBest ? theme.ink.highlight : theme.ink.text) : theme.ink.inactive
            frame.text(Self.columns(chart, index: index, current: current), x: inner.x + 1, y: y,
                       style: view.style(color, bold: isBest), maxWidth: inner.width - 1)
            guard barWidth >= 6, index < chart.results.count, chart.results[index].outcome == .done else { continue }
            let result = chart.results[index]
            let mark = kind == .blockSizes && isBest ? " best" : ""
            let width = barWidth - (kind == .blockSizes ? 5 : 0)
            let value = kind == .blockSizes ? result.gflops : comparison.speedup(result) ?? 0
            var cells = Array(repeating: Unicode.Scalar(" "), count: width)
            let filled = peak > 0 ? max(0, min(width, Int((value / peak * Double(width)).rounded()))) : 0
            for cell in 0..<filled { cells[cell] = view.glyphs.full }
            if kind == .workers {
                let ideal = min(width - 1, Int((Double(result.setting) / peak * Double(width)).rounded()) - 1)
                if ideal >= 0 { cells[ideal] = "|" }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: cells)
            let barColor = isBest ? theme.ink.highlight : theme.ink.done
            frame.text(String(text), x: barX, y: y, style: view.style(barColor), maxWidth: width)
            if !mark.isEmpty { frame.text(mark, x: barX + width, y: y, style: view.style(theme.ink.highlight, bold: true)) }
        }
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.unicodeScalars.count))
        return right ? fill + text : text + fill
    }
}
