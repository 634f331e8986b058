import ArrayFiles
import BlockArray
import BlocktopSupport
import Engine
import Expressions
import Reporting

/// A run's result written to an array file by the run's own tasks (`--output`): the file being
/// written, and the array whose graph writes it.
struct ArrayOutput {
    let writer: any ArrayWriter
    /// What the run computes: the result, each block written by a task as soon as it is made,
    /// reduced to the number of elements written.
    let array: BlockArray

    /// Creates the temporary file beside the target (bad input when it cannot be) and the tasks
    /// that write into it; nil without `--output`.
    static func prepare(_ program: Program, options: ArrayOutputOptions) throws -> ArrayOutput? {
        guard let path = options.output else { return nil }
        let writer = try makeWriter(program, path: path, options: options)
        do {
            return ArrayOutput(writer: writer, array: try program.result.saved(to: writer))
        } catch {
            writer.abandon()
            throw CommandExit.badInput("--output: '\(path)': \(error)")
        }
    }

    /// The file `options` ask for, under its temporary name, to hold `program`'s result (bad
    /// input when it cannot be made).
    static func makeWriter(_ program: Program, path: String, options: ArrayOutputOptions) throws -> any ArrayWriter {
        do {
            // The largest block along each axis: an HDF5 chunk, which holds any of the blocks (and a Zarr chunk).
            let blocks = program.result.chunks.sizes.map { $0.max() ?? 0 }
            return try ArrayFormat(path: path).writer(path: path, shape: program.result.shape, blocks: blocks, elementType: options.elementType,
                                                      dataset: options.dataset, zarrFormat: options.zarrFormat ?? 3, replacing: options.force)
        } catch {
            throw CommandExit.badInput("--output: \(error)")
        }
    }

    /// After the run: puts the file in place when the run is done, else removes it (nothing is
    /// left of a failed or cancelled run). Returns 74, having said why, when it cannot be put in place.
    func finish(_ outcome: RunOutcome) -> ExitStatus? {
        guard outcome == .done else {
            writer.abandon()
            return nil
        }
        do {
            try writer.commit()
            return nil
        } catch {
            warn("error: cannot write the output: \(error.description.escapingTerminalControls)")
            return .reportUnwritten
        }
    }

    /// What reports say of it: path, element type and shape.
    var note: FileNote {
        FileNote(path: writer.path, dtype: writer.elementType, order: "C", shape: writer.shape)
    }
}

/// When a task failed reading or writing an array file, the error line that says so (the error
/// names the file and the block) and exit status 64: bad input, found by the task that read it.
func fileFailure(_ summary: RunSummary) -> ExitStatus? {
    guard let failure = summary.result.failure, let error = failure.underlying as? ArrayFileError else { return nil }
    warn("error: \(error.description.escapingTerminalControls)")
    return .badInput
}

extension Program {
    /// What the header says of the files the program loads: `from x.npy (int16)`; nil for none.
    var sourceNote: String? {
        switch loadedFiles.count {
        case 0: return nil
        case 1: return "from \(loadedFiles[0].path) (\(loadedFiles[0].dtype))"
        default: return "from \(loadedFiles.count) files (\(Set(loadedFiles.map(\.dtype)).sorted().joined(separator: ", ")))"
        }
    }

    /// The files loaded, as reports list them.
    var inputNotes: [FileNote] {
        loadedFiles.map { FileNote(path: $0.path, dtype: $0.dtype, order: $0.order, shape: $0.shape) }
    }
}
