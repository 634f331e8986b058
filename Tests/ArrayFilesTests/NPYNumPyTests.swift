import ArrayFiles
import BlockArray
import Foundation
import Testing
import TestSupport

/// `.npy` files written by NumPy (the tests' venv, at test time) read by blocktop, and files
/// blocktop writes read by NumPy, compared bit for bit through float64 references NumPy writes.
@Suite struct NPYNumPyTests {
    /// Every numeric dtype, little- and big-endian, C and Fortran order, format versions 1–3.
    static let dtypes = ["?", "i1", "u1", "<i2", ">i2", "<u2", ">u2", "<i4", ">i4", "<u4", ">u4",
                         "<i8", ">i8", "<u8", ">u8", "<f2", ">f2", "<f4", ">f4", "<f8", ">f8"]

    /// Writes, for each case, `<name>.npy` in the given dtype, order and version, and
    /// `<name>.f8`: the same values as raw little-endian float64 (NumPy's own conversion).
    static let writeScript = """
        import sys, numpy as np
        \(Python.sampleValuesFunction)
        folder = sys.argv[1]
        rng = np.random.default_rng(7)
        for line in sys.argv[2:]:
            name, dtype, order, version, shape = line.split(';')
            shape = tuple(int(s) for s in shape.split(',') if s)
            dt = np.dtype(dtype)
            n = int(np.prod(shape))
            values = sample_values(rng, dt, n)
            a = values.reshape(shape, order='C')
            if order == 'F':
                a = np.asfortranarray(a)
            with open(f'{folder}/{name}.npy', 'wb') as f:
                np.lib.format.write_array(f, a, version=(int(version), 0))
            np.ascontiguousarray(a, dtype='<f8').tofile(f'{folder}/{name}.f8')
        """

    struct Case: Sendable {
        let dtype: String, order: String, version: Int, shape: [Int]
        var name: String {
            "\(dtype.replacingOccurrences(of: "<", with: "le").replacingOccurrences(of: ">", with: "be").replacingOccurrences(of: "?", with: "bool"))"
                + "-\(order)-v\(version)-\(shape.map(String.init).joined(separator: "x"))"
        }
        var line: String { "\(name);\(dtype);\(order);\(version);\(shape.map(String.init).joined(separator: ","))" }
    }

    static var cases: [Case] {
        var cases: [Case] = []
        for (i, dtype) in dtypes.enumerated() {
            for order in ["C", "F"] {
                cases.append(Case(dtype: dtype, order: order, version: 1 + i % 3, shape: [7, 5]))
            }
        }
        for version in 1...3 {
            cases.append(Case(dtype: "<f8", order: "F", version: version, shape: [4, 3, 5]))
            cases.append(Case(dtype: ">i4", order: "C", version: version, shape: [4, 3, 5]))
        }
        cases.append(Case(dtype: "<f8", order: "C", version: 1, shape: [13]))
        cases.append(Case(dtype: ">f4", order: "C", version: 1, shape: []))
        cases.append(Case(dtype: "<i2", order: "C", version: 1, shape: [0, 4]))
        return cases
    }

    /// The float64 values in `path`, bit patterns, as NumPy wrote them.
    func reference(_ path: String) throws -> [UInt64] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in (0..<(raw.count / 8)).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) } }
    }

    @Test func numPyFilesReadExactlyInEveryDtypeOrderAndVersion() throws {
        let folder = try TemporaryFolder("npy-read")
        let cases = Self.cases
        try Python.run(Self.writeScript, [folder.path] + cases.map(\.line))
        for c in cases {
            let file = try NPYFile(path: folder.file(c.name + ".npy"))
            #expect(file.header.shape == c.shape, "\(c.name)")
            #expect(file.header.version == c.version, "\(c.name)")
            #expect(file.header.fortranOrder == (c.order == "F"), "\(c.name)")
            let expected = try reference(folder.file(c.name + ".f8"))
            // Blocks that do not divide the shape, and one block for the whole array.
            for chunks in [ChunkSpec.uniform(2), .uniform(-1), .perAxis(c.shape.map { $0 > 1 ? $0 - 1 : 1 })] {
                let array = try BlockArray.load(file, chunks: chunks)
                let values = try array.compute().storage.map(\.bitPattern)
                #expect(values == expected, "\(c.name) in blocks of \(chunks)")
            }
        }
    }

    /// What NumPy reads from a file: its dtype string and values as float64 bit patterns.
    static let readScript = """
        import sys, numpy as np
        for path in sys.argv[1:]:
            a = np.load(path)
            np.ascontiguousarray(a, dtype='<f8').tofile(path + '.f8')
            print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS'])
        """

    @Test func blocktopFilesReadBackByNumPyExactly() throws {
        let folder = try TemporaryFolder("npy-write")
        // Values that every output type holds: whole numbers in int32's range, some negative.
        let source = try BlockArray.fromFunction([9, 11], chunks: .perAxis([4, 3]), name: "values") { index in
            Double((index[0] * 37 + index[1] * 101) % 1000 - 500) * 7.0
        }
        let fractional = try source / 3
        let types: [(NPYDType, BlockArray)] = [(.float64, fractional), (.float32, fractional), (.int32, source), (.int64, fractional)]
        var paths: [String] = []
        for (dtype, array) in types {
            let path = folder.file("out-\(dtype.name).npy")
            let writer = try NPYWriter(path: path, shape: array.shape, dtype: dtype, replacing: false)
            let written = try array.saved(to: writer).compute(using: SerialExecutor())
            #expect(written.scalar == Double(array.count))
            try writer.commit()
            paths.append(path)
        }
        let lines = try Python.run(Self.readScript, paths).split(separator: "\n")
        #expect(lines == ["<f8 (9, 11) True", "<f4 (9, 11) True", "<i4 (9, 11) True", "<i8 (9, 11) True"])
        for ((dtype, array), path) in zip(types, paths) {
            let values = try array.compute().storage
            let expected: [Double] = switch dtype.name {
            case "float32": values.map { Double(Float($0)) }
            case "int32", "int64": values.map { $0.rounded(.towardZero) }
            default: values
            }
            #expect(try reference(path + ".f8") == expected.map(\.bitPattern), "\(dtype)")
        }
    }

    @Test func scalarAndEmptyArraysWriteAsNumPyReadsThem() throws {
        let folder = try TemporaryFolder("npy-write-edge")
        let scalar = try BlockArray.ones([6, 4], chunks: 2).sum()
        let empty = try BlockArray.zeros([0, 3], chunks: 2)
        var paths: [String] = []
        for (name, array) in [("scalar", scalar), ("empty", empty)] {
            let path = folder.file(name + ".npy")
            let writer = try NPYWriter(path: path, shape: array.shape, dtype: .float64, replacing: false)
            _ = try array.saved(to: writer).compute()
            try writer.commit()
            paths.append(path)
        }
        let lines = try Python.run(Self.readScript, paths).split(separator: "\n")
        #expect(lines == ["<f8 () True", "<f8 (0, 3) True"])
        #expect(try reference(paths[0] + ".f8") == [Double(24).bitPattern])
    }
}
