import Foundation
import Testing
import TestSupport

/// `load('x.npy')` and `--output` through the real binary, with NumPy (the tests' venv) making
/// the input files and reading the outputs back.
@Suite(.tags(.binary)) struct ArrayFileTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aNumPyFileIsLoadedTransformedAndWrittenBackForNumPy() throws {
        let folder = try TemporaryFolder("e2e-npy")
        let input = folder.file("in.npy"), output = folder.file("out.npy")
        try Python.run("import sys, numpy as np; np.save(sys.argv[1], np.asfortranarray((np.arange(600 * 70) % 997 - 400).astype('>i4').reshape(600, 70)))", [input])
        let outcome = try Blocktop.run(["run", "--json", "--workers", "2", "--output", output, "--dtype", "int64",
                                        "x = load('\(input)', chunks=(128, 32)); x * 3 - x.T.T"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        #expect(report["result"] as? Double == Double(600 * 70))
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.first?["dtype"] as? String == "int32 (big-endian)")
        #expect(inputs.first?["order"] as? String == "Fortran")
        let written = try #require(report["output"] as? [String: Any])
        #expect(written["written"] as? Bool == true && written["dtype"] as? String == "int64")
        let check = try Python.run("""
            import sys, numpy as np
            a = np.load(sys.argv[1]).astype(np.int64); b = np.load(sys.argv[2])
            print(b.dtype.str, b.shape, bool((b == a * 3 - a).all()))
            """, [input, output])
        #expect(check == "<i8 (600, 70) True\n")
        // Nothing else is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["in.npy", "out.npy"])
    }

    @Test func badFilesAndOutputsAreOneErrorLineAndExit64WithNothingWritten() throws {
        let folder = try TemporaryFolder("e2e-npy-bad")
        let good = folder.file("good.npy"), cut = folder.file("cut.npy"), complex = folder.file("complex.npy")
        try Python.run("""
            import sys, numpy as np
            np.save(sys.argv[1], np.ones((100, 10))); np.save(sys.argv[3], np.zeros(3, dtype=complex))
            data = open(sys.argv[1], 'rb').read(); open(sys.argv[2], 'wb').write(data[:len(data) - 3000])
            """, [good, cut, complex])
        let out = folder.file("out.npy")
        let cases: [([String], String)] = [
            (["run", "load('\(folder.file("missing.npy"))')", "--output", out], "'\(folder.file("missing.npy"))': cannot open: No such file or directory"),
            (["run", "load('\(cut)').sum()", "--output", out], "'\(cut)': its header says float64 data of shape (100, 10), 8000 bytes from byte 128, but the file has 5128 bytes"),
            (["run", "load('\(complex)')", "--output", out], "'\(complex)': dtype '<c16' (complex) is not supported"),
            (["run", "load('\(good)')", "--output", good], "--output: '\(good)' exists; give --force to replace it"),
            (["run", "load('\(good)')", "--output", folder.file("out.csv")], "unknown format: blocktop reads and writes .npy, .h5, .hdf5, .zarr files"),
            (["run", "load('\(good)')", "--dtype", "int32"], "--dtype needs --output"),
            (["run", "load('\(good)', chunks=50) / 0", "--output", out, "--dtype", "int32", "--workers", "1"], "'\(out)': block [0, 0]: element [0, 0] is inf, which int32 cannot hold"),
            (["run", "(load('\(good)', chunks=50) - 1) / 0", "--output", out, "--dtype", "int32", "--workers", "1"], "'\(out)': block [0, 0]: element [0, 0] is NaN, which int32 cannot hold"),
        ]
        for (arguments, message) in cases {
            let outcome = try Blocktop.run(arguments)
            #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
            let errors = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("blocktop: error:") }
            #expect(errors.count == 1 && errors[0].contains(message), "\(arguments): \(outcome.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["complex.npy", "cut.npy", "good.npy"])
    }

    /// The address space of the blocktop process is limited below the file's size: a map of the
    /// whole file could not even be made, and blocks read one by one still sum it.
    @Test func aFileLargerThanTheProcessMemoryLimitStillSums() throws {
        let folder = try TemporaryFolder("e2e-npy-big")
        let path = folder.file("big.npy")
        // 600 MB of whole numbers below 1000: every partial sum is exact in float64.
        let expected = try Python.run("""
            import sys, numpy as np
            a = np.lib.format.open_memmap(sys.argv[1], mode='w+', dtype='<f8', shape=(7500, 10000))
            total = 0
            for r in range(0, 7500, 500):
                rows = (np.arange(r * 10000, (r + 500) * 10000, dtype=np.int64) % 1000).reshape(500, 10000)
                a[r:r + 500] = rows
                total += int(rows.sum())
            a.flush(); print(total)
            """, [path]).trimmingCharacters(in: .whitespacesAndNewlines)
        let limit = 360 << 20
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > limit + (limit / 2))
        let outcome = try Blocktop.run(["run", "--workers", "2", "--json", "load('\(path)', chunks=1000).sum()"],
                                       launcher: ["prlimit", "--as=\(limit)"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        #expect((report["result"] as? Double).map { String(Int($0)) } == expected)
        // Blocks held at once, by the engine's count, and the process's own peak RSS stay below the file.
        #expect((report["peak_held_bytes"] as? Double ?? .infinity) < Double(limit / 4))
        #expect((report["peak_rss_bytes"] as? Double ?? .infinity) < Double(limit))
    }
}
