/// 101 colours from 0% to 100%, built from a theme's `*_start`, `*_mid` and `*_end` as btop does:
/// three colours give two halves, start and end give one ramp, start alone a solid colour.
public struct Gradient: Sendable, Equatable {
    /// `steps[p]` is the colour at p percent.
    public let steps: [RGB]

    public init(start: RGB, mid: RGB? = nil, end: RGB? = nil) {
        steps = (0...100).map { percent -> RGB in
            switch (mid, end) {
            case let (mid?, end?):
                percent <= 50 ? start.mixed(with: mid, Double(percent) / 50) : mid.mixed(with: end, Double(percent - 50) / 50)
            case let (nil, end?): start.mixed(with: end, Double(percent) / 100)
            case let (mid?, nil): start.mixed(with: mid, Double(percent) / 100)
            case (nil, nil): start
            }
        }
    }

    /// A gradient of 101 given colours.
    init(steps: [RGB]) {
        precondition(steps.count == 101, "a gradient has 101 steps, got \(steps.count)")
        self.steps = steps
    }

    /// The colour at `percent`, clamped to 0…100.
    public func at(_ percent: Double) -> RGB {
        steps[percent.isFinite ? max(0, min(100, Int(percent.rounded()))) : 0]
    }
}
