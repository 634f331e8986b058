import Foundation
import Testing

extension Tag {
    /// Compares live readings of this machine (CPU% per core, process and thread) with mpstat or
    /// pidstat over a window. Noise on a shared machine decides these, not races.
    @Tag package static var machineReadings: Self
    /// Runs the real blocktop binary, headless or in tmux.
    @Tag package static var binary: Self
}

/// Turning the `machineReadings` tests off from the command line.
///
/// `swift test` (6.3) cannot select tests by tag: `--filter` and `--skip` match test ids only
/// (`--skip tag:machineReadings` matches nothing). So every test tagged `machineReadings` also
/// carries `.skippedWhenMachineReadingsAreOff`, and `BLOCKTOP_SKIP_MACHINE_READINGS=1 swift test …`
/// skips them all, as the Makefile's sanitizer runs do.
package enum MachineReadings {
    /// The environment variable that, set to anything, skips the tagged tests.
    package static let skipVariable = "BLOCKTOP_SKIP_MACHINE_READINGS"
    package static var areOff: Bool { ProcessInfo.processInfo.environment[skipVariable] != nil }
}

extension Trait where Self == ConditionTrait {
    /// Skips a `machineReadings` test when BLOCKTOP_SKIP_MACHINE_READINGS is set.
    package static var skippedWhenMachineReadingsAreOff: Self {
        .disabled(if: MachineReadings.areOff, "BLOCKTOP_SKIP_MACHINE_READINGS is set: machine readings are off")
    }
}
