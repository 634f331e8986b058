"""Local mode: start a LocalCluster of single-thread worker processes on loopback, then attach to it."""

from distributed import LocalCluster

from blocktop_bridge.attach import attach


async def local(out, workers, interval, stop, mode="local", job=None):
    """Runs a cluster of `workers` processes for as long as attach mode (with launch's `job`) runs;
    returns the exit status."""
    cluster = await LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        scheduler_port=0, dashboard_address="127.0.0.1:0", asynchronous=True)
    try:
        port = cluster.scheduler.services.get("dashboard")
        out.emit("cluster", scheduler=cluster.scheduler_address, workers=workers,
                 dashboard=f"http://127.0.0.1:{port.port}" if port else None)
        return await attach(out, cluster.scheduler_address, interval, stop, mode=mode, job=job)
    finally:
        await cluster.close()
