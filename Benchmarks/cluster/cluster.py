"""The cluster that `blocktop-bench cluster` watches: a scheduler and N single-thread workers
on loopback (each its own process, as `dask scheduler` / `dask worker --no-nanny` start them),
and a client that submits work when told to.

Run with the tests' venv (`.build/venv/bin/python`). It prints one JSON line
`{"scheduler": "tcp://127.0.0.1:PORT", "pids": [...]}` once the workers are in, then reads
commands, one per line, on stdin, and answers each with one JSON line:

- `graph K`: persists `da.ones((100, 100), chunks=1) + K` (10,000 tasks once ones and add are
  fused: one `('add-…', i, j)` key per block; another K, other keys), waits for it and
  releases it; answers `{"graph": seconds, "tasks": n}`.
- `long SECONDS TASK_SECONDS`: starts, in the background, one computation of about SECONDS on
  the workers: a square grid of blocks whose tasks each sleep TASK_SECONDS; answers
  `{"long": tasks}` at once and `{"long-done": seconds}` when it ends.

At the end of stdin it stops every process it started, by PID.
"""

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time


def say(**fields):
    print(json.dumps(fields), flush=True)


def start_cluster(workers, folder):
    dask = os.path.join(os.path.dirname(sys.executable), "dask")
    scheduler_file = os.path.join(folder, "scheduler.json")
    log = open(os.path.join(folder, "cluster.log"), "w")
    processes = [subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", scheduler_file,
         "--dashboard-address", "127.0.0.1:0", "--no-show"], stdout=log, stderr=log)]
    deadline = time.time() + 60
    while not os.path.exists(scheduler_file) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    with open(scheduler_file) as file:
        address = json.load(file)["address"]
    for index in range(workers):
        processes.append(subprocess.Popen(
            [dask, "worker", address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
             "--dashboard-address", "127.0.0.1:0", "--name", f"w{index}"], stdout=log, stderr=log))
    return address, processes


def stop(processes):
    """SIGTERM to the workers, then the scheduler (a worker without its scheduler lingers);
    SIGKILL to any still there after 10 s. A second SIGTERM to this process cannot cut it short."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in reversed(processes):
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sleepy(block, seconds):
    time.sleep(seconds)
    return block + 1


def main():
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    # SIGTERM ends it as the end of stdin does: the cluster is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    import dask.array as da
    from distributed import Client, wait

    with tempfile.TemporaryDirectory(prefix="blocktop-bench-cluster") as folder:
        address, processes = start_cluster(workers, folder)
        try:
            client = Client(address)
            client.wait_for_workers(workers, timeout=60)
            say(scheduler=address, pids=[process.pid for process in processes])
            for line in sys.stdin:
                words = line.split()
                if not words:
                    continue
                if words[0] == "graph":
                    started = time.time()
                    constant = int(words[1]) if len(words) > 1 else 1
                    result = client.persist(da.ones((100, 100), chunks=1) + constant)
                    tasks = len(result.__dask_keys__()) * len(result.__dask_keys__()[0])
                    wait(result)
                    seconds = time.time() - started
                    del result
                    say(graph=seconds, tasks=tasks)
                elif words[0] == "long":
                    seconds, task_seconds = float(words[1]), float(words[2])
                    side = max(1, math.ceil(math.sqrt(seconds * workers / task_seconds)))
                    array = da.ones((side, side), chunks=1).map_blocks(sleepy, task_seconds, dtype=float)

                    def run(array=array):
                        started = time.time()
                        result = client.persist(array)
                        wait(result)
                        del result
                        say(**{"long-done": time.time() - started})

                    threading.Thread(target=run, daemon=True).start()
                    say(long=side * side)
                else:
                    say(error=f"unknown command {line.strip()!r}")
        finally:
            # The workers and the scheduler first: a client with work still running may take a
            # while to close, and a benchmark that gave up on it ends this process by signal.
            stop(processes)


if __name__ == "__main__":
    main()
