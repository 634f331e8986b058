"""Fixtures: real Dask clusters on loopback, and the bridge as a child process read line by line."""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from distributed import Client

PYTHON_DIR = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")
TIMEOUT = 30
MAX_LINE = 1 << 20


def stop_process(process):
    """Ends a process this test started, by its PID: SIGTERM, then SIGKILL after 10 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cluster_environment():
    """The environment of scheduler and workers: no path to the bridge, so plugins must ship by value."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    env.pop("PYTHONPATH", None)
    return env


class Cluster:
    """A `dask scheduler` and `dask worker --nthreads 1` processes, started from their command lines."""

    def __init__(self, folder, workers, env_extra=None):
        self.folder = folder
        self.env = {**cluster_environment(), **(env_extra or {})}
        self.workers, self.client = [], None
        scheduler_file = folder / "scheduler.json"
        self.scheduler = self._start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0",
                                     "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(scheduler_file))
        try:
            deadline = time.time() + TIMEOUT
            while not scheduler_file.exists():
                assert self.scheduler.poll() is None and time.time() < deadline, self.log("scheduler")
                time.sleep(0.1)
            self.address = json.loads(scheduler_file.read_text())["address"]
            self.workers = [self.start_worker(f"worker{i}") for i in range(workers)]
            self.client = Client(self.address, timeout=TIMEOUT)
            if workers:
                self.client.wait_for_workers(workers, timeout=TIMEOUT)
        except BaseException:
            self.close()
            raise

    def _start(self, name, *args):
        log = open(self.folder / f"{name}.log", "wb")
        return subprocess.Popen([str(DASK), *args], env=self.env, cwd=self.folder, stdout=log, stderr=log)

    def start_worker(self, name):
        """One more single-thread worker without a nanny, so that killing its PID removes it."""
        return self._start(name, "worker", self.address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                           "--no-dashboard", "--name", name)

    def log(self, name):
        return (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]

    def scheduler_plugins(self):
        """Names of the bridge's plugins on the scheduler, in its worker-plugin list and on each worker."""
        on_scheduler = self.client.run_on_scheduler(
            lambda dask_scheduler: sorted(dask_scheduler.plugins) + sorted(dask_scheduler.worker_plugins))
        on_workers = self.client.run(lambda dask_worker: sorted(dask_worker.plugins))
        names = on_scheduler + [name for names in on_workers.values() for name in names]
        return [name for name in names if name.startswith("blocktop-")]

    def close(self):
        if self.client is not None:
            self.client.close()
        for process in self.workers + [self.scheduler]:
            stop_process(process)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two workers, for the tests of one module."""
    running = Cluster(tmp_path_factory.mktemp("cluster"), workers=2)
    yield running
    running.close()


class Bridge:
    """`python -m blocktop_bridge ARGS` with a pipe on stdin; every stdout line is checked and kept."""

    def __init__(self, folder, mode, *args, pipe=False):
        """With `pipe`, the protocol comes on a pipe (`--protocol-fd`) and stdout is left to read whole."""
        self.stderr = open(folder / "bridge.stderr", "w+b")
        env = {**cluster_environment(), "PYTHONPATH": str(PYTHON_DIR)}
        read_end, write_end = os.pipe() if pipe else (None, None)
        options = ["--protocol-fd", str(write_end)] if pipe else []
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "blocktop_bridge", mode, *options, *args], cwd=folder, env=env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                pass_fds=(write_end,) if pipe else ())
        finally:
            if pipe:
                os.close(write_end)
        self.lines = []
        self._queue = queue.Queue()
        source = os.fdopen(read_end, "rb") if pipe else self.process.stdout
        self.reader = threading.Thread(target=self._read, args=(source,), daemon=True)
        self.reader.start()

    def _read(self, source):
        for raw in source:
            self._queue.put(raw)
        self._queue.put(None)

    def _take(self, timeout):
        """The next line, checked: at most 1 MiB, one JSON object with `v` 1 and a `type`; None at the end."""
        raw = self._queue.get(timeout=timeout)
        if raw is None:
            return None
        assert len(raw) <= MAX_LINE and raw.endswith(b"\n"), raw[:200]
        line = json.loads(raw)
        assert isinstance(line, dict) and line["v"] == 1 and isinstance(line["type"], str), raw[:200]
        self.lines.append(line)
        return line

    def next(self, kind=None, where=lambda line: True, timeout=TIMEOUT):
        """The next line of type `kind` for which `where` holds, skipping others (they are kept)."""
        deadline = time.time() + timeout
        while True:
            try:
                line = self._take(max(0.0, deadline - time.time()))
            except queue.Empty:
                raise AssertionError(f"no {kind} line in {timeout} s; stderr: {self.stderr_text()}") from None
            if line is None:
                raise AssertionError(f"the bridge ended before a {kind} line; stderr: {self.stderr_text()}")
            if (kind is None or line["type"] == kind) and where(line):
                return line

    def finish(self, timeout=TIMEOUT):
        """Closes stdin, reads every remaining line, and returns the exit status."""
        self.process.stdin.close()
        status = self.process.wait(timeout)
        self.reader.join(timeout)
        while self._take(0) is not None:
            pass
        return status

    def of(self, kind):
        return [line for line in self.lines if line["type"] == kind]

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-3000:]

    def close(self):
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        stop_process(self.process)
        self.stderr.close()


@pytest.fixture
def bridge(tmp_path):
    """Starts bridges for one test and stops whichever are still running at its end."""
    started = []

    def start(*args, pipe=False):
        started.append(Bridge(tmp_path, *args, pipe=pipe))
        return started[-1]

    yield start
    for running in started:
        running.close()
