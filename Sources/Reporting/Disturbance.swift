import RunVocabulary

extension RunSummary {
    /// What other processes took of the CPUs this run could use: disturbed when others surely
    /// took `Competition.disturbingShare` of them.
    package var competition: Competition.Reading {
        Competition.Reading(othersCPUs: othersCPUs, capacity: capacity, disturbed: isDisturbed)
    }
}
