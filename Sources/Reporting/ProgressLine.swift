import Foundation

/// A progress line for stderr that rewrites itself, like dask's ProgressBar:
/// `[########                    ]  27% | 327/1210 tasks | 4.2 s`.
public struct ProgressLine {
    public let width: Int

    public init(width: Int = 30) {
        self.width = width
    }

    /// The line for `done` of `total` tasks after `seconds`, starting with a carriage return.
    public func render(done: Int, total: Int, seconds: Double) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        return "\r[\(bar)] \(String(format: "%3d", Int(fraction * 100)))% | \(done)/\(total) tasks | "
            + String(format: "%.1f s", seconds)
    }
}
