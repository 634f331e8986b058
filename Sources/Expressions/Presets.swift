import BlockArray

/// A named computation users launch without typing it: `blocktop run --preset NAME`.
///
/// Expressions leave out `chunks=` so the preset's block size (or `--chunks`) applies.
public struct Preset: Sendable {
    public let name: String
    /// One line for `blocktop presets`.
    public let summary: String
    public let expression: String
    /// The block size used unless `--chunks` says otherwise.
    public let chunks: ChunkSpec

    /// Every preset, the default (the classic demo) first.
    public static let all: [Preset] = [
        Preset(name: "demo",
               summary: "the classic: (x @ x.T).sum() of a random 10000² matrix, BLAS on one thread per block",
               expression: "x = random((10000, 10000)); (x @ x.T).sum()", chunks: .uniform(1_000)),
        Preset(name: "reduction",
               summary: "out-of-core style: sum of a random 40000² array (12.8 GB) streamed block by block",
               expression: "random((40000, 40000)).sum()", chunks: .uniform(2_000)),
        Preset(name: "fused",
               summary: "a fused elementwise chain: (sin(x)**2 + cos(x)**2 - 1).mean() over 8000²",
               expression: "x = random((8000, 8000)); (sin(x) ** 2 + cos(x) ** 2 - 1).mean()", chunks: .uniform(1_000)),
        Preset(name: "stencil",
               summary: "2-D diffusion: 10 explicit steps of a 5-point stencil (mapOverlap) over 8000²",
               expression: "x = random((8000, 8000)); diffuse(x, steps=10, rate=0.1).mean()", chunks: .uniform(1_000)),
        Preset(name: "matmul",
               summary: "a matrix product chain: (a @ b @ a).sum() of random 4000² matrices",
               expression: "a = random((4000, 4000), seed=1); b = random((4000, 4000), seed=2); (a @ b @ a).sum()",
               chunks: .uniform(1_000)),
        Preset(name: "normalize",
               summary: "column normalisation (x - x.mean(axis=0)) / x.std(axis=0) of a 20000×4000 array",
               expression: "x = random((20000, 4000)); ((x - x.mean(axis=0)) / x.std(axis=0)).std()",
               chunks: .uniform(2_000)),
    ]

    /// The preset called `name`, if any.
    public static func named(_ name: String) -> Preset? {
        all.first { $0.name == name }
    }
}
