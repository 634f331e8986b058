import BlocktopSupport

/// Other processes busy on the CPUs blocktop may use: when that is worth saying, and how it reads.
///
/// The dashboard's header warns while it lasts; run reports give the figure, and `sweep` and
/// `scale` flag the runs it disturbed, since their times are then not comparable.
package enum Competition {
    /// The share of the usable CPUs that other processes must take, on average, for a warning:
    /// one eighth (0.25 of a CPU on 2 CPUs, 1 on 8).
    ///
    /// A run that keeps every usable CPU busy loses about the share others take, so at this
    /// share it runs some 12% slower: more than repeated runs on a quiet machine differ, and
    /// enough to reorder block sizes that a sweep finds close.
    package static let disturbingShare = 0.125

    /// Whether others taking `othersCPUs` CPUs (1 is one CPU's time) of `capacity` usable CPUs disturb a run.
    package static func disturbs(othersCPUs: Double, capacity: Double) -> Bool {
        othersCPUs.isFinite && othersCPUs > 0 && othersCPUs >= disturbingShare * capacity
    }

    /// "others use 0.9 of 2 CPUs" (`ended`: "others used …"), one decimal.
    package static func text(othersCPUs: Double, capacity: Double, ended: Bool = false) -> String {
        "others \(ended ? "used" : "use") \(oneDecimal(othersCPUs)) of \(cpus(capacity))"
    }

    /// A number of CPUs: "2 CPUs", "1 CPU", "1.5 CPUs" (whole when it is, else one decimal).
    package static func cpus(_ count: Double) -> String {
        if count == 1 { return "1 CPU" }
        return (count.isFinite && count.rounded() == count ? "\(Int(count))" : oneDecimal(count)) + " CPUs"
    }

    private static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite else { return "--" }
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// What other processes took of the CPUs a run could use, over the whole run.
    package struct Reading: Sendable, Equatable {
        /// CPUs' worth of time other processes took on the usable CPUs, on average (1 is one CPU's time).
        package var othersCPUs: Double
        /// CPUs' worth of time the run could use.
        package var capacity: Double
        /// Whether others surely took enough of them to disturb the run (see `disturbs`).
        package var disturbed: Bool

        package init(othersCPUs: Double, capacity: Double, disturbed: Bool) {
            self.othersCPUs = othersCPUs
            self.capacity = capacity
            self.disturbed = disturbed
        }

        /// `others_cpus` and `disturbed`, for JSON reports.
        package var json: [(String, JSON)] {
            [("others_cpus", .number(othersCPUs)), ("disturbed", .bool(disturbed))]
        }
    }
}
