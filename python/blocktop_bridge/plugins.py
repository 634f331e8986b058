"""The plugins the bridge registers on a cluster.

They ship by value (the bridge registers this package with cloudpickle), so they use only the
standard library, dask, distributed and this package.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from time import time
from typing import Any

from distributed import Scheduler, Worker
from distributed.diagnostics.plugin import SchedulerPlugin, WorkerPlugin
from distributed.scheduler import TaskState

from blocktop_bridge.cpu import CoreSampler
from blocktop_bridge.keys import describe, key_text
from blocktop_bridge.lines import clip

FLUSH_SECONDS = 0.05
BATCH = 2000
"""Items in one published message; a flush publishes as many as it needs."""

logger = logging.getLogger("distributed.scheduler.blocktop")


def _compute_span(startstops: list[dict[str, Any]] | None) -> tuple[float | None, float | None]:
    """(start, stop) of the compute step among a task's startstops, on its worker's clock."""
    for step in startstops or ():
        if step.get("action") == "compute":
            return step.get("start"), step.get("stop")
    return None, None


class EventsPlugin(SchedulerPlugin):
    """Publishes graph updates and task transitions to `topic` every FLUSH_SECONDS.

    Messages are `{"kind": "tasks"|"transitions"|"erred", "items": [...]}`; a transition is
    `[key, state, worker, thread, start, stop, time]`, an erred task `[key, exception, time]`.
    It removes itself, and the worker plugin named `worker_plugin`, when client `owner` leaves.
    """

    def __init__(self, name: str, owner: str, topic: str, worker_plugin: str | None = None) -> None:
        self.name = name
        self.owner = owner
        self.topic = topic
        self.worker_plugin = worker_plugin
        self.scheduler: Scheduler | None = None
        self._pending: dict[str, list[Any]] = {"tasks": [], "transitions": [], "erred": []}
        self._flusher: asyncio.Task[None] | None = None

    async def start(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        now = time()
        for ts in list(scheduler.tasks.values()):
            self._describe(ts)
            worker = ts.processing_on or next(iter(ts.who_has or ()), None)
            self._pending["transitions"].append(
                [key_text(ts.key), ts.state, worker.address if worker else None, None, None, None, now]
            )
        self._flusher = asyncio.create_task(self._flush_loop())  # held: the loop keeps only weak references

    def _describe(self, ts: TaskState) -> None:
        deps = [d.key for d in ts.dependencies]
        self._pending["tasks"].append(describe(ts.key, deps, ts.prefix.name, ts.group.name))

    def update_graph(self, scheduler: Scheduler, *, tasks: Any = (), **kwargs: Any) -> None:
        for key in tasks:
            ts = scheduler.tasks.get(key)
            if ts is not None:
                self._describe(ts)

    def transition(self, key: Any, start: str, finish: str, *args: Any, **kwargs: Any) -> None:
        if finish == "waiting":
            # A task is waiting from its description on (or, recomputed, from its release): two
            # thirds of a submission's burst of transitions, and nothing to show.
            return
        worker = kwargs.get("worker")
        begin = end = None
        if finish == "processing" and self.scheduler is not None:
            ts = self.scheduler.tasks.get(key)
            if ts is not None and ts.processing_on is not None:
                worker = ts.processing_on.address
        elif start == "processing":
            begin, end = _compute_span(kwargs.get("startstops"))
        now = time()
        text = key_text(key)
        self._pending["transitions"].append([text, finish, worker, kwargs.get("thread"), begin, end, now])
        if finish == "erred" and kwargs.get("exception_text"):
            self._pending["erred"].append([text, clip(kwargs["exception_text"]), now])

    def remove_client(self, scheduler: Scheduler, client: str) -> None:
        if client == self.owner:
            scheduler.plugins.pop(self.name, None)

    def _flush(self) -> None:
        assert self.scheduler is not None  # set by start
        broker = getattr(self.scheduler, "_broker", None)
        for kind, items in self._pending.items():
            if not items:
                continue
            self._pending[kind] = []
            for first in range(0, len(items), BATCH):
                self.scheduler.log_event(self.topic, {"kind": kind, "items": items[first : first + BATCH]})
        if broker is not None:
            # The topic's history on the scheduler is of no use: keep it from holding batches.
            broker.truncate(self.topic)

    async def _flush_loop(self) -> None:
        assert self.scheduler is not None  # set by start
        while self.scheduler.plugins.get(self.name) is self:
            await asyncio.sleep(FLUSH_SECONDS)
            try:
                self._flush()
            except Exception:  # one bad batch must not end the reporting, nor disturb the scheduler
                logger.exception("blocktop plugin %s could not publish a batch", self.name)
        if self.worker_plugin in self.scheduler.worker_plugins and self.owner not in self.scheduler.clients:
            await self.scheduler.unregister_worker_plugin(None, self.worker_plugin)


class CoresPlugin(WorkerPlugin):
    """Adds its host's per-core busy percents to the worker's heartbeat metrics, under its name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def setup(self, worker: Worker) -> None:
        sampler = CoreSampler()
        worker.metrics[self.name] = lambda _worker: sampler.sample()

    def teardown(self, worker: Worker) -> None:
        worker.metrics.pop(self.name, None)


def entered_counts(dask_scheduler: Scheduler) -> dict[str, dict[Any, int]]:
    """Per task prefix, how many tasks entered each state since the scheduler started (run on
    the scheduler with `Client.run_on_scheduler`)."""
    return {prefix.name: dict(prefix.state_counts) for prefix in dask_scheduler.task_prefixes.values()}


def progress_from_entered(states: Mapping[str, int]) -> dict[str, int]:
    """A `progress` item from a prefix's entered counts: all its tasks (each enters `waiting`
    once, or again when recomputed), done, erred, and processing now."""
    done, erred = states.get("memory", 0), states.get("erred", 0)
    return {"total": states.get("waiting", 0), "memory": done, "erred": erred,
            "processing": max(0, states.get("processing", 0) - done - erred)}
