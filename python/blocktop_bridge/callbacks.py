"""dask's local-scheduler callbacks that report a program's graphs and tasks as protocol lines."""

import os
import threading
from time import time

from dask.callbacks import Callback

from blocktop_bridge.keys import describe, key_text
from blocktop_bridge.lines import LineWriter

FLUSH_SECONDS = 0.05


class BridgeCallback(Callback):
    """Writes `tasks` when a graph starts and batched `transitions` as its tasks run."""

    def __init__(self, writer):
        super().__init__()
        self.writer = writer
        self._lock = threading.Lock()
        self._events = []
        self._timer = None
        self._started = {}
        self.closed = False

    def _send(self, write):
        if self.closed:
            return
        try:
            write()
        except OSError:  # the bridge is gone: the program carries on unobserved
            self.closed = True

    def _add(self, event):
        with self._lock:
            self._events.append(event)
            if self._timer is None:
                self._timer = threading.Timer(FLUSH_SECONDS, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self):
        """Writes the transitions gathered since the last flush."""
        with self._lock:
            events, self._events = self._events, []
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if events:
            self._send(lambda: self.writer.emit_items("transitions", "events", events))

    def _start_state(self, dsk, state):
        now = time()
        deps = state["dependencies"]
        items = [describe(key, deps[key]) for key in deps]
        self._send(lambda: self.writer.emit_items("tasks", "tasks", items))
        for key in state["cache"]:
            if key in deps:
                self._add({"key": key_text(key), "state": "memory", "worker": None, "thread": None,
                           "start": None, "stop": None, "time": now})

    def _pretask(self, key, dsk, state):
        now = time()
        self._started[key] = now
        self._add({"key": key_text(key), "state": "processing", "worker": None, "thread": None,
                   "start": None, "stop": None, "time": now})

    def _posttask(self, key, result, dsk, state, worker_id):
        now = time()
        self._add({"key": key_text(key), "state": "memory", "worker": None,
                   "thread": worker_id if isinstance(worker_id, int) else None,
                   "start": self._started.pop(key, None), "stop": now, "time": now})

    def _finish(self, dsk, state, failed):
        if failed:  # the scheduler does not say which task raised: none of the running ones finish
            now = time()
            for key in state.get("running", ()):
                self._started.pop(key, None)
                self._add({"key": key_text(key), "state": "released", "worker": None, "thread": None,
                           "start": None, "stop": None, "time": now})
        self.flush()


def install():
    """Registers the callback globally when the bridge gave this process a protocol fd.

    The variable is removed and the fd made non-inheritable, so that only this process reports.
    """
    fd = os.environ.pop("BLOCKTOP_BRIDGE_FD", None)
    if fd is None or not fd.isdigit():
        return None
    fd = int(fd)
    try:
        os.set_inheritable(fd, False)
    except OSError:
        return None
    callback = BridgeCallback(LineWriter(fd))
    callback.register()
    return callback
