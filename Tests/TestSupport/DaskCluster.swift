import Foundation

/// A real Dask scheduler and workers on loopback, from the tests' venv (`dask[distributed]` and
/// `prometheus_client`, pinned in Tests/requirements.txt), on free ports; every process it
/// starts is stopped by its PID when the cluster is stopped or released.
package final class DaskCluster: @unchecked Sendable {
    // Unchecked: a test uses its cluster from its own thread; `processes` is only read at stop.
    /// The scheduler's comm address (`tcp://127.0.0.1:PORT`) and its HTTP address.
    package let scheduler: String
    package let dashboard: String
    private var processes: [Process] = []
    private let folder: TemporaryFolder

    /// With `tls`, the certificate every member and client of the cluster uses (its own
    /// authority): `ca`, `certificate` and `key` files.
    package let tlsFiles: (ca: String, certificate: String, key: String)?

    /// Starts a scheduler and `workers` single-thread workers (without nannies, so that each
    /// worker is one PID) and waits until the scheduler has them all; with `tls`, they speak
    /// TLS only (a `tls://` address), with a certificate for 127.0.0.1 made here by openssl; with
    /// `blockingPlugins`, the scheduler refuses clients' scheduler plugins
    /// (`distributed.scheduler.blocked-handlers`), as some shared clusters do.
    package init(workers: Int = 2, tls: Bool = false, blockingPlugins: Bool = false) throws {
        folder = try TemporaryFolder("dask-cluster")
        let file = folder.file("scheduler.json")
        var security: [String] = []
        if tls {
            let files = (ca: folder.file("cert.pem"), certificate: folder.file("cert.pem"), key: folder.file("key.pem"))
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", files.key, "-out", files.certificate,
                                 "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else { throw SupportFailure("openssl could not make a certificate") }
            tlsFiles = files
            security = ["--tls-ca-file", files.ca, "--tls-cert", files.certificate, "--tls-key", files.key]
        } else {
            tlsFiles = nil
        }
        let dask = URL(fileURLWithPath: Python.executable).deletingLastPathComponent().appendingPathComponent("dask").path
        guard FileManager.default.isExecutableFile(atPath: dask) else {
            throw SupportFailure("the tests' venv has no dask at \(dask): run `make venv` (Tests/requirements.txt pins dask[distributed])")
        }
        var processes: [Process] = []
        func start(_ arguments: [String], log: String, environment: [String: String] = [:]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: dask)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log)
            try process.run()
            processes.append(process)
        }
        do {
            try start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", file,
                       "--dashboard-address", "127.0.0.1:0", "--no-show"] + (tls ? ["--protocol", "tls"] + security : []),
                      log: folder.file("scheduler.log"),
                      environment: blockingPlugins ? ["DASK_DISTRIBUTED__SCHEDULER__BLOCKED_HANDLERS": #"["register_scheduler_plugin"]"#] : [:])
            var info: [String: Any] = [:]
            try waitUntil("the scheduler file \(file)") {
                guard let data = FileManager.default.contents(atPath: file),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
                info = object
                return true
            }
            let address = try info["address"] as? String ?? { throw SupportFailure("no address in \(info)") }()
            let services = info["services"] as? [String: Any]
            let port = try services?["dashboard"] as? Int ?? { throw SupportFailure("no dashboard port in \(info)") }()
            scheduler = address
            dashboard = "http://127.0.0.1:\(port)"
            for index in 0..<workers {
                try start(["worker", address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                           "--dashboard-address", "127.0.0.1:0", "--name", "w\(index)"] + security, log: folder.file("worker\(index).log"))
            }
            self.processes = processes
            try Python.run("""
                import sys
                from distributed import Client
                from distributed.security import Security
                files = sys.argv[3:]
                security = Security(tls_ca_file=files[0], tls_client_cert=files[1], tls_client_key=files[2],
                                    require_encryption=True) if files else None
                Client(sys.argv[1], security=security).wait_for_workers(int(sys.argv[2]), timeout=60)
                """, [address, String(workers)] + (tlsFiles.map { [$0.ca, $0.certificate, $0.key] } ?? []))
        } catch {
            Self.stop(processes)
            throw error
        }
    }

    deinit { stop() }

    /// Runs `script` with the venv's Python in the background, the scheduler's address as
    /// `sys.argv[1]`; it is stopped with the cluster if still running.
    package func startClient(_ script: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Python.executable)
        process.arguments = ["-c", script, scheduler]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        return process
    }

    /// Kills worker `index` (SIGKILL to its PID: no goodbye to the scheduler) and waits for it to exit.
    package func killWorker(_ index: Int) {
        let worker = processes[1 + index]
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
    }

    /// How many tasks the scheduler holds now, asked by a client of its own.
    package func tasksOnScheduler() throws -> Int {
        let count = try Python.run("""
            import sys
            from distributed import Client
            with Client(sys.argv[1], timeout=30) as client:
                print(client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)))
            """, [scheduler])
        return try Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? { throw SupportFailure("not a count: \(count)") }()
    }

    /// Stops the scheduler alone (SIGTERM to its PID) and waits for it to exit.
    package func stopScheduler() {
        Self.stop(Array(processes.prefix(1)))
    }

    /// Stops every process the cluster started: SIGTERM by PID, SIGKILL after 10 s.
    package func stop() {
        Self.stop(processes)
    }

    private static func stop(_ processes: [Process]) {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for process in processes {
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }
}
