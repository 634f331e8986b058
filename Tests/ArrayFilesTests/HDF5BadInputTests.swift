import ArrayFiles
import BlockArray
import Foundation
import Glibc
import Testing
import TestSupport

/// HDF5 files that are not what `load` asks for, data that goes bad under a run, and outputs that
/// must not be written: each one error naming the file and the dataset, and nothing left behind.
@Suite struct HDF5BadInputTests {
    func openError(_ path: String, _ dataset: String?) -> ArrayFileError? {
        do {
            _ = try HDF5File(path: path, dataset: dataset)
            return nil
        } catch {
            return error
        }
    }

    @Test func filesAndDatasetsThatCannotBeReadAreNamed() throws {
        let folder = try TemporaryFolder("h5-bad")
        let path = folder.file("mixed.h5"), text = folder.file("text.h5"), missing = folder.file("missing.h5")
        try "not HDF5 at all\n".write(toFile: text, atomically: false, encoding: .utf8)
        try Python.run("""
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], 'w') as f:
                f['a'] = np.ones(3)
                f['g/b'] = np.zeros((2, 2), dtype='>i4')
                f['g/complex'] = np.zeros(3, dtype=complex)
                f['g/records'] = np.zeros(3, dtype=[('x', '<f8'), ('y', '<i4')])
                f['g/strings'] = np.array([b'ab', b'cd'])
                f['g/enum'] = np.zeros(3, dtype=h5py.enum_dtype({'RED': 0, 'GREEN': 1, 'BLUE': 2}, basetype='i1'))
                f['g/empty'] = h5py.Empty('<f8')
                f.create_dataset('g/lzf', data=np.ones((4, 4)), chunks=(2, 2), compression='lzf')
                f.create_group('h/i')
                f['t'] = np.dtype('<f8')
            """, [path])
        let supported = "which blocktop does not read; it reads bool, int8–int64, uint8–uint64 and float16–float64"
        let cases: [(String, String?, String)] = [
            (missing, "/a", "'\(missing)': cannot open: No such file or directory"),
            (folder.path, "/a", "'\(folder.path)': is a folder, not an HDF5 file"),
            (text, "/a", "'\(text)': is not an HDF5 file"),
            (path, "/nothing", "'\(path)': has no dataset '/nothing' (its datasets: /a, /g/b, /g/complex, /g/empty, /g/enum, /g/lzf, … (8 in all))"),
            (path, "/g/nothing/deeper", "'\(path)': has no dataset '/g/nothing/deeper' (its datasets: /a, /g/b"),
            (path, nil, "'\(path)': holds 8 datasets: name one with dataset= (/a, /g/b, /g/complex, /g/empty, /g/enum, /g/lzf, … (8 in all))"),
            (path, "/g", "'\(path)': '/g' is a group, not a dataset (datasets in it: /g/b, /g/complex, /g/empty, /g/enum, /g/lzf, /g/records, … (7 in all))"),
            (path, "/h", "'\(path)': '/h' is a group, not a dataset"),
            (path, "/t", "'\(path)': '/t' is a named datatype, not a dataset"),
            (path, "/g/complex", "'\(path)': dataset '/g/complex': its elements are compound (records, or complex numbers as h5py writes them), \(supported)"),
            (path, "/g/records", "'\(path)': dataset '/g/records': its elements are compound (records, or complex numbers as h5py writes them), \(supported)"),
            (path, "/g/strings", "'\(path)': dataset '/g/strings': its elements are strings, \(supported)"),
            (path, "/g/enum", "'\(path)': dataset '/g/enum': its elements are enumerations, \(supported)"),
            (path, "/g/empty", "'\(path)': dataset '/g/empty': it holds no elements (a null dataspace)"),
            (path, "/g/lzf", "'\(path)': dataset '/g/lzf': its chunks are encoded with the filter 'lzf' (id 32000), which this HDF5 library does not have"),
        ]
        for (file, dataset, message) in cases {
            let description = openError(file, dataset)?.description ?? "opened"
            #expect(description.hasPrefix(message), "\(dataset ?? "no dataset"): \(description)")
        }
    }

    /// A chunk corrupted on disk is found by the task that reads it: the run fails naming the
    /// block, the dataset and what HDF5 found, while the other chunks read as they are.
    @Test func aCorruptChunkFailsTheBlockThatReadsIt() throws {
        let folder = try TemporaryFolder("h5-corrupt")
        let path = folder.file("corrupt.h5")
        try Python.run("""
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], 'w') as f:
                d = f.create_dataset('x', data=np.arange(64.0).reshape(8, 8), chunks=(4, 4), compression='gzip')
                chunk = d.id.get_chunk_info_by_coord((4, 0))
            with open(sys.argv[1], 'r+b') as f:
                f.seek(chunk.byte_offset); f.write(b'\\xff' * chunk.size)
            """, [path])
        let file = try HDF5File(path: path, dataset: "/x")
        // The blocks of the first four rows are intact.
        let top = try BlockArray.load(file, chunks: .uniform(4)).slice([.slice(start: 0, stop: 4, step: nil), .all])
        #expect(try top.compute().storage == (0..<32).map(Double.init))
        do {
            _ = try BlockArray.load(file, chunks: .uniform(4)).sum().compute(using: SerialExecutor())
            Issue.record("the corrupt chunk was read")
        } catch let failure as TaskFailure {
            #expect(failure.blockIndex == [1, 0])
            let error = try #require(failure.underlying as? ArrayFileError)
            #expect(error.path == path)
            #expect(error.message.hasPrefix("block [1, 0]: dataset '/x': cannot read: "), "\(error.message)")
        }
    }

    @Test func aFailedOrAbandonedWriteLeavesNothing() throws {
        let folder = try TemporaryFolder("h5-abandon")
        let path = folder.file("out.h5")
        let overflowing = try BlockArray.fromFunction([6, 6], chunks: .uniform(3), name: "big") { index in index == [4, 5] ? 1e12 : 1 }
        let writer = try HDF5Writer(path: path, dataset: "/x", shape: [6, 6], chunks: [3, 3], dtype: .int32, replacing: false)
        do {
            _ = try overflowing.saved(to: writer).compute(using: SerialExecutor())
            Issue.record("1e12 was written as int32")
        } catch let failure as TaskFailure {
            #expect("\(failure.underlying)" == "'\(path)': block [1, 1]: element [4, 5] is 1000000000000.0, which int32 cannot hold")
        }
        writer.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        // A writer dropped without a commit leaves nothing either.
        do {
            let dropped = try HDF5Writer(path: path, dataset: "/x", shape: [2], chunks: [2], dtype: .float64, replacing: false)
            _ = try BlockArray.ones([2], chunks: 2).saved(to: dropped).compute()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }

    @Test func existingFilesAreReplacedOnlyWhenAskedAndSpecialFilesNever() throws {
        let folder = try TemporaryFolder("h5-replace")
        let path = folder.file("out.h5")
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        func writeError(_ target: String, replacing: Bool) -> String? {
            do {
                let writer = try HDF5Writer(path: target, dataset: "/x", shape: [3], chunks: [3], dtype: .float64, replacing: replacing)
                _ = try BlockArray.ones([3], chunks: 3).saved(to: writer).compute()
                try writer.commit()
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(writeError(path, replacing: false) == "'\(path)': exists; give --force to replace it")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        // Through a symlink: the link stays, its target is replaced.
        let link = folder.file("link.h5")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(writeError(link, replacing: true) == nil)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == path)
        #expect(try HDF5File(path: path, dataset: "/x").shape == [3])
        let fifo = folder.file("fifo.h5")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(writeError(fifo, replacing: true)?.contains("is not a regular file") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["fifo.h5", "link.h5", "out.h5"])
    }
}
