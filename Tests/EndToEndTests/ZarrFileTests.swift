import Foundation
import Testing
import TestSupport

/// `load('x.zarr')` and `--output x.zarr` through the real binary, with zarr-python (the tests'
/// venv) making the input stores and reading the outputs back.
@Suite(.tags(.binary)) struct ZarrFileTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func contents(_ folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func aZarrStoreIsLoadedInItsChunksAndWrittenBackForZarrPythonInBothFormats() throws {
        let folder = try TemporaryFolder("e2e-zarr")
        let input = folder.file("in.zarr")
        try Python.run("""
            import sys, numpy as np, zarr
            z = zarr.create_array(sys.argv[1], shape=(600, 70), chunks=(128, 32), dtype='>i4', serializer=zarr.codecs.BytesCodec(endian='big'))
            z[...] = (np.arange(600 * 70) % 997 - 400).reshape(600, 70)
            """, [input])
        for format in ["3", "2"] {
            let output = folder.file("out-v\(format).zarr")
            let outcome = try Blocktop.run(["run", "--json", "--workers", "2", "--output", output, "--zarr-format", format, "--dtype", "int64",
                                            "x = load('\(input)'); x * 3 - x.T.T"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let report = try json(outcome.stdout)
            #expect(report["result"] as? Double == Double(600 * 70))
            let inputs = try #require(report["inputs"] as? [[String: Any]])
            #expect(inputs.first?["dtype"] as? String == "int32 (big-endian)")
            #expect(inputs.first?["order"] as? String == "Zarr 3, C")
            let check = try Python.run("""
                import sys, numpy as np, zarr
                a = zarr.open_array(sys.argv[1], mode='r')[...].astype(np.int64); b = zarr.open_array(sys.argv[2], mode='r')
                print(b.metadata.zarr_format, b.dtype, b.shape, b.chunks, bool((b[...] == a * 3 - a).all()))
                """, [input, output])
            // The blocks are the input's chunks, and so are the output's.
            #expect(check == "\(format) int64 (600, 70) (128, 32) True\n")
        }
        #expect(try contents(folder) == ["in.zarr", "out-v2.zarr", "out-v3.zarr"])
        // --force replaces a store whole.
        let again = try Blocktop.run(["run", "--output", folder.file("out-v3.zarr"), "--force", "ones((3, 3), chunks=2)"])
        #expect(again.status == 0, "\(again.stderr)")
        let replaced = try Python.run("import sys, zarr; z = zarr.open_array(sys.argv[1], mode='r'); print(z.shape, float(z[...].sum()))",
                                      [folder.file("out-v3.zarr")])
        #expect(replaced == "(3, 3) 9.0\n")
        #expect(try contents(folder) == ["in.zarr", "out-v2.zarr", "out-v3.zarr"])
    }

    @Test func badStoresAndOutputsAreOneErrorLineAndExit64WithNothingWritten() throws {
        let folder = try TemporaryFolder("e2e-zarr-bad")
        let good = folder.file("good.zarr"), cut = folder.file("cut.zarr"), lz4 = folder.file("lz4.zarr"), complex = folder.file("complex.zarr")
        let plain = folder.file("plain")
        try Python.run("""
            import sys, os, numpy as np, zarr, numcodecs
            good, cut, lz4, complex, plain = sys.argv[1:]
            zarr.create_array(good, shape=(100, 10), chunks=(50, 10), dtype='f8')[...] = 1
            zarr.create_array(cut, shape=(100, 10), chunks=(50, 10), dtype='f8')[...] = np.random.default_rng(1).random((100, 10))
            data = open(cut + '/c/1/0', 'rb').read(); open(cut + '/c/1/0', 'wb').write(data[:len(data) // 2])
            zarr.create_array(lz4, shape=(4,), chunks=(2,), dtype='f8', zarr_format=2, compressors=numcodecs.LZ4())[...] = 1
            zarr.create_array(complex, shape=(4,), chunks=(2,), dtype='c16')[...] = 1
            os.mkdir(plain)
            """, [good, cut, lz4, complex, plain])
        let link = folder.file("link.zarr")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: good)
        let out = folder.file("out.zarr")
        let cases: [([String], String)] = [
            (["run", "load('\(plain)/x.zarr').sum()"], "'\(plain)/x.zarr': cannot open: No such file or directory"),
            (["run", "load('\(folder.file("plain.zarr"))').sum()", "--output", out], "'\(folder.file("plain.zarr"))': is not a Zarr store"),
            (["run", "load('\(lz4)').sum()", "--output", out], "'\(lz4)': unknown codec 'lz4'"),
            (["run", "load('\(complex)').sum()", "--output", out], "'\(complex)': data_type 'complex128' (complex) is not supported"),
            (["run", "load('\(cut)').sum()", "--output", out, "--workers", "1"], "'\(cut)': block [1, 0]: chunk 'c/1/0': zstd: "),
            (["run", "load('\(good)')", "--output", good], "--output: '\(good)': exists; give --force to replace it"),
            (["run", "load('\(good)')", "--output", link, "--force"], "--output: '\(link)': is a symlink"),
            (["run", "load('\(good)')", "--output", folder.file("plain.zarr/"), "--force"], "--output: '\(folder.file("plain.zarr"))': is a folder but not a Zarr store"),
            (["run", "load('\(good)')", "--output", out, "--zarr-format", "4"], "--zarr-format must be 2 or 3, got 4"),
            (["run", "load('\(good)')", "--output", folder.file("out.npy"), "--zarr-format", "2"], "--zarr-format needs a .zarr --output"),
            (["run", "(load('\(good)') - 1) / 0", "--output", out, "--dtype", "int32", "--workers", "1"], "'\(out)': block [0, 0]: element [0, 0] is NaN, which int32 cannot hold"),
        ]
        try FileManager.default.createDirectory(atPath: folder.file("plain.zarr"), withIntermediateDirectories: false)
        for (arguments, message) in cases {
            let outcome = try Blocktop.run(arguments)
            #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
            let errors = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("blocktop: error:") }
            #expect(errors.count == 1 && errors[0].contains(message), "\(arguments): \(outcome.stderr)")
        }
        #expect(try contents(folder) == ["complex.zarr", "cut.zarr", "good.zarr", "link.zarr", "lz4.zarr", "plain", "plain.zarr"])
    }

    /// Interrupted once chunks are in the temporary folder: nothing is left, and a store that was
    /// there (replaced with --force) is as it was.
    @Test func anInterruptedRunLeavesNothingAndTheOldStoreUntouched() throws {
        let folder = try TemporaryFolder("e2e-zarr-cancel")
        let output = folder.file("out.zarr")
        let first = try Blocktop.run(["run", "--output", output, "ones((4, 4), chunks=2)"])
        #expect(first.status == 0, "\(first.stderr)")
        let process = Process()
        process.executableURL = Blocktop.binary
        process.arguments = ["run", "--headless", "--workers", "1", "--output", output, "--force",
                             "x = random((6000, 6000), chunks=200); sin(x) ** 2 + cos(x) ** 2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The temporary folder beside the target, once it holds chunks.
        try waitUntil("chunks in the temporary folder") {
            let staged = try contents(folder).filter { $0.hasPrefix(".out.zarr.") && $0.hasSuffix(".tmp") }
            return staged.contains { !((try? FileManager.default.contentsOfDirectory(atPath: folder.file($0 + "/c"))) ?? []).isEmpty }
        }
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(try contents(folder) == ["out.zarr"])
        let kept = try Python.run("import sys, zarr; z = zarr.open_array(sys.argv[1], mode='r'); print(z.shape, float(z[...].sum()))", [output])
        #expect(kept == "(4, 4) 16.0\n")
    }
}
