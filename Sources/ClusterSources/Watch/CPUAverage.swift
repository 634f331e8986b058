/// A watched program's CPU averaged over the readings taken of it; the first reading, a base
/// taken when the watch starts, is left out.
package struct CPUAverage: Sendable, Equatable {
    private var readings = 0
    private var sum = 0.0

    package init() {}

    /// Takes in a reading (100 is one core); one that is not a finite number at least 0 counts as 0.
    package mutating func add(_ percent: Double) {
        readings += 1
        if readings > 1 && percent.isFinite && percent > 0 { sum += percent }
    }

    /// The average of the readings after the first; 0 before there are two.
    package var percent: Double { sum / Double(max(1, readings - 1)) }
}
