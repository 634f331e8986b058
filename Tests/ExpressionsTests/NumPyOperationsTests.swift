import BlockArray
import Expressions
import Foundation
import Testing
import TestSupport

/// The operations real data needs (issue 17), written in the expression language, against the
/// same expressions in NumPy (the tests' venv) on the same data, loaded from `.npy` files NumPy
/// writes: each case at regular and irregular blocks, compared bit for bit (NaN matching NaN), or
/// to 1e-12 relative where blocks add in another order than NumPy (scans across blocks, nan-reductions).
@Suite struct NumPyOperationsTests {
    /// The inputs NumPy makes: `a` mixed signs with NaN and ±inf; `b` mixed signs, zeros and ties
    /// with `a`; `p` positive (bounded products); `k` whole numbers (exact sums in any order); `m`
    /// 3-D, positive, with NaNs and a slice of NaNs alone along each axis.
    static let makeInputs = """
        import sys, numpy as np
        folder = sys.argv[1]
        rng = np.random.default_rng(17)
        a = rng.standard_normal((7, 10)) * 3
        a[0, 0], a[4, 7], a[6, 2] = np.nan, np.inf, -np.inf
        b = rng.standard_normal((7, 10)) * 3
        b[::3, 1::2] = a[::3, 1::2]
        b[2, :4] = 0
        b[0, 0] = 1.5
        p = rng.uniform(0.5, 1.5, (7, 10))
        k = rng.integers(-50, 50, (6, 10)).astype(float)
        m = rng.uniform(0.1, 2, (4, 6, 5))
        m[1, :, 2] = np.nan
        m[2, 3, :] = np.nan
        m[:, 4, 1] = np.nan
        m[0, 0, 0] = np.nan
        m[3, 1:5, 3] = np.nan
        for name, x in [('a', a), ('b', b), ('p', p), ('k', k), ('m', m)]:
            np.save(f'{folder}/{name}.npy', x)
        """

    /// Evaluates each `name;expression` line with NumPy on the inputs, writing the result as raw
    /// little-endian float64 to `<name>.f8` and printing `name shape`.
    static let evaluate = """
        import sys, warnings, numpy as np
        warnings.simplefilter('ignore')
        folder = sys.argv[1]
        names = {n: np.load(f'{folder}/{n}.npy') for n in 'abpkm'}
        names['np'] = np
        for line in sys.argv[2:]:
            name, expression = line.split(';', 1)
            result = np.asarray(eval(expression, {}, names), dtype='<f8')
            result.tofile(f'{folder}/{name}.f8')
            print(name, ','.join(str(n) for n in result.shape))
        """

    /// Two block layouts per input, one of them irregular.
    static let chunkings: [[String: String]] = [
        ["a": "((3, 4), (4, 1, 5))", "b": "((2, 5), (6, 4))", "p": "((3, 4), (4, 1, 5))", "k": "((1, 3, 2), (7, 3))", "m": "((1, 3), (2, 4), (2, 3))"],
        ["a": "2", "b": "3", "p": "2", "k": "4", "m": "2"],
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        let blocktop: String
        let numpy: String
        /// 0: bit for bit; else the largest relative difference allowed.
        var tolerance: Double = 0
        var testDescription: String { blocktop }
    }

    static let elementwise: [Case] = [
        Case(blocktop: "a % b", numpy: "np.mod(a, b)"),
        Case(blocktop: "a % 0.7", numpy: "a % 0.7"),
        Case(blocktop: "a % -1.5", numpy: "a % -1.5"),
        Case(blocktop: "-2.5 % b", numpy: "-2.5 % b"),
        Case(blocktop: "b % 0", numpy: "b % 0.0"),
        Case(blocktop: "mod(b, a)", numpy: "np.mod(b, a)"),
        Case(blocktop: "remainder(a, -b)", numpy: "np.remainder(a, -b)"),
        Case(blocktop: "isnan(a)", numpy: "np.isnan(a)"),
        Case(blocktop: "isfinite(a)", numpy: "np.isfinite(a)"),
        Case(blocktop: "(a > 0) & (b < 0.5)", numpy: "(a > 0) & (b < 0.5)"),
        Case(blocktop: "(a > 0) | isnan(a)", numpy: "(a > 0) | np.isnan(a)"),
        Case(blocktop: "~(a > b)", numpy: "~(a > b)"),
        Case(blocktop: "~isfinite(a) | (b == 0)", numpy: "~np.isfinite(a) | (b == 0)"),
        Case(blocktop: "(a > b) & True", numpy: "(a > b) & True"),
        Case(blocktop: "logical_and(a, b)", numpy: "np.logical_and(a, b)"),
        Case(blocktop: "logical_or(a, b)", numpy: "np.logical_or(a, b)"),
        Case(blocktop: "logical_not(b)", numpy: "np.logical_not(b)"),
        Case(blocktop: "where((a > 0) & ~isnan(b), a, b)", numpy: "np.where((a > 0) & ~np.isnan(b), a, b)"),
    ]

    /// Python's precedence: `~` unary, then `* / % @`, `+ -`, `&`, `|`, comparisons.
    static let precedence: [Case] = [
        Case(blocktop: "(a > 0) & (b > 0) | (a < b)", numpy: "(a > 0) & (b > 0) | (a < b)"),
        Case(blocktop: "(a > 0) | (b > 0) & (a < b)", numpy: "(a > 0) | (b > 0) & (a < b)"),
        Case(blocktop: "~(a > 0) & (b > 0)", numpy: "~(a > 0) & (b > 0)"),
        Case(blocktop: "~(a > 0) | ~(b > 0) & (a == b)", numpy: "~(a > 0) | ~(b > 0) & (a == b)"),
        Case(blocktop: "a + b % 2", numpy: "a + b % 2"),
        Case(blocktop: "a * 3 % 2", numpy: "a * 3 % 2"),
        Case(blocktop: "-b % 3", numpy: "-b % 3"),
        Case(blocktop: "b % 3 ** 2", numpy: "b % 3 ** 2"),
        Case(blocktop: "(a == b) == (b == a)", numpy: "(a == b) == (b == a)"),
        Case(blocktop: "(b > 0) == (a > 0) & (b > 0)", numpy: "(b > 0) == (a > 0) & (b > 0)"),
    ]

    static let conversions: [Case] = [
        Case(blocktop: "astype(a, 'float32')", numpy: "a.astype(np.float32)"),
        Case(blocktop: "(a * 1e4).astype('float16')", numpy: "(a * 1e4).astype(np.float16)"),
        Case(blocktop: "astype(a, 'bool')", numpy: "a.astype(bool)"),
        Case(blocktop: "astype(b * 1e5, 'int32')", numpy: "(b * 1e5).astype(np.int32)"),
        Case(blocktop: "astype(b * 1e12, 'int64')", numpy: "(b * 1e12).astype(np.int64)"),
        Case(blocktop: "astype(b * 10, 'int8')", numpy: "(b * 10).astype(np.int8)"),
        Case(blocktop: "astype(b * 1000, 'int16')", numpy: "(b * 1000).astype(np.int16)"),
        Case(blocktop: "astype(abs(b) * 20, 'uint8')", numpy: "(np.abs(b) * 20).astype(np.uint8)"),
        Case(blocktop: "astype(abs(b) * 5000, 'uint16')", numpy: "(np.abs(b) * 5000).astype(np.uint16)"),
        Case(blocktop: "astype(abs(b) * 1e8, 'uint32')", numpy: "(np.abs(b) * 1e8).astype(np.uint32)"),
        Case(blocktop: "astype(abs(b) * 1e18, 'uint64')", numpy: "(np.abs(b) * 1e18).astype(np.uint64)"),
        Case(blocktop: "astype(b, 'float64')", numpy: "b.astype(np.float64)"),
    ]

    static let structure: [Case] = [
        Case(blocktop: "reshape(a, -1)", numpy: "a.reshape(-1)"),
        Case(blocktop: "a.reshape(7, 2, 5)", numpy: "a.reshape(7, 2, 5)"),
        Case(blocktop: "a.reshape((1, 7, 10, 1))", numpy: "a.reshape((1, 7, 10, 1))"),
        Case(blocktop: "a.reshape(70).reshape(10, 7)", numpy: "a.reshape(10, 7)"),
        Case(blocktop: "m.reshape(24, 5)", numpy: "m.reshape(24, 5)"),
        Case(blocktop: "m.reshape((4, -1))", numpy: "m.reshape((4, -1))"),
        Case(blocktop: "m.reshape(4, 3, 2, 5)", numpy: "m.reshape(4, 3, 2, 5)"),
        Case(blocktop: "m.reshape(2, 2, 30)", numpy: "m.reshape(2, 2, 30)"),
        Case(blocktop: "k.reshape(-1).reshape(3, 4, 5)", numpy: "k.reshape(3, 4, 5)"),
        Case(blocktop: "a[None]", numpy: "a[None]"),
        Case(blocktop: "a[:, None]", numpy: "a[:, None]"),
        Case(blocktop: "a[:, newaxis]", numpy: "a[:, np.newaxis]"),
        Case(blocktop: "a[None, 2:5, None, ::3]", numpy: "a[None, 2:5, None, ::3]"),
        Case(blocktop: "a[1, None]", numpy: "a[1, None]"),
        Case(blocktop: "m[:, 2, None, None]", numpy: "m[:, 2, None, None]"),
        Case(blocktop: "a[None] + b[:, None]", numpy: "a[None] + b[:, None]"),
    ]

    static let scans: [Case] = [
        Case(blocktop: "cumsum(k, axis=0)", numpy: "np.cumsum(k, axis=0)"),
        Case(blocktop: "k.cumsum(axis=1)", numpy: "k.cumsum(axis=1)"),
        Case(blocktop: "cumsum(k)", numpy: "np.cumsum(k)"),
        Case(blocktop: "cumprod(k % 3 - 1, axis=1)", numpy: "np.cumprod(k % 3 - 1, axis=1)"),
        Case(blocktop: "cumsum(p, axis=1)", numpy: "np.cumsum(p, axis=1)", tolerance: 1e-12),
        Case(blocktop: "cumsum(p, axis=-2)", numpy: "np.cumsum(p, axis=-2)", tolerance: 1e-12),
        Case(blocktop: "cumprod(p, axis=0)", numpy: "np.cumprod(p, axis=0)", tolerance: 1e-12),
        Case(blocktop: "p.cumprod()", numpy: "p.cumprod()", tolerance: 1e-12),
        Case(blocktop: "cumsum(m, axis=1)", numpy: "np.cumsum(m, axis=1)", tolerance: 1e-12),
        Case(blocktop: "cumprod(m, axis=2)", numpy: "np.cumprod(m, axis=2)", tolerance: 1e-12),
        Case(blocktop: "cumsum(m)", numpy: "np.cumsum(m)", tolerance: 1e-12),
    ]

    static let nanReductions: [Case] = [
        Case(blocktop: "nansum(m)", numpy: "np.nansum(m)", tolerance: 1e-12),
        Case(blocktop: "nansum(m, axis=0)", numpy: "np.nansum(m, axis=0)", tolerance: 1e-12),
        Case(blocktop: "nansum(m, axis=(0, 2))", numpy: "np.nansum(m, axis=(0, 2))", tolerance: 1e-12),
        Case(blocktop: "m.nansum(axis=1, keepdims=True)", numpy: "np.nansum(m, axis=1, keepdims=True)", tolerance: 1e-12),
        Case(blocktop: "nanmean(m)", numpy: "np.nanmean(m)", tolerance: 1e-12),
        Case(blocktop: "nanmean(m, axis=1)", numpy: "np.nanmean(m, axis=1)", tolerance: 1e-12),
        Case(blocktop: "nanmean(m, axis=2)", numpy: "np.nanmean(m, axis=2)", tolerance: 1e-12),
        Case(blocktop: "nanmin(m)", numpy: "np.nanmin(m)"),
        Case(blocktop: "nanmin(m, axis=1)", numpy: "np.nanmin(m, axis=1)"),
        Case(blocktop: "nanmax(m, axis=(1, 2))", numpy: "np.nanmax(m, axis=(1, 2))"),
        Case(blocktop: "nanmax(m, axis=2)", numpy: "np.nanmax(m, axis=2)"),
        Case(blocktop: "nanmax(a, axis=0)", numpy: "np.nanmax(a, axis=0)"),
        Case(blocktop: "nanvar(m)", numpy: "np.nanvar(m)", tolerance: 1e-12),
        Case(blocktop: "nanvar(m, axis=0)", numpy: "np.nanvar(m, axis=0)", tolerance: 1e-12),
        Case(blocktop: "nanvar(m, axis=2, ddof=1)", numpy: "np.nanvar(m, axis=2, ddof=1)", tolerance: 1e-12),
        Case(blocktop: "nanvar(m, axis=0, ddof=3)", numpy: "np.nanvar(m, axis=0, ddof=3)", tolerance: 1e-12),
        Case(blocktop: "nanstd(m, axis=1)", numpy: "np.nanstd(m, axis=1)", tolerance: 1e-12),
        Case(blocktop: "nanstd(m, axis=(0, 1), ddof=1)", numpy: "np.nanstd(m, axis=(0, 1), ddof=1)", tolerance: 1e-12),
        Case(blocktop: "nansum(a, axis=1)", numpy: "np.nansum(a, axis=1)", tolerance: 1e-12),
    ]

    /// The inputs' folder and NumPy's result for every case, by its blocktop text.
    struct Expected: Sendable {
        let folder: TemporaryFolder
        let results: [String: (shape: [Int], values: [Double])]
    }

    /// Made once for every test of the suite.
    static let expected: Result<Expected, Error> = Result {
        let folder = try TemporaryFolder("numpy-ops")
        let cases = elementwise + precedence + conversions + structure + scans + nanReductions
        try Python.run(makeInputs, [folder.path])
        let lines = cases.enumerated().map { "c\($0.offset);\($0.element.numpy)" }
        let output = try Python.run(evaluate, [folder.path] + lines)
        var results: [String: (shape: [Int], values: [Double])] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            let name = String(parts[0])
            let shape = parts[1].split(separator: ",").map { Int($0)! }
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.file(name + ".f8")))
            let values = data.withUnsafeBytes { raw in
                (0..<(raw.count / 8)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
            }
            results[cases[Int(name.dropFirst())!].blocktop] = (shape, values)
        }
        return Expected(folder: folder, results: results)
    }

    func check(_ c: Case) throws {
        let expected = try Self.expected.get()
        let (shape, values) = try #require(expected.results[c.blocktop])
        let folder = expected.folder
        for chunks in Self.chunkings {
            let loads = "abpkm".map { name in "\(name) = load('\(folder.file("\(name).npy"))', chunks=\(chunks[String(name)]!))" }
            let result = try Program(loads.joined(separator: "; ") + "; " + c.blocktop).result.compute()
            #expect(result.shape == shape, "\(c.blocktop) at \(chunks)")
            guard result.shape == shape else { continue }
            var mismatches: [String] = []
            for (i, (got, want)) in zip(result.storage, values).enumerated() {
                let same = got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN)
                    || (c.tolerance > 0 && Swift.abs(got - want) <= c.tolerance * Swift.abs(want))
                if !same && mismatches.count < 4 { mismatches.append("[\(i)] \(got) vs NumPy \(want)") }
            }
            #expect(mismatches.isEmpty, "\(c.blocktop) with chunks \(chunks): \(mismatches.joined(separator: "; "))")
        }
    }

    @Test(arguments: elementwise) func elementwiseAndLogicalOperationsMatchNumPy(_ c: Case) throws { try check(c) }
    @Test(arguments: precedence) func operatorsBindAsInPython(_ c: Case) throws { try check(c) }
    @Test(arguments: conversions) func astypeMatchesNumPy(_ c: Case) throws { try check(c) }
    @Test(arguments: structure) func reshapeAndNewAxesMatchNumPy(_ c: Case) throws { try check(c) }
    @Test(arguments: scans) func cumulativeSumsAndProductsMatchNumPy(_ c: Case) throws { try check(c) }
    @Test(arguments: nanReductions) func nanReductionsMatchNumPy(_ c: Case) throws { try check(c) }
}
