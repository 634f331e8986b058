import BlockArray
import Expressions
import Testing

/// Building arrays from expression text: it must give exactly the arrays the library would.
@Suite struct EvaluationTests {
    @Test func theDemoBuildsTheSameGraphAsTheLibrary() throws {
        let program = try Program("x = random((400, 400), chunks=100, seed=3); (x @ x.T).sum()")
        let x = try BlockArray.random([400, 400], chunks: 100, seed: 3)
        #expect(program.result.name == (try x.matmul(x.T).sum()).name)
        #expect(program.mainArray.name == x.name)
    }

    @Test func theIssueExampleMatchesTheLibrary() throws {
        let program = try Program("x = random((200, 200), chunks=50, seed=1); y = x + x.T; (y - y.mean()).std()")
        let x = try BlockArray.random([200, 200], chunks: 50, seed: 1)
        let y = try x + x.T
        #expect(program.result.name == (try (y - y.mean()).std()).name)
    }

    @Test(arguments: [
        ("2 + 3 * 4", 14.0), ("(2 + 3) * 4", 20), ("-2 ** 2", -4), ("2 ** 3 ** 2", 512), ("10 / 4 - 1", 1.5),
        ("1 < 2", 1), ("3 <= 2", 0), ("2 == 2", 1), ("2 != 2", 0), ("sqrt(16) + abs(-1)", 5), ("maximum(2, 7)", 7),
        ("1_000 + 1e3", 2000), ("pi > 3.14", 1), ("x = 4; y = x * x; y - x", 12),
        ("7 % 3", 1), ("-7 % 3", 2), ("7 % -3", -2), ("2 + 7 % 3 * 2", 4), ("-2 ** 2 % 3", 2),
        ("True & False | True", 1), ("True | False & False", 1), ("~True | True & False", 0), ("~False", 1),
        ("(1 < 2) & (2 < 1)", 0), ("1 + 1 == 2", 1), ("(2 > 1) == True & True", 1),
    ])
    func numbersFollowPythonPrecedence(source: String, expected: Double) throws {
        #expect(try Program(source).result.computeScalar() == expected)
    }

    @Test func defaultsFillInChunksAndSeed() throws {
        let program = try Program("random((100, 60))", defaults: Defaults(chunks: .uniform(25), seed: 9))
        #expect(program.result.chunks.sizes == [[25, 25, 25, 25], [25, 25, 10]])
        #expect(program.result.name == (try BlockArray.random([100, 60], chunks: 25, seed: 9)).name)
        // Any UInt64 seed the command line takes (past Int.max it trapped).
        let largest = try Program("random((4,))", defaults: Defaults(chunks: .uniform(2), seed: .max))
        #expect(largest.result.name == (try BlockArray.random([4], chunks: 2, seed: .max)).name)
    }

    /// The block-size rule: an override sets every creation call's blocks, whatever its chunks=
    /// says, and records where it replaced one; rechunk keeps its own; a bad chunks= still fails.
    @Test func aChunksOverrideWinsOverEveryCreationCallAndSaysWhere() throws {
        let text = "a = random((40, 40), chunks=20); b = ones((40, 40)); c = rechunk(a + b, 8); c.sum()"
        let written = try Program(text, defaults: Defaults(chunks: .uniform(10)))
        #expect(written.createdArrays.map(\.chunks.sizes) == [[[20, 20], [20, 20]], [[10, 10, 10, 10], [10, 10, 10, 10]]])
        #expect(written.overriddenChunks.isEmpty)

        let overridden = try Program(text, defaults: Defaults(chunks: .uniform(10), chunksOverride: .uniform(16)))
        #expect(overridden.createdArrays.map(\.chunks.sizes) == Array(repeating: [[16, 16, 8], [16, 16, 8]], count: 2))
        let range = try #require(overridden.overriddenChunks.first)
        #expect(overridden.overriddenChunks.count == 1)
        #expect(String(Array(text)[range]) == "20")
        // rechunk's own chunks stay: its result has blocks of 8.
        let rechunked = try Program("rechunk(ones((16,), chunks=4), 8)", defaults: Defaults(chunksOverride: .uniform(2)))
        #expect(rechunked.result.chunks.sizes == [[8, 8]])
        #expect(throws: ExpressionError.self) {
            try Program("ones((4, 4), chunks='big')", defaults: Defaults(chunksOverride: .uniform(2)))
        }
    }

    @Test func everyFamilyOfOperationEvaluatesLikeTheLibrary() throws {
        let x = try BlockArray.random([12, 9], chunks: [5, 4], seed: 2)
        let setup = "x = random((12, 9), chunks=(5, 4), seed=2); "
        let cases: [(String, BlockArray)] = [
            ("sin(x) ** 2 + cos(x) ** 2 - 1", try x.sin().power(2) + x.cos().power(2) - 1),
            ("x.sum(axis=0)", try x.sum(axes: [0])),
            ("x.var(axis=1, ddof=1)", try x.variance(axes: [1], ddof: 1)),
            ("argmax(x, axis=1)", try x.argmax(axis: 1)),
            ("x.T @ x", try BlockArray.matmul(x.T, x)),
            ("x[2:10:3, ::-1]", try x.slice([.slice(start: 2, stop: 10, step: 3), .slice(start: nil, stop: nil, step: -1)])),
            ("x[0]", try x.slice([.index(0)])),
            ("x.rechunk((6, 9))", try x.rechunk([6, 9])),
            ("concatenate([x, x], axis=1)", try BlockArray.concatenate([x, x], axis: 1)),
            ("stack([x, x])", try BlockArray.stack([x, x])),
            ("where(x > 0.5, x, 0)", try BlockArray.where(x.apply(.greater, 0.5), x, try BlockArray.fromArray(DenseArray(scalar: 0), chunks: .perAxis([])))),
            ("clip(x, 0.2, 0.8)", x.clip(0.2, 0.8)),
            ("transpose(x, (1, 0))", try x.transpose([1, 0])),
        ]
        for (text, expected) in cases {
            let result = try Program(setup + text).result
            #expect(try result.compute() == expected.compute(), "\(text)")
        }
    }

    @Test func attributesGiveShapes() throws {
        #expect(try Program("x = ones((3, 4), chunks=2); ones(x.shape, chunks=2).sum() + x.ndim").result.computeScalar() == 14)
    }

    @Test func laplacianOfAPeriodicGridMatchesADenseStencil() throws {
        let x = try BlockArray.random([9, 7], chunks: [4, 3], seed: 5)
        let dense = try x.compute()
        let result = try Program("laplacian(random((9, 7), chunks=(4, 3), seed=5))").result.compute()
        for i in 0..<9 {
            for j in 0..<7 {
                let expected = dense[[(i + 8) % 9, j]] + dense[[(i + 1) % 9, j]] + dense[[i, (j + 6) % 7]]
                    + dense[[i, (j + 1) % 7]] - 4 * dense[[i, j]]
                #expect(abs(result[[i, j]] - expected) < 1e-12)
            }
        }
    }

    @Test func diffusionConservesTheTotalAndDoesNotDependOnChunks() throws {
        let coarse = try Program("x = random((40, 30), chunks=40, seed=4); diffuse(x, steps=5, rate=0.1)").result.compute()
        let fine = try Program("x = random((40, 30), chunks=(7, 6), seed=4); diffuse(x, steps=5, rate=0.1)").result.compute()
        let start = try BlockArray.random([40, 30], chunks: 40, seed: 4).sum().computeScalar()
        #expect(abs(coarse.storage.reduce(0, +) - start) < 1e-9)
        #expect(zip(coarse.storage, fine.storage).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}

/// Every class of mistake is found before anything runs and points at its place.
@Suite struct ErrorTests {
    /// The error of `source`, and the text under its carets.
    func failure(_ source: String) throws -> (ExpressionError, String) {
        do {
            _ = try Program(source)
        } catch {
            let characters = Array(source)
            return (error, String(characters[error.range.clamped(to: 0..<characters.count)]))
        }
        Issue.record("\(source) did not fail")
        throw CancellationError()
    }

    @Test(arguments: [
        ("x = (1, 2", ExpressionError.Kind.syntax, ""),
        ("ones((2, 2)) +* 3", .syntax, "*"),
        ("x = 1; x = 2", .syntax, "2"),
        ("2 $ 3", .syntax, "$"),
        ("'open", .syntax, "'open"),
        ("ones((2, 2), chunks=1)[0 1]", .syntax, "1"),
        ("sine(ones((2,)))", .unknownName, "sine"),
        ("y + 1", .unknownName, "y"),
        ("ones((2,)).frobnicate", .unknownName, "ones((2,)).frobnicate"),
        ("ones((3, 4)) + ones((5,))", .shapeMismatch, "ones((3, 4)) + ones((5,))"),
        ("ones((3, 4)) @ ones((3, 4))", .shapeMismatch, "ones((3, 4)) @ ones((3, 4))"),
        ("ones((3, 4)).sum(axis=2)", .badAxis, "2"),
        ("ones((3, 4))[5]", .badAxis, "ones((3, 4))[5]"),
        ("ones((3, 4), chunk=2)", .badArgument, "2"),
        ("ones()", .badArgument, "ones()"),
        ("sum('a')", .badArgument, "'a'"),
        ("random((3, -4))", .badValue, "random((3, -4))"),
        ("ones((4, 4), chunks=0)", .badValue, "ones((4, 4), chunks=0)"),
        ("laplacian(ones((4,)), boundary='mirror')", .badValue, "'mirror'"),
        ("sin", .badArgument, "sin"),
        ("'text'", .badValue, "'text'"),
        ("ones((6, 4), chunks=2).reshape(4, 6)", .badValue, "4, 6"),
        ("reshape(ones((6, 4)), (5, 5))", .badValue, "(5, 5)"),
        ("ones(6).reshape(-1, -1)", .badValue, "-1, -1"),
        ("astype(ones(3), 'float128')", .badValue, "'float128'"),
        ("ones(3).astype(int)", .unknownName, "int"),
        ("astype(ones(3), 32)", .badArgument, "32"),
        ("~2 + ones(3)", .badArgument, "2"),
        ("(ones(3) > 0) & 2", .badArgument, "2"),
        ("(ones(3) > 0) | 'x'", .badArgument, "'x'"),
        ("cumsum(ones((3, 4)), axis=2)", .badAxis, "2"),
        ("ones((3, 4)).cumprod(axis=-3)", .badAxis, "-3"),
        ("x = ones(3); x > 0 & x < 1", .syntax, "<"),
        ("1 < 2 < 3", .syntax, "<"),
        ("nanmean(ones(3), ddof=1)", .badArgument, "1"),
        ("ones((2, 2))[None, 0, 0, 0]", .badAxis, "ones((2, 2))[None, 0, 0, 0]"),
        ("ones((2, 2))['a']", .badArgument, "'a'"),
    ])
    func mistakesAreClassifiedAndLocated(source: String, kind: ExpressionError.Kind, marked: String) throws {
        let (error, underCarets) = try failure(source)
        #expect(error.kind == kind, "\(error)")
        if !marked.isEmpty { #expect(underCarets == marked, "\(error)") }
    }

    @Test func theMessageShowsTheExpressionWithACaretUnderTheBadSpot() throws {
        let (error, _) = try failure("x = random((10, 10)); y = x + z")
        #expect(error.description == """
            unknown name 'z'
              x = random((10, 10)); y = x + z
                                            ^
            """)
    }

    @Test func unknownNamesSuggestTheClosestFunction() throws {
        let (error, _) = try failure("meen(ones((2,)))")
        #expect(error.message.contains("did you mean 'mean'"))
    }

    @Test func errorsOnLaterLinesShowThatLine() throws {
        let (error, _) = try failure("x = ones((4, 4))\nx.sum(axis=3)")
        #expect(error.description.split(separator: "\n").dropFirst().first == "  x.sum(axis=3)")
        #expect(error.description.hasSuffix("\n" + String(repeating: " ", count: 13) + "^"))
    }

    /// Arrays too large to build are refused at their place in the text. Found by `make fuzz`:
    /// each of these trapped (Int overflow) or ran out of memory while the program was built.
    @Test(arguments: [
        ("ones(1e13)", ExpressionError.Kind.badValue, "ones(1e13)"),
        ("ones((1e6, 1e6), chunks=100)", .badValue, "100"),
        ("x = ones((1e10, 1e10), chunks=-1); x.size", .badValue, "(1e10, 1e10)"),
        ("eye(1e14, chunks=-1)", .badValue, "eye(1e14, chunks=-1)"),
        ("ones((1e14, 1), chunks=-1) @ ones((1, 1e14), chunks=-1)", .badValue, "ones((1e14, 1), chunks=-1) @ ones((1, 1e14), chunks=-1)"),
        ("ones((1e4, 1), chunks=1) + ones((1, 1e4), chunks=1)", .badValue, "ones((1e4, 1), chunks=1) + ones((1, 1e4), chunks=1)"),
        ("x = ones(9e14, chunks=-1); concatenate([x, x])", .badValue, "[x, x]"),
        ("arange(1e300)", .badValue, "arange(1e300)"),
        ("arange(0, 1e19, chunks=-1)", .badValue, "1e19"),
        ("ones(1e7, chunks=-1).rechunk(1)", .badValue, "1"),
        ("ones((4, 4), chunks=((4,), (9e14, 9e14, 9e69)))", .badArgument, "((4,), (9e14, 9e14, 9e69))"),
        ("diffuse(ones((3, 3)), steps=1e14)", .badValue, "1e14"),
    ])
    func arraysPastTheLimitsAreRefused(source: String, kind: ExpressionError.Kind, marked: String) throws {
        let (error, underCarets) = try failure(source)
        #expect(error.kind == kind, "\(error)")
        if !marked.isEmpty { #expect(underCarets == marked, "\(error)") }
    }

    @Test func theLimitsLeaveRoomForAMillionBlocks() throws {
        // The scheduler benchmark's workload, and a 7.3 TiB array (refused later, against the memory there is).
        #expect(try Program("(ones(1e6, chunks=1) + 1).sum()").mainArray.chunks.blockCount == 1_000_000)
        #expect(try Program("random((1000000, 1000000))").result.count == 1_000_000_000_000)
        #expect(try Program("diffuse(ones((4, 4), chunks=2), steps=10000)").result.shape == [4, 4])
        // An empty range however far the wrong way (it trapped), named as any empty range from the same start.
        let empty = try Program("arange(0, 1e300, 1.-300)").result
        #expect(empty.shape == [0])
        #expect(empty.name == (try BlockArray.arange(0, 0, step: -299, chunks: .uniform(1_000))).name)
        let (error, _) = try failure("ones(1e7, chunks=1)")
        #expect(error.message == "ones(): shape [10000000] in blocks of 1 makes more than 1048576 blocks; use larger chunks")
    }
}

/// Presets are valid programs whose block size comes from the defaults.
@Suite struct PresetTests {
    @Test(arguments: Preset.all.map(\.name))
    func everyPresetBuildsWithItsOwnAndOtherBlockSizes(name: String) throws {
        let preset = try #require(Preset.named(name))
        let own = try Program(preset.expression, defaults: Defaults(chunks: preset.chunks))
        let halved = try Program(preset.expression, defaults: Defaults(chunks: .uniform(500)))
        #expect(own.result.shape == halved.result.shape)
        #expect(own.mainArray.chunks != halved.mainArray.chunks)
        #expect(halved.mainArray.chunks.sizes.allSatisfy { $0.first == 500 })
    }

    @Test func theDemoComesFirstAndNamesAreUnique() {
        #expect(Preset.all.first?.name == "demo")
        #expect(Set(Preset.all.map(\.name)).count == Preset.all.count)
    }

    @Test func smallVersionsOfThePresetsComputeTheirKnownAnswers() throws {
        // The fused chain is zero up to rounding; normalised columns have standard deviation 1.
        let fused = try Program("x = random((300, 300), chunks=70); (sin(x) ** 2 + cos(x) ** 2 - 1).mean()")
        #expect(abs(try fused.result.computeScalar()) < 1e-15)
        let normalized = try Program("x = random((500, 40), chunks=(90, 15)); ((x - x.mean(axis=0)) / x.std(axis=0)).std()")
        #expect(abs(try normalized.result.computeScalar() - 1) < 1e-12)
    }
}
