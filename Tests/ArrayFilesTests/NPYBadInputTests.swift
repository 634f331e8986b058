import ArrayFiles
import BlockArray
import Foundation
import Glibc
import Testing
import TestSupport

/// Files that are not what they say, and outputs that must not be written: each one error
/// naming the file, and nothing left behind.
@Suite struct NPYBadInputTests {
    /// A file of `header` (an encoded header of NumPy's layout with `dictionary`) and `dataBytes` zero bytes.
    func file(_ folder: TemporaryFolder, _ name: String, dictionary: String, version: UInt8 = 1, dataBytes: Int = 0) throws -> String {
        var header = Array(dictionary.utf8)
        let preamble = version == 1 ? 10 : 12
        while (preamble + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = header.count
        bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)] : [UInt8(length & 0xFF), UInt8(length >> 8), 0, 0]
        bytes += header + [UInt8](repeating: 0, count: dataBytes)
        let path = folder.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func openError(_ path: String) -> ArrayFileError? {
        do {
            _ = try NPYFile(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func missingFileAndFolderAreNamed() throws {
        let folder = try TemporaryFolder("npy-bad")
        let missing = folder.file("missing.npy")
        #expect(openError(missing)?.description == "'\(missing)': cannot open: No such file or directory")
        #expect(openError(folder.path)?.description == "'\(folder.path)': is a folder, not a .npy file")
    }

    @Test func headersThatLieOrCannotBeReadAreRefused() throws {
        let folder = try TemporaryFolder("npy-bad")
        let cases: [(String, String, Int, String)] = [
            // A header promising more data than the file holds.
            ("short.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (10, 10), }", 799,
             "its header says float64 data of shape (10, 10), 800 bytes from byte 128, but the file has 927 bytes"),
            ("overflow.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 0,
             "shape (4294967296, 4294967296) has more elements than a file can hold"),
            ("huge-extent.npy", "{'descr': '<i2', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0,
             "its shape has an extent past \(Int.max)"),
            ("complex.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }", 32,
             "dtype '<c16' (complex) is not supported; blocktop reads bool, int8–int64, uint8–uint64 and float16–float64"),
            ("strings.npy", "{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }", 40,
             "dtype '<U5' (strings) is not supported; blocktop reads bool, int8–int64, uint8–uint64 and float16–float64"),
            ("objects.npy", "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 16,
             "dtype '|O' (Python objects) is not supported; blocktop reads bool, int8–int64, uint8–uint64 and float16–float64"),
            ("records.npy", "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", 16,
             "a structured dtype (records) is not supported; blocktop reads bool, int8–int64, uint8–uint64 and float16–float64"),
            ("no-shape.npy", "{'descr': '<f8', 'fortran_order': False, }", 0, "its header has no 'shape'"),
            ("extra-key.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': 1}", 8,
             "its header has an unknown key 'x' (NumPy writes descr, fortran_order and shape)"),
            ("negative.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", 0,
             "its header is not a dict NumPy writes: a negative extent at character 51, found '-'"),
        ]
        for (name, dictionary, dataBytes, message) in cases {
            let path = try file(folder, name, dictionary: dictionary, dataBytes: dataBytes)
            #expect(openError(path)?.description == "'\(path)': \(message)", "\(name)")
        }
        let notNPY = folder.file("text.npy")
        try Data("hello, world".utf8).write(to: URL(fileURLWithPath: notNPY))
        #expect(openError(notNPY)?.description == "'\(notNPY)': not a .npy file (it does not start with \\x93NUMPY)")
        let version = try file(folder, "v4.npy", dictionary: "{}", version: 4)
        #expect(openError(version)?.description == "'\(version)': format version 4.0 is not one blocktop reads (1.0, 2.0 and 3.0)")
    }

    @Test func aFileTruncatedAfterOpeningFailsTheTaskThatReadsItNamingTheBlock() throws {
        let folder = try TemporaryFolder("npy-bad")
        let path = try file(folder, "cut.npy", dictionary: "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 6), }", dataBytes: 192)
        let array = try BlockArray.load(try NPYFile(path: path), chunks: .perAxis([2, 6]))
        // The header takes 128 bytes: the first block (bytes 128–223) is whole, the second is not.
        #expect(truncate(path, 128 + 100) == 0)
        do {
            _ = try array.sum().compute()
            Issue.record("a truncated file was summed")
        } catch let failure as TaskFailure {
            #expect(failure.blockIndex == [1, 0])
            let error = try #require(failure.underlying as? ArrayFileError)
            #expect(error.description == "'\(path)': block [1, 0]: the file ends at byte 228, but the block needs bytes 224–319 (it is shorter than its header says: truncated?)")
        }
    }

    @Test func outputsAreWholeOrAbsentAndNeverReplaceWhatTheyShouldNot() throws {
        let folder = try TemporaryFolder("npy-out")
        let existing = folder.file("existing.npy")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: existing))
        #expect(throws: ArrayFileError(path: existing, "exists; give --force to replace it")) {
            try NPYWriter(path: existing, shape: [2], dtype: .float64, replacing: false)
        }
        let fifo = folder.file("fifo.npy")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: ArrayFileError(path: fifo, "is not a regular file: an array is written at offsets, and a FIFO or device is never replaced")) {
            try NPYWriter(path: fifo, shape: [2], dtype: .float64, replacing: true)
        }
        // A failed run (NaN into int32) leaves nothing, and the file it would replace as it was.
        let array = try BlockArray.fromArray(DenseArray(shape: [2, 3], storage: [1, 2, 3, 4, .nan, 6]), chunks: 1)
        let writer = try NPYWriter(path: existing, shape: [2, 3], dtype: .int32, replacing: true)
        do {
            _ = try array.saved(to: writer).compute()
            Issue.record("NaN was written as int32")
        } catch let failure as TaskFailure {
            #expect("\(failure.underlying)" == "'\(existing)': block [1, 1]: element [1, 1] is NaN, which int32 cannot hold")
        }
        writer.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["existing.npy", "fifo.npy"])
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep")
        // Out of range of int32, and the same array in int64 written once replacing is allowed.
        let large = try BlockArray.full([3], 3e9, chunks: 2)
        let narrow = try NPYWriter(path: folder.file("large.npy"), shape: [3], dtype: .int32, replacing: false)
        #expect(throws: TaskFailure.self) { try large.saved(to: narrow).compute() }
        narrow.abandon()
        // A symlink is followed: its target is written, the link stays a link.
        let link = folder.file("link.npy")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "existing.npy")
        let wide = try NPYWriter(path: link, shape: [3], dtype: .int64, replacing: true)
        _ = try large.saved(to: wide).compute()
        try wide.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "existing.npy")
        let header = try NPYHeader.parse(try Data(contentsOf: URL(fileURLWithPath: existing)))
        #expect(header.dtype == .int64 && header.shape == [3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["existing.npy", "fifo.npy", "link.npy"])
    }
}
