import BlocktopSupport
import Testing

@Suite struct ByteCountTests {
    @Test(arguments: [(0, "0 B"), (8, "8 B"), (999, "999 B"), (1_000, "1.0 kB"), (9_949, "9.9 kB"), (9_950, "10 kB"),
                      (812_000_000, "812 MB"), (999_499_999, "999 MB"), (999_500_000, "1.0 GB"), (1_234_000_000, "1.2 GB"),
                      (-2_500, "-2.5 kB")])
    func decimalUnitsWithThreeFiguresAtMost(bytes: Int, text: String) {
        #expect(ByteCount.text(bytes) == text)
    }
}

@Suite struct ExitStatusTests {
    @Test func eachSignalAndProblemHasItsStatus() {
        #expect(ExitStatus.signal(2).rawValue == 130)
        #expect(ExitStatus.badInput.rawValue == 64 && ExitStatus.reportUnwritten.rawValue == 74)
    }
}
