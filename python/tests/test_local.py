"""local --workers 2: a LocalCluster of single-thread worker processes, gone when the bridge exits."""

import psutil
from distributed import Client


def test_local_cluster_runs_work_and_leaves_no_process(bridge):
    watching = bridge("local", "--workers", "2", "--interval", "0.2")
    cluster = watching.next("cluster")
    assert cluster["scheduler"].startswith("tcp://127.0.0.1:") and cluster["workers"] == 2
    assert cluster["dashboard"].startswith("http://127.0.0.1:")
    hello = watching.next("hello")
    assert hello["mode"] == "local" and hello["events"] == "plugin"
    assert hello["scheduler"] == cluster["scheduler"]
    workers = watching.next("workers", lambda line: len(line["workers"]) == 2)
    assert [w["nthreads"] for w in workers["workers"]] == [1, 1]

    with Client(cluster["scheduler"], timeout=30) as client:
        future = client.submit(pow, 3, 4, key="pow-local")
        assert future.result() == 81
        watching.next("transitions", lambda line: any(
            e["key"] == "pow-local" and e["state"] == "memory" for e in line["events"]))
    started = psutil.Process(watching.process.pid).children(recursive=True)
    assert len(started) >= 2  # a nanny and a worker process per worker, at least the workers
    assert watching.finish() == 0
    assert watching.lines[-1]["type"] == "bye"
    gone, alive = psutil.wait_procs(started, timeout=10)
    assert alive == []
