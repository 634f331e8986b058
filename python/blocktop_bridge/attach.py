"""Attach mode: watch a Dask cluster, whoever submits to it, and report it as protocol lines."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import platform
import signal
import sys
import threading
import uuid
from collections.abc import Callable, Mapping
from time import time
from typing import Any, Protocol, cast

import cloudpickle
import distributed
from distributed import Client
from distributed.security import Security

import blocktop_bridge
from blocktop_bridge import BRIDGE_VERSION, plugins
from blocktop_bridge.lines import LineWriter, clip
from blocktop_bridge.messages import (
    Bye,
    Clock,
    Erred,
    Error,
    Events,
    Hello,
    Message,
    Mode,
    Progress,
    StopReason,
    TaskItem,
    TransitionItem,
    WorkerAdded,
    WorkerItem,
    WorkerRemoved,
    Workers,
)
from blocktop_bridge.messages import Tasks as TasksMessage
from blocktop_bridge.messages import Transitions as TransitionsMessage

TRANSITION_FIELDS = ("key", "state", "worker", "thread", "start", "stop", "time")
RPC_SECONDS = 10
"""How long a request to the scheduler may take before the bridge gives up on it."""
PING_SECONDS = 0.02
"""How long to wait for a ping to come back before sending another: the first is often sent before
the subscription reaches the scheduler, and is lost."""
EXIT_STATUS = {StopReason.STDIN_CLOSED: 0, StopReason.STDOUT_CLOSED: 0, StopReason.TERMINATED: 0,
               StopReason.SCHEDULER_CLOSED: 1, StopReason.DONE: 0, StopReason.CANCELLED: 0, StopReason.FAILED: 1}
MAX_COMMAND = 65536
"""Bytes in one command line on stdin; a longer one is skipped."""


class Stop:
    """Why and when the bridge should stop: stdin closed, a signal, or the scheduler gone."""

    def __init__(self) -> None:
        self.reason: StopReason | None = None
        self.event = asyncio.Event()

    def set(self, reason: StopReason) -> None:
        if self.reason is None:
            self.reason = reason
        self.event.set()

    def watch(self, commands: Callable[[bytes], None] | None = None) -> None:
        """Stop when stdin reaches its end (blocktop died) or on SIGTERM/SIGINT.

        With `commands`, each line read from stdin (bytes, no newline) is passed to it on the loop.
        """
        loop = asyncio.get_running_loop()
        too_long = f"blocktop-bridge: skipped a command line over {MAX_COMMAND} bytes"

        def read_to_end() -> None:
            pending, skipping = b"", False
            try:  # the raw fd: a daemon thread blocked in a buffered read would abort the interpreter's exit
                while chunk := os.read(0, 65536):
                    if commands is None:
                        continue
                    *lines, pending = (pending + chunk).split(b"\n")
                    for line in lines:
                        if skipping:  # the end of a line already skipped
                            skipping = False
                        elif len(line) > MAX_COMMAND:
                            print(too_long, file=sys.stderr)
                        else:
                            loop.call_soon_threadsafe(commands, line)
                    if len(pending) > MAX_COMMAND:
                        if not skipping:
                            print(too_long, file=sys.stderr)
                        pending, skipping = b"", True
            except OSError:
                pass
            loop.call_soon_threadsafe(self.set, StopReason.STDIN_CLOSED)

        threading.Thread(target=read_to_end, name="blocktop-stdin", daemon=True).start()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.set, StopReason.TERMINATED)


class Job(Protocol):
    """What attach runs besides its reporting: launch's run."""

    async def start(self, session: Session) -> None: ...

    async def finish(self, reason: StopReason) -> StopReason: ...


def worker_entry(address: str, info: Mapping[str, Any], cores_name: str) -> WorkerItem:
    """A `workers` item from the scheduler's identity of one worker."""
    metrics = info.get("metrics") or {}
    counts = metrics.get("task_counts") or {}
    return {
        "address": address,
        "name": clip(info.get("name"), 256),
        "host": info.get("host"),
        "nthreads": info.get("nthreads"),
        "memory_limit": info.get("memory_limit"),
        "memory": metrics.get("memory"),
        "cpu": metrics.get("cpu"),
        "executing": counts.get("executing", 0),
        "ready": counts.get("ready", 0),
        "in_memory": counts.get("memory", 0),
        "cores": metrics.get(cores_name),
    }


class Session:
    """One attached client: its plugins, its event topic, and the lines it prints."""

    def __init__(self, out: LineWriter, client: Client, interval: float, stop: Stop) -> None:
        self.out = out
        self.client = client
        assert client.scheduler is not None  # a connected client's
        self.scheduler = client.scheduler
        """The client's connection to the scheduler."""
        self.interval = interval
        self.stop = stop
        tag = uuid.uuid4().hex[:12]
        self.topic = f"blocktop-{tag}"
        self.plugin = f"blocktop-events-{tag}"
        self.worker_plugin = f"blocktop-cores-{tag}"
        self.registered: list[str] = []
        self.offset = 0.0
        self.subscribed = asyncio.Event()
        self.queued: list[tuple[str, list[list[Any]]]] = []
        self.ready = False
        self.workers: dict[str, Any] = {}
        self.tallies = True
        self.cores: asyncio.Task[None] | None = None
        self.events_off: str | None = None
        """Why there are no per-task events (set by `run`), or None when the plugin reports them."""
        self.observer: Callable[[str, list[list[Any]]], None] | None = None
        """Called with (kind, items) of every batch from the scheduler plugin, once printed."""

    def now(self) -> float:
        """The scheduler's clock, as far as the last clock ping measured it."""
        return time() + self.offset

    def _print(self, write: Callable[[], None]) -> None:
        try:
            write()
        except OSError:
            self.stop.set(StopReason.STDOUT_CLOSED)

    def emit(self, message: Message) -> None:
        """Prints one line; a closed stdout stops the session instead of raising."""
        self._print(lambda: self.out.emit(message))

    def on_event(self, event: tuple[float, Any]) -> None:
        """Handles one message on the bridge's topic: a ping, a clock reading or a plugin batch."""
        stamp, message = event
        kind = message.get("kind") if isinstance(message, dict) else None
        if kind in ("ping", "clock"):  # the scheduler stamped it on arrival: its clock, a moment ago
            self.offset = stamp - time()
        if kind == "ping":
            self.subscribed.set()
        elif kind == "clock":
            self.emit(Clock(time=stamp))
        elif kind in ("tasks", "transitions", "erred"):
            items = message.get("items") or []
            if self.ready:
                self._print(lambda: self.forward(kind, items))
            else:
                self.queued.append((kind, items))

    def forward(self, kind: str, items: list[Any]) -> None:
        """Prints a batch from the scheduler plugin as protocol lines."""
        if kind == "tasks":
            self.out.emit_items(TasksMessage(tasks=cast(list[TaskItem], items)))
        elif kind == "transitions":
            events = [cast(TransitionItem, dict(zip(TRANSITION_FIELDS, item, strict=False))) for item in items]
            self.out.emit_items(TransitionsMessage(events=events))
        else:
            for key, exception, stamp in items:
                self.out.emit(Erred(key=key, exception=clip(exception), time=stamp))
        if self.observer is not None:
            self.observer(kind, items)

    async def subscribe(self) -> None:
        """Subscribes to the topic and waits until a ping comes back, so nothing published is missed."""
        self.client.subscribe_topic(self.topic, self.on_event)
        deadline = time() + RPC_SECONDS
        while not self.subscribed.is_set() and time() < deadline:
            await self.client.log_event(self.topic, {"kind": "ping"})
            try:
                await asyncio.wait_for(self.subscribed.wait(), PING_SECONDS)
            except TimeoutError:
                pass
        if not self.subscribed.is_set():
            raise RuntimeError("the scheduler does not deliver events to this client")

    async def register(self) -> str | None:
        """Registers the plugins; returns why there are no per-task events, or None."""
        try:
            versions = await self.scheduler.versions()
            theirs = str(versions["host"]["python"]).split(".")[:2]
            ours = platform.python_version().split(".")[:2]
            if theirs != ours:
                return (f"the scheduler runs Python {'.'.join(theirs)} and the bridge {'.'.join(ours)}:"
                        " plugins ship as code and need the same Python minor version")
            await self.subscribe()
            cloudpickle.register_pickle_by_value(blocktop_bridge)
            cloudpickle.register_pickle_by_value(plugins)
            events = plugins.EventsPlugin(self.plugin, self.client.id, self.topic, self.worker_plugin)
            await self.client.register_plugin(events, name=self.plugin)
            self.registered.append(self.plugin)
        except Exception as error:  # refused (blocked handler), or the events never arrive
            return clip(f"per-task events are off: {error}")
        # Every worker sets the cores plugin up before the call returns: nothing waits for that.
        self.cores = asyncio.create_task(self.register_cores())
        return None

    async def register_cores(self) -> None:
        """Registers the worker plugin that adds per-core CPU to the heartbeats."""
        try:
            await self.client.register_plugin(plugins.CoresPlugin(self.worker_plugin), name=self.worker_plugin)
            self.registered.append(self.worker_plugin)
        except Exception as error:
            print(f"blocktop-bridge: no per-core CPU from the workers: {error}", file=sys.stderr)

    async def unregister(self) -> None:
        """Removes what `register` added, as far as the scheduler still answers."""
        if self.cores is not None:
            try:
                await asyncio.wait_for(self.cores, RPC_SECONDS)
            except Exception:  # said by register_cores, or the scheduler is gone
                pass
        calls = {self.plugin: self.client.unregister_scheduler_plugin,
                 self.worker_plugin: self.client.unregister_worker_plugin}
        for name in reversed(self.registered):
            try:
                await asyncio.wait_for(calls[name](name), RPC_SECONDS)
            except Exception as error:
                print(f"blocktop-bridge: could not remove plugin {name}: {error}", file=sys.stderr)
        self.registered.clear()

    def report_workers(self, identity: Mapping[str, Any]) -> None:
        """Prints `workers`, and `worker-added`/`worker-removed` for what changed since the last call."""
        current: dict[str, Any] = identity.get("workers") or {}
        stamp = self.now()
        for address in self.workers.keys() - current.keys():
            self.out.emit(WorkerRemoved(address=address, time=stamp))
        for address in current.keys() - self.workers.keys():
            self.out.emit(WorkerAdded(address=address, time=stamp))
        self.workers = current
        entries = [worker_entry(a, info, self.worker_plugin) for a, info in current.items()]
        self.out.emit_items(Workers(time=stamp, workers=entries))

    async def tick(self, events: bool) -> None:
        """One interval's lines: workers, and per-prefix progress when there are no events."""
        identity = await asyncio.wait_for(self.scheduler.identity(n_workers=-1), RPC_SECONDS)
        self._print(lambda: self.report_workers(identity))
        if not events:
            prefixes = await self.prefix_counts()
            self.emit(Progress(time=self.now(), prefixes=prefixes))

    async def prefix_counts(self) -> dict[str, dict[str, int]]:
        """Per task prefix, the tasks that entered each state since the scheduler started (so a
        computation that began and ended between two ticks is counted), from the scheduler's own
        tallies; its tasks' states now when no code can run there (`run_function` blocked too, or
        another Python minor version)."""
        if self.tallies:
            try:
                cloudpickle.register_pickle_by_value(blocktop_bridge)
                cloudpickle.register_pickle_by_value(plugins)
                entered = await asyncio.wait_for(self.client.run_on_scheduler(plugins.entered_counts), RPC_SECONDS)
                return {prefix: plugins.progress_from_entered(states) for prefix, states in entered.items()}
            except (TimeoutError, OSError):
                raise
            except Exception as error:
                self.tallies = False
                print(f"blocktop-bridge: progress from the tasks' states now, not the scheduler's tallies: {error}", file=sys.stderr)
        states: dict[str, dict[str, int]] = await asyncio.wait_for(
            self.scheduler.get_task_prefix_states(), RPC_SECONDS)
        return states

    async def run(self, mode: Mode, job: Job | None = None) -> StopReason:
        """Hello, then `job.start(self)` (launch's run), then lines every interval until told to stop;
        returns the reason.

        A scheduler that stops answering raises OSError or TimeoutError.
        """
        reason = self.events_off = await self.register()
        identity = await asyncio.wait_for(self.scheduler.identity(), RPC_SECONDS)
        port = (identity.get("services") or {}).get("dashboard")
        address = str(self.scheduler.address)
        host = address.split("://")[-1].rsplit(":", 1)[0]
        self.emit(Hello(
            bridge=BRIDGE_VERSION, python=platform.python_version(),
            distributed=getattr(distributed, "__version__", None), mode=mode, scheduler=address,
            dashboard=f"http://{host}:{port}" if port else None,
            events=Events.NONE if reason else Events.PLUGIN, reason=reason, time=self.now()))
        self.ready = True
        for kind, items in self.queued:
            self._print(functools.partial(self.forward, kind, items))
        self.queued.clear()
        if job is not None:
            await job.start(self)
        last_clock = 0.0
        while not self.stop.event.is_set():
            if self.client.status != "running":
                self.stop.set(StopReason.SCHEDULER_CLOSED)
                break
            if time() - last_clock >= 1.0:
                last_clock = time()
                if self.subscribed.is_set():  # the scheduler stamps the event: its clock comes back
                    await self.client.log_event(self.topic, {"kind": "clock"})
                else:
                    self.emit(Clock(time=self.now()))
            await self.tick(reason is None)
            try:
                await asyncio.wait_for(self.stop.event.wait(), self.interval)
            except TimeoutError:
                pass
        assert self.stop.reason is not None  # set with the event
        return self.stop.reason


async def attach(out: LineWriter, address: str, interval: float, stop: Stop, mode: Mode = Mode.ATTACH,
                 security: Security | None = None, timeout: float = RPC_SECONDS, job: Job | None = None) -> int:
    """Runs attach mode against the scheduler at `address`; returns the exit status.

    A `job` (launch mode) starts after hello (`await job.start(session)`) and, once told to stop,
    ends before the plugins are removed (`await job.finish(reason)`, which returns the reason for bye).
    """
    try:
        client = await asyncio.wait_for(
            Client(address, asynchronous=True, security=security, name="blocktop-bridge", timeout=timeout),
            timeout + 1)
    except Exception as error:
        out.emit(Error(message=clip(f"cannot connect to the scheduler at {address}: {error}")))
        return 1
    session = Session(out, client, interval, stop)
    try:
        try:
            reason = await session.run(mode, job)
            if job is not None:
                reason = await job.finish(reason)
        except (TimeoutError, OSError) as error:
            print(f"blocktop-bridge: the scheduler stopped answering: {error}", file=sys.stderr)
            reason = StopReason.SCHEDULER_CLOSED
        if reason == StopReason.SCHEDULER_CLOSED:
            logging.disable(logging.ERROR)  # closing logs the cancelled reconnection as errors: not news
        else:
            await session.unregister()
    finally:
        await client.close()
    if reason == StopReason.SCHEDULER_CLOSED:
        print(f"blocktop-bridge: the scheduler at {address} closed", file=sys.stderr)
    if reason != StopReason.STDOUT_CLOSED:
        out.emit(Bye(reason=reason, dropped=out.dropped or None))
    return EXIT_STATUS[reason]
