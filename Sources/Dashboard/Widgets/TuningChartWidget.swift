import BlocktopSupport
import Tuning

/// The sweep or scaling chart, filled in as the plan's runs end: a row per setting with the median
/// time of its runs so far and their min–max range; for block sizes the GFLOP/s of the median with
/// a bar, for worker counts the speedup with a bar against the ideal (a mark at 1, 2, … N) and the
/// parallel efficiency. The title says which round runs; the bottom edge gives the verdict
/// (`TuningVerdict`): the best setting, or the settings that tie.
struct TuningChartWidget {
    let chart: TuningChart
    let view: ViewState

    /// Characters of a row before its bar.
    static func textWidth(_ kind: TuningKind) -> Int { kind == .blockSizes ? 35 : 40 }

    /// The header row; the columns of the rows line up under it.
    static func header(_ kind: TuningKind) -> String {
        switch kind {
        case .blockSizes: Format.pad("block", 6) + Format.pad("median", 7, right: true) + Format.pad("min-max", 13, right: true)
            + Format.pad("GFLOP/s", 9, right: true)
        case .workers: Format.pad("workers", 7) + Format.pad("median", 7, right: true) + Format.pad("min-max", 13, right: true)
            + Format.pad("speedup", 8, right: true) + Format.pad("eff", 5, right: true)
        }
    }

    /// The text columns of a setting's row, without the bar: its statistics, or what it waits for.
    static func columns(_ chart: TuningChart, setting: Int, comparison: TuningComparison) -> String {
        let kind = chart.plan.kind
        let label = Format.pad(String(setting), kind == .blockSizes ? 6 : 7)
        guard let statistics = comparison.statistics(of: setting) else { return label + status(chart, setting: setting) }
        let range = statistics.runs > 1 ? time(statistics.minimum) + "-" + time(statistics.maximum) : ""
        let times = label + Format.pad(time(statistics.median), 7, right: true) + Format.pad(range, 13, right: true)
        switch kind {
        case .blockSizes:
            return times + Format.pad(Format.rate(statistics.gflops), 9, right: true)
        case .workers:
            let speedup = comparison.speedup(statistics).map { Format.fixed($0, 2) + "x" } ?? "--"
            let efficiency = comparison.efficiency(statistics).map { "\(Int(($0 * 100).rounded()))%" } ?? "--"
            return times + Format.pad(speedup, 8, right: true) + Format.pad(efficiency, 5, right: true)
        }
    }

    /// What a setting without a finished counted run shows: its run going now, how its runs
    /// ended, or that it waits (or will not run, once the plan stopped).
    private static func status(_ chart: TuningChart, setting: Int) -> String {
        if let current = chart.current, chart.plan.setting(of: current.settings) == setting {
            return current.round == 0 ? "warm-up…" : "running…"
        }
        if let ended = chart.results.last(where: { $0.setting == setting && !$0.isWarmUp }) { return ended.outcome.rawValue }
        return chart.stopped ? "not run" : "waiting"
    }

    /// The title: what the chart compares and where the plan is.
    static func title(_ chart: TuningChart) -> String {
        let name = chart.plan.kind == .blockSizes ? "block size sweep" : "scaling (speedup vs ideal)"
        let rounds = chart.plan.repeats
        let phase = if let current = chart.current {
            current.round == 0 ? "warm-up" : "round \(current.round)/\(rounds)"
        } else {
            chart.stopped ? "stopped" : rounds == 1 ? "1 round" : "\(rounds) rounds"
        }
        return name + " · " + phase
    }

    /// The verdict in a few words: "best: block size 500", "block sizes 500 and 1000 tie",
    /// "fastest: 2 workers (single runs)".
    static func verdict(_ verdict: TuningVerdict, kind: TuningKind) -> String {
        switch verdict {
        case .best(let setting): "best: " + kind.describe(setting)
        case .singleRuns(let setting): "fastest: " + kind.describe(setting) + " (single runs)"
        case .tie(let settings):
            kind == .blockSizes ? "block sizes \(TuningKind.list(settings)) tie" : "\(TuningKind.list(settings)) workers tie"
        }
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let kind = chart.plan.kind
        let comparison = chart.comparison
        frame.box(rect, title: Self.title(chart), color: theme.blockBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: view.glyphs)
        if let verdict = comparison.verdict, rect.width > 6 {
            frame.text(" " + Format.clip(Self.verdict(verdict, kind: kind), rect.width - 6) + " ", x: rect.x + 2,
                       y: rect.y + rect.height - 1, style: view.style(theme.ink.highlight, bold: true))
        }
        let inner = rect.inset(1)
        guard inner.width > 10, inner.height > 1 else { return }
        let textWidth = Self.textWidth(kind)
        let markWidth = 5
        // A space before the text, two before the bar, one after the mark.
        let room = inner.width - 1 - textWidth - 2 - markWidth - 1
        let barWidth = room >= 6 ? room : 0
        let barX = inner.x + 1 + textWidth + 2
        let markX = barWidth > 0 ? barX + barWidth : inner.x + 1 + textWidth
        frame.text(Self.header(kind), x: inner.x + 1, y: inner.y, style: view.style(theme.ink.label), maxWidth: inner.width - 1)
        if barWidth > 0, kind == .workers {
            frame.text("| ideal", x: barX, y: inner.y, style: view.style(theme.ink.label), maxWidth: barWidth)
        }
        let settings = chart.plan.settings.map(chart.plan.setting(of:))
        let running = chart.current.map { chart.plan.setting(of: $0.settings) }
        let verdict = comparison.verdict
        let peak = kind == .blockSizes
            ? comparison.statistics.map(\.gflops).max() ?? 0
            : Double(settings.max() ?? 1)
        // When the settings do not all fit, the rows end at the one running (or the last).
        let rows = inner.height - 1
        let focus = running.flatMap { settings.firstIndex(of: $0) } ?? settings.count - 1
        let start = max(0, focus - rows + 1)
        for (row, setting) in settings.dropFirst(start).prefix(max(0, rows)).enumerated() {
            let y = inner.y + 1 + row
            let statistics = comparison.statistics(of: setting)
            let isMarked = statistics != nil && verdict?.settings.contains(setting) == true
            let isBest = statistics != nil && verdict == .best(setting)
            let color = statistics == nil ? theme.ink.inactive : isMarked ? theme.ink.highlight : theme.ink.text
            frame.text(Self.columns(chart, setting: setting, comparison: comparison), x: inner.x + 1, y: y,
                       style: view.style(color, bold: isBest), maxWidth: inner.width - 1)
            guard let statistics else { continue }
            if barWidth > 0 {
                let value = kind == .blockSizes ? statistics.gflops : comparison.speedup(statistics) ?? 0
                var cells = Array(repeating: Unicode.Scalar(" "), count: barWidth)
                let filled = peak > 0 ? max(0, min(barWidth, Int((value / peak * Double(barWidth)).rounded()))) : 0
                for cell in 0..<filled { cells[cell] = view.glyphs.full }
                if kind == .workers {
                    let ideal = min(barWidth - 1, Int((Double(setting) / peak * Double(barWidth)).rounded()) - 1)
                    if ideal >= 0 { cells[ideal] = "|" }
                }
                var text = String.UnicodeScalarView()
                text.append(contentsOf: cells)
                frame.text(String(text), x: barX, y: y, style: view.style(isMarked ? theme.ink.highlight : theme.ink.done))
            }
            // The row running now, else the verdict: the best, or the settings that tie (the
            // fastest of single runs only in the bottom edge's words).
            let mark = setting == running ? " run…" : isBest ? " best" : isMarked && verdict?.named == nil ? " tie" : ""
            if !mark.isEmpty, markX + markWidth < inner.x + inner.width {
                frame.text(mark, x: markX, y: y, style: view.style(setting == running ? theme.ink.text : theme.ink.highlight,
                                                                   bold: setting != running))
            }
        }
    }

    /// A time with two decimals under 10 s, so that short runs can be told apart: "0.12s", "21.4s", "1:02".
    private static func time(_ seconds: Double) -> String {
        seconds < 10 ? Format.fixed(seconds, 2) + "s" : Format.duration(seconds)
    }
}

extension TuningChartWidget: Panel {
    var slot: PanelSlot { .tuning }
    var demand: PanelDemand { Self.demand(settings: chart.plan.settings.count) }

    /// Its box, a header and a row per setting.
    static func demand(settings: Int) -> PanelDemand {
        PanelDemand { _, _ in settings + 3 }
    }
}
