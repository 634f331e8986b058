"""dask's local-scheduler callbacks that report a program's graphs and tasks as protocol lines."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from time import time
from typing import Any

from dask.callbacks import Callback

from blocktop_bridge.keys import describe, key_text
from blocktop_bridge.lines import LineWriter
from blocktop_bridge.messages import Tasks, TaskState, TransitionItem, Transitions

FLUSH_SECONDS = 0.05


class BridgeCallback(Callback):
    """Writes `tasks` when a graph starts and batched `transitions` as its tasks run."""

    def __init__(self, writer: LineWriter) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # dask's Callback.__init__ is not annotated
        self.writer = writer
        self._lock = threading.Lock()
        self._events: list[TransitionItem] = []
        self._timer: threading.Timer | None = None
        self._started: dict[Any, float] = {}
        self.closed = False

    def _send(self, write: Callable[[], None]) -> None:
        if self.closed:
            return
        try:
            write()
        except OSError:  # the bridge is gone: the program carries on unobserved
            self.closed = True

    def _add(self, key: Any, state: TaskState, now: float, thread: int | None = None,
             start: float | None = None, stop: float | None = None) -> None:
        event: TransitionItem = {"key": key_text(key), "state": state, "worker": None, "thread": thread,
                                 "start": start, "stop": stop, "time": now}
        with self._lock:
            self._events.append(event)
            if self._timer is None:
                self._timer = threading.Timer(FLUSH_SECONDS, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Writes the transitions gathered since the last flush."""
        with self._lock:
            events, self._events = self._events, []
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if events:
            self._send(lambda: self.writer.emit_items(Transitions(events=events)))

    def _start_state(self, dsk: Mapping[Any, Any], state: dict[str, Any]) -> None:
        now = time()
        deps = state["dependencies"]
        items = [describe(key, deps[key]) for key in deps]
        self._send(lambda: self.writer.emit_items(Tasks(tasks=items)))
        for key in state["cache"]:
            if key in deps:
                self._add(key, "memory", now)

    def _pretask(self, key: Any, dsk: Mapping[Any, Any], state: dict[str, Any]) -> None:
        now = time()
        self._started[key] = now
        self._add(key, "processing", now)

    def _posttask(self, key: Any, result: object, dsk: Mapping[Any, Any], state: dict[str, Any],
                  worker_id: object) -> None:
        now = time()
        self._add(key, "memory", now, thread=worker_id if isinstance(worker_id, int) else None,
                  start=self._started.pop(key, None), stop=now)

    def _finish(self, dsk: Mapping[Any, Any], state: dict[str, Any], failed: bool) -> None:
        if failed:  # the scheduler does not say which task raised: none of the running ones finish
            now = time()
            for key in state.get("running", ()):
                self._started.pop(key, None)
                self._add(key, "released", now)
        self.flush()


def install() -> BridgeCallback | None:
    """Registers the callback globally when the bridge gave this process a protocol fd.

    The variable is removed and the fd made non-inheritable, so that only this process reports.
    """
    name = os.environ.pop("BLOCKTOP_BRIDGE_FD", None)
    if name is None or not name.isdigit():
        return None
    fd = int(name)
    try:
        os.set_inheritable(fd, False)
    except OSError:
        return None
    callback = BridgeCallback(LineWriter(fd))
    callback.register()
    return callback
