import ArrayFiles
import BlockArray
import BlocktopSupport
import Engine
import Expressions
import Reporting
import RunVocabulary

/// The array file a run's result goes to (`--output`), as asked for.
package struct OutputRequest: Sendable {
    package var path: String
    package var elementType: NPYDType
    /// The HDF5 dataset's name; nil for the format's default.
    package var dataset: String?
    package var zarrFormat: Int
    /// Whether an existing file may be replaced.
    package var replacing: Bool

    package init(path: String, elementType: NPYDType, dataset: String?, zarrFormat: Int, replacing: Bool) {
        self.path = path
        self.elementType = elementType
        self.dataset = dataset
        self.zarrFormat = zarrFormat
        self.replacing = replacing
    }

    /// The file to hold `program`'s result, under its temporary name; bad input when it cannot be made.
    package func writer(for program: Program) throws(RunProblem) -> any ArrayWriter {
        do {
            // The largest block along each axis: an HDF5 chunk, which holds any of the blocks (and a Zarr chunk).
            let blocks = program.result.chunks.sizes.map { $0.max() ?? 0 }
            return try ArrayFormat(path: path).writer(path: path, shape: program.result.shape, blocks: blocks, elementType: elementType,
                                                      dataset: dataset, zarrFormat: zarrFormat, replacing: replacing)
        } catch {
            throw RunProblem("--output: \(error)", badInput: true)
        }
    }
}

/// A run's result written to an array file by the run's own tasks (`--output`): the file being
/// written, and the array whose graph writes it.
package struct ArrayOutput {
    package let writer: any ArrayWriter
    /// What the run computes: the result, each block written by a task as soon as it is made,
    /// reduced to the number of elements written.
    package let array: BlockArray

    /// Creates the temporary file beside the target and the tasks that write into it; bad input when it cannot be.
    package init(_ program: Program, request: OutputRequest) throws(RunProblem) {
        writer = try request.writer(for: program)
        do {
            array = try program.result.saved(to: writer)
        } catch {
            writer.abandon()
            throw RunProblem("--output: '\(request.path)': \(error)", badInput: true)
        }
    }

    /// After the run: puts the file in place when the run is done and `keep`, else removes it
    /// (nothing is left of a failed or cancelled run). Returns why, when it cannot be put in place.
    package func finish(_ outcome: RunOutcome, keep: Bool) -> String? {
        guard outcome == .done && keep else {
            writer.abandon()
            return nil
        }
        do {
            try writer.commit()
            return nil
        } catch {
            return "cannot write the output: \(error.description)"
        }
    }
}

extension ArrayWriter {
    /// What reports say of the file: path, element type and shape.
    package var note: FileNote {
        FileNote(path: path, dtype: elementType, order: "C", shape: shape)
    }
}

extension Program {
    /// The files loaded, as reports list them.
    package var inputNotes: [FileNote] {
        loadedFiles.map { FileNote(path: $0.path, dtype: $0.dtype, order: $0.order, shape: $0.shape) }
    }
}
