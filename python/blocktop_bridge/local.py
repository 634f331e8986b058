"""Local mode: start a LocalCluster of single-thread worker processes on loopback, then attach to it."""

from collections.abc import Awaitable
from typing import cast

from distributed import LocalCluster

from blocktop_bridge.attach import Job, Stop, attach
from blocktop_bridge.lines import LineWriter
from blocktop_bridge.messages import Cluster, Mode


async def local(out: LineWriter, workers: int, interval: float, stop: Stop, mode: Mode = Mode.LOCAL,
                job: Job | None = None) -> int:
    """Runs a cluster of `workers` processes for as long as attach mode (with launch's `job`) runs;
    returns the exit status."""
    cluster = await LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        scheduler_port=0, dashboard_address="127.0.0.1:0", asynchronous=True)
    try:
        assert cluster.scheduler is not None  # a started cluster's
        port = cluster.scheduler.services.get("dashboard")
        out.emit(Cluster(scheduler=cluster.scheduler_address, workers=workers,
                         dashboard=f"http://127.0.0.1:{port.port}" if port else None))
        return await attach(out, cluster.scheduler_address, interval, stop, mode=mode, job=job)
    finally:
        await cast(Awaitable[None], cluster.close())  # an asynchronous cluster's close is awaitable
