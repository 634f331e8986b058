import Foundation
import Testing
import TestSupport

/// `load('x.h5', dataset=)` and `--output x.h5 --dataset` through the real binary, with h5py (the
/// tests' venv) making the input files and reading the outputs back.
@Suite(.tags(.binary)) struct HDF5FileTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func anHDF5DatasetIsLoadedTransformedAndWrittenBackForH5py() throws {
        let folder = try TemporaryFolder("e2e-h5")
        let input = folder.file("in.h5"), output = folder.file("out.hdf5")
        try Python.run("""
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], 'w') as f:
                f.create_dataset('group/x', data=(np.arange(600 * 70) % 997 - 400).astype('>i4').reshape(600, 70), chunks=(128, 32), compression='gzip')
                f['other'] = np.ones(3)
            """, [input])
        let outcome = try Blocktop.run(["run", "--json", "--workers", "2", "--output", output, "--dataset", "/result/y", "--dtype", "int64",
                                        "x = load('\(input)', dataset='/group/x'); x * 3 - x.T.T"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try json(outcome.stdout)
        #expect(report["result"] as? Double == Double(600 * 70))
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.first?["dtype"] as? String == "int32 (big-endian)")
        #expect(inputs.first?["order"] as? String == "chunked 128×32 (deflate)")
        let written = try #require(report["output"] as? [String: Any])
        #expect(written["written"] as? Bool == true && written["dtype"] as? String == "int64")
        let check = try Python.run("""
            import sys, h5py, numpy as np
            a = h5py.File(sys.argv[1], 'r')['group/x'][()].astype(np.int64); b = h5py.File(sys.argv[2], 'r')['result/y']
            print(b.dtype.str, b.shape, b.chunks, bool((b[()] == a * 3 - a).all()))
            """, [input, output])
        // The file's chunks were the blocks, and the blocks are the output's chunks.
        #expect(check == "<i8 (600, 70) (128, 32) True\n")
        // Nothing else is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["in.h5", "out.hdf5"])
        // The text report gives the dataset's type and layout.
        let text = try Blocktop.run(["run", "load('\(input)', dataset='/group/x').sum()"])
        #expect(text.stdout.contains("loaded       \(input): int32 (big-endian), chunked 128×32 (deflate), 600×70\n"), "\(text.stdout)")
    }

    @Test func badHDF5InputsAndOutputsAreOneErrorLineAndExit64WithNothingWritten() throws {
        let folder = try TemporaryFolder("e2e-h5-bad")
        let good = folder.file("good.h5"), complex = folder.file("complex.h5"), text = folder.file("text.h5")
        let corrupt = folder.file("corrupt.h5")
        try "plain text\n".write(toFile: text, atomically: false, encoding: .utf8)
        // In corrupt.h5 the chunk at [4, 0] (block [1, 0]) is overwritten with bytes gzip cannot inflate.
        try Python.run("""
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], 'w') as f:
                f['g/x'] = np.ones((100, 10)); f['g/y'] = np.ones(4)
            h5py.File(sys.argv[2], 'w')['c'] = np.zeros(3, dtype=complex)
            with h5py.File(sys.argv[3], 'w') as f:
                chunk = f.create_dataset('x', data=np.arange(64.0).reshape(8, 8), chunks=(4, 4), compression='gzip').id.get_chunk_info_by_coord((4, 0))
            with open(sys.argv[3], 'r+b') as f:
                f.seek(chunk.byte_offset); f.write(b'\\xff' * chunk.size)
            """, [good, complex, corrupt])
        let out = folder.file("out.h5")
        let cases: [([String], String)] = [
            (["run", "load('\(folder.file("missing.h5"))')", "--output", out], "'\(folder.file("missing.h5"))': cannot open: No such file or directory"),
            (["run", "load('\(text)')", "--output", out], "'\(text)': is not an HDF5 file"),
            (["run", "load('\(good)')", "--output", out], "'\(good)': holds 2 datasets: name one with dataset= (/g/x, /g/y)"),
            (["run", "load('\(good)', dataset='/g/z')", "--output", out], "'\(good)': has no dataset '/g/z' (its datasets: /g/x, /g/y)"),
            (["run", "load('\(good)', dataset='g')", "--output", out], "'\(good)': 'g' is a group, not a dataset (datasets in it: g/x, g/y)"),
            (["run", "load('\(complex)')", "--output", out], "'\(complex)': dataset '/c': its elements are compound"),
            (["run", "load('\(corrupt)') + 1", "--output", out, "--workers", "1"], "'\(corrupt)': block [1, 0]: dataset '/x': cannot read: inflate() failed"),
            (["run", "load('\(folder.file("x.npy"))', dataset='/x')"], "dataset= names a dataset of an HDF5 file (.h5, .hdf5)"),
            (["run", "load('\(good)', dataset='/g/x')", "--output", good], "--output: '\(good)' exists; give --force to replace it"),
            (["run", "load('\(good)', dataset='/g/x')", "--dataset", "/x"], "--dataset needs --output"),
            (["run", "load('\(good)', dataset='/g/x')", "--output", folder.file("out.npy"), "--dataset", "/x"],
             "--dataset names the dataset of an HDF5 --output (.h5, .hdf5)"),
            (["run", "load('\(good)', dataset='/g/x')", "--output", out, "--dataset", "/g/"], "'/g/' does not name a dataset (such as /data or /group/x)"),
            (["run", "load('\(good)', dataset='/g/x', chunks=50) / 0", "--output", out, "--dtype", "int32", "--workers", "1"],
             "'\(out)': block [0, 0]: element [0, 0] is inf, which int32 cannot hold"),
        ]
        for (arguments, message) in cases {
            let outcome = try Blocktop.run(arguments)
            #expect(outcome.status == 64, "\(arguments): \(outcome.stderr)")
            let errors = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("blocktop: error:") }
            #expect(errors.count == 1 && errors[0].contains(message), "\(arguments): \(outcome.stderr)")
            // HDF5's own error stack is never printed.
            #expect(!outcome.stderr.contains("HDF5-DIAG"), "\(arguments): \(outcome.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["complex.h5", "corrupt.h5", "good.h5", "text.h5"])
    }

    /// SIGTERM while the run goes: the run is cancelled, and neither the target nor the temporary
    /// file HDF5 was writing is left.
    @Test func aCancelledRunLeavesNoFileBehind() throws {
        let folder = try TemporaryFolder("e2e-h5-cancel")
        let process = Process()
        process.executableURL = Blocktop.binary
        process.arguments = ["run", "--headless", "--workers", "2", "--output", folder.file("out.h5"),
                             "x = random((6000, 6000), chunks=1000); x @ x.T @ x"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The temporary file beside the target is made before the run starts.
        try waitUntil("the temporary HDF5 file") { try !FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty }
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGTERM)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }
}
