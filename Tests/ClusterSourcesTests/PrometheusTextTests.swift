import ClusterSources
import Testing

/// The scheduler's and a worker's `/metrics` and the scheduler's workers page, as a real dask
/// distributed 2026.8 cluster served them during a computation.
@Suite struct PrometheusTextTests {
    @Test func aSchedulersMetricsGiveTasksWorkersAndPrefixes() throws {
        let text = PrometheusText(parsing: try Fixture.text("scheduler-metrics.txt"))
        #expect(text.value("dask_scheduler_tasks", ["state": "waiting"]) == 777)
        #expect(text.value("dask_scheduler_workers", ["state": "idle"]) != nil)
        #expect(text.value("dask_scheduler_prefix_state_totals_total", ["state": "memory", "task_prefix_name": "chunk_sum"]) == 9)
        let prefixes = HTTPClusterPoller.prefixes(text)
        #expect(prefixes["random_sample"] == ["total": 64, "memory": 7, "erred": 0, "processing": 2])
        #expect(prefixes["chunk_sum"] == ["total": 512, "memory": 9, "erred": 0, "processing": 4])
        #expect(prefixes.count == 8)
    }

    @Test func aWorkersMetricsGiveThreadsMemoryTasksAndCPUSeconds() throws {
        let text = PrometheusText(parsing: try Fixture.text("worker-metrics.txt"))
        #expect(text.value("dask_worker_threads") == 1)
        #expect(text.value("dask_worker_tasks", ["state": "memory"]) == 12)
        #expect(try #require(text.value("dask_worker_memory_bytes", ["type": "unmanaged"])) > 1e6)
        #expect(try #require(text.value("process_cpu_seconds_total")) > 0)
        #expect(text.value("python_info", ["implementation": "CPython", "major": "3"]) == 1)
    }

    @Test func labelsWithEscapesAndBadLinesAreReadOrLeftOut() {
        let text = PrometheusText(parsing: """
            # HELP x something
            a{l="q\\"uote\\\\d",m="two words"} 1.5e3
            b 2 1700000000000
            c{unterminated="x} 3
            d{l="x"} notanumber
            {l="x"} 4
            e +Inf
            """)
        #expect(text.samples.map(\.name) == ["a", "b", "e"])
        #expect(text.samples.map(\.value) == [1500, 2, .infinity])
        #expect(text.samples[0].labels == ["l": "q\"uote\\d", "m": "two words"])
    }

    @Test func aMetricsPageThatIsALoneCommentHasNoSamples() {
        #expect(PrometheusText(parsing: "# Prometheus metrics are not available, see: https://docs.dask.org/…\n").samples.isEmpty)
    }

    @Test func theWorkersPageNamesTheSchedulerAndEachWorkersHTTPPort() throws {
        let page = WorkersPage(parsing: try Fixture.text("workers.html"))
        #expect(page.scheduler == "tcp://127.0.0.1:43747")
        #expect(page.workers.map(\.address) == ["tcp://127.0.0.1:45159", "tcp://127.0.0.1:45239"])
        #expect(page.workers.map(\.threads) == [1, 2] && page.workers[0].name == "tcp://127.0.0.1:45159")
        #expect(page.workers.map(\.httpPort) == [37885, 46651])
        #expect(page.workers[0].httpHost == "127.0.0.1" && page.workers[0].memoryLimit == 12_638_251_008)
    }

    @Test func addressesAreCommOrHTTP() {
        #expect(ClusterAddress("tcp://10.0.0.5:8786") == .scheduler("tcp://10.0.0.5:8786"))
        #expect(ClusterAddress("10.0.0.5:8786") == .scheduler("tcp://10.0.0.5:8786"))
        #expect(ClusterAddress("http://box:8787/status") == .http(host: "box", port: 8787))
        #expect(ClusterAddress("tcp://10.0.0.5:8786")?.host == "10.0.0.5")
        for bad in ["", "box", "http://", "tcp://:1", "http://box:99999", "box:port"] { #expect(ClusterAddress(bad) == nil, "\(bad)") }
    }
}
