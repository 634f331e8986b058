"""attach on a real scheduler and two workers: workers, another client's computation, errors, cleanup."""

import operator
import os
import signal
import time

import dask.array as da
from distributed import get_task_stream

from blocktop_bridge.keys import key_text


def workers_line_with(addresses):
    return lambda line: {w["address"] for w in line["workers"]} >= set(addresses)


def test_attach_reports_another_clients_computation(cluster, bridge):
    watching = bridge("attach", "--scheduler", cluster.address)
    hello = watching.next("hello")
    assert hello["events"] == "plugin" and hello["reason"] is None and hello["mode"] == "attach"
    assert hello["scheduler"] == cluster.address and hello["dashboard"].startswith("http://127.0.0.1:")
    addresses = list(cluster.client.scheduler_info()["workers"])
    workers = watching.next("workers", workers_line_with(addresses))
    assert all(w["nthreads"] == 1 and w["host"] == "127.0.0.1" for w in workers["workers"])

    x = da.random.random((400, 400), chunks=200)
    with get_task_stream(cluster.client) as stream:
        total = cluster.client.compute((x @ x.T).sum()).result()
    assert total > 0
    ran = {key_text(task["key"]): task for task in stream.data}
    assert len(ran) > 12

    described, reached = {}, {}
    while not set(ran) <= reached.keys():
        line = watching.next()
        if line["type"] == "tasks":
            described.update((task["key"], task) for task in line["tasks"])
        elif line["type"] == "transitions":
            reached.update((e["key"], e) for e in line["events"] if e["state"] == "memory")
    assert set(ran) <= described.keys()
    for key, task in ran.items():
        event = reached[key]
        assert event["worker"] == task["worker"] and event["worker"] in addresses
        assert event["start"] <= event["stop"] and isinstance(event["thread"], int)
    blocks = [t for t in described.values() if t["prefix"] == "random_sample"]
    assert sorted(t["index"] for t in blocks) == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert all(t["key"] == str((t["group"], *t["index"])) for t in blocks)
    sums = [t for t in described.values() if t["prefix"] == "chunk_sum"]
    assert sums and all(len(t["index"]) == 3 and t["dependencies"] for t in sums)

    failing = cluster.client.submit(operator.truediv, 1, 0)
    erred = watching.next("erred", lambda line: line["key"] == failing.key)
    assert "ZeroDivisionError" in erred["exception"]
    assert watching.finish() == 0


def test_workers_joining_and_leaving(cluster, bridge):
    watching = bridge("attach", "--scheduler", cluster.address)
    watching.next("hello")
    known = set(cluster.client.scheduler_info()["workers"])
    extra = cluster.start_worker("extra")
    try:
        added = watching.next("worker-added", lambda line: line["address"] not in known)
        extra.send_signal(signal.SIGKILL)
        extra.wait()
        watching.next("worker-removed", lambda line: line["address"] == added["address"])
    finally:
        extra.kill()
        extra.wait()
    assert watching.finish() == 0


def test_per_core_cpu_and_cleanup_when_stdin_closes(cluster, bridge):
    watching = bridge("attach", "--scheduler", cluster.address, "--interval", "0.2")
    watching.next("hello")
    line = watching.next("workers", lambda line: line["workers"] and all(w["cores"] for w in line["workers"]))
    for worker in line["workers"]:
        assert len(worker["cores"]) == os.cpu_count()
        assert all(0 <= percent <= 100 for percent in worker["cores"])
    assert len(cluster.scheduler_plugins()) == 2 + 2  # events and cores on the scheduler, cores per worker
    assert watching.finish() == 0
    assert watching.lines[-1] == {"v": 1, "type": "bye", "reason": "stdin closed"}
    assert cluster.scheduler_plugins() == []


def test_tasks_held_before_attaching_and_plugins_leaving_with_a_killed_bridge(cluster, bridge):
    held = cluster.client.submit(pow, 2, 10, key="held-1")
    assert held.result() == 1024
    watching = bridge("attach", "--scheduler", cluster.address)
    watching.next("hello")
    task = watching.next("tasks", lambda line: any(t["key"] == held.key for t in line["tasks"]))
    assert [t["prefix"] for t in task["tasks"] if t["key"] == held.key] == ["held"]
    state = watching.next("transitions", lambda line: any(e["key"] == held.key for e in line["events"]))
    event = next(e for e in state["events"] if e["key"] == held.key)
    assert event["state"] == "memory" and event["start"] is None
    assert event["worker"] in cluster.client.who_has(held)[held.key]
    assert cluster.scheduler_plugins()
    watching.process.kill()
    watching.process.wait()
    deadline = time.time() + 10
    while cluster.scheduler_plugins() and time.time() < deadline:
        time.sleep(0.1)
    assert cluster.scheduler_plugins() == []
