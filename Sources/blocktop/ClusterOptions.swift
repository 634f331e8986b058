import ArgumentParser
import ClusterSources
import Foundation
import RunSources
import Runs

/// The TLS files of a secured cluster (`tls://` addresses), passed on to the bridge.
struct TLSOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The certificate authority that signed the cluster's certificates.", valueName: "file"))
    var tlsCaFile: String?

    @Option(help: ArgumentHelp("blocktop's client certificate for the cluster.", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    func validate() throws {
        for (option, file) in [("--tls-ca-file", tlsCaFile), ("--tls-cert", tlsCert), ("--tls-key", tlsKey)] {
            guard let file else { continue }
            guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("\(option): cannot read '\(file)'") }
        }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    var files: TLSFiles { TLSFiles(caFile: tlsCaFile, certificate: tlsCert, key: tlsKey) }
    var isEmpty: Bool { tlsCaFile == nil && tlsCert == nil && tlsKey == nil }
}

/// Where `run` computes: here (the default), or on a Dask cluster through the bridge.
struct ClusterOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Run on a Dask cluster: its scheduler (tcp://HOST:8786, HOST:PORT, tls://…, or its HTTP address http://HOST:8787), or local:N to start N single-thread worker processes here for the run.",
        valueName: "address"))
    var cluster: String?

    @Option(help: "The Python that runs the bridge for --cluster (default: python3 on PATH); it needs Dask distributed.")
    var python: String?

    @OptionGroup var tls: TLSOptions

    func validate() throws {
        guard let cluster else {
            if python != nil { throw ValidationError("--python needs --cluster") }
            if !tls.isEmpty { throw ValidationError("the --tls options need --cluster") }
            return
        }
        guard ClusterTarget(cluster) != nil else {
            throw ValidationError("--cluster: '\(cluster)' is no scheduler address nor local:N (N from 1 to \(ClusterTarget.maximumLocalWorkers))")
        }
    }

    /// The cluster to run on; nil to run here.
    var target: ClusterTarget? { cluster.flatMap(ClusterTarget.init) }

    /// Where runs go: the cluster (each of `scale`'s worker counts a `local:N` one when
    /// `scalesWorkers`), else this machine's engine; `output` is each run's `--output`.
    func backend(output: OutputRequest? = nil, traces: Bool = false, scalesWorkers: Bool = false) -> any RunBackend {
        guard let target else { return LocalBackend(output: output) }
        return ClusterBackend(target: target, scalesWorkers: scalesWorkers, python: python, tls: tls.files,
                              executable: CommandLine.arguments[0], output: output, traces: traces)
    }
}
