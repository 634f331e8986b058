"""Launch mode: run blocktop's program on a Dask cluster, reported as attach reports, its result saved as `.npy`.

The program comes as blocktop's syntax JSON and goes through `translate`'s whitelist; nothing the
user wrote is evaluated. The run is a `job` of attach's session: submitted after the plugins are
registered, so every task of it is described, and ended (result, failure or cancel) before they go.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from time import time
from typing import Any

import dask.array as da
import numpy as np
from dask.base import optimize
from distributed import Future

from blocktop_bridge.attach import RPC_SECONDS, Session, Stop
from blocktop_bridge.keys import key_text
from blocktop_bridge.lines import clip
from blocktop_bridge.messages import Cancelled, Error, Failed, Result, StopReason, Submitted
from blocktop_bridge.translate import TranslationError, translate

CANCEL_SECONDS = 10
"""How long a cancel waits for the scheduler to drop the run's tasks."""
SETTLE_SECONDS = 5
"""How long the end of a run waits for the plugin's batch that holds it."""
POLL_SECONDS = 0.1


class ProgramError(ValueError):
    """A program the bridge will not run: unreadable, not JSON, or refused by the translator."""


def prepare(path: str) -> da.Array:
    """The program in the file `path` (blocktop's syntax JSON) as an optimised dask array.

    Raises `ProgramError` saying what was wrong with it.
    """
    try:
        with open(path, "rb") as file:
            document = json.loads(file.read())
    except OSError as error:
        raise ProgramError(f"cannot read the program file {path}: {error.strerror}") from None
    except ValueError as error:
        raise ProgramError(f"the program file {path} is not JSON: {error}") from None
    try:
        optimised: da.Array
        (optimised,) = optimize(translate(document))
    except TranslationError as error:
        raise ProgramError(str(error)) from None
    except Exception as error:  # a malformed tree, or shapes that do not fit: all about the program
        raise ProgramError(f"{type(error).__name__}: {error}") from None
    return optimised


def command(stop: Stop, line: bytes) -> None:
    """Acts on one command line from blocktop (`{"v":1,"type":"cancel"}`); ignores others, said on stderr."""
    try:
        message = json.loads(line)
    except ValueError:
        message = None
    if isinstance(message, dict) and message.get("v") == 1 and message.get("type") == "cancel":
        stop.set(StopReason.CANCELLED)
    elif line.strip():
        print(f"blocktop-bridge: ignored the command line {clip(repr(line), 200)}", file=sys.stderr)


def save_npy(path: str, value: object) -> tuple[int, ...]:
    """Writes `value` as a float64 C-order `.npy` file under `path + ".part"`, synced, then renamed to
    `path`, so that it is whole or absent; returns its shape."""
    array = np.asarray(value, dtype=np.float64, order="C")
    part = f"{path}.part"
    try:
        with open(part, "wb") as file:
            np.save(file, array)
            file.flush()
            os.fsync(file.fileno())
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise
    return array.shape


class Run:
    """One program on the cluster, as attach's job: submitted after hello, ended by its result,
    its failure or a cancel, each with its line."""

    def __init__(self, array: da.Array, result_path: str) -> None:
        self.array = array
        self.result_path = result_path
        self.session: Session | None = None
        self.future: Future[Any] | None = None
        self.keys: set[Any] = set()
        """The keys of the run's tasks on the scheduler (the graph's and the result's)."""
        self.texts: set[str] = set()
        self.result_text: str | None = None
        self.waiter: asyncio.Task[None] | None = None
        self.value: object = None
        self.seconds: float | None = None
        self.error: BaseException | None = None
        self.blamed: str | None = None
        """The key of the task that raised, as the plugin named it."""
        self.reported = asyncio.Event()
        """Set when the plugin's batches reached the run's end: the result in memory, or the task that raised."""

    async def start(self, session: Session) -> None:
        """Submits the program (unless told to stop already) and prints `submitted`."""
        self.session = session
        if session.stop.event.is_set():
            return
        session.observer = self.observe
        started = time()
        self.future = session.client.compute(self.array, optimize_graph=False)
        self.keys = set(self.array.__dask_graph__()) | {self.future.key}
        self.texts = {key_text(key) for key in self.keys}
        self.result_text = key_text(self.future.key)
        session.emit(Submitted(key=self.result_text, tasks=len(self.keys), time=session.now()))
        self.waiter = asyncio.create_task(self.wait(started))

    async def wait(self, started: float) -> None:
        """Gathers the result, then stops the session: done, failed, or cancelled by another client."""
        assert self.session is not None and self.future is not None  # set by start
        try:
            self.value = await self.future
        except Exception as error:
            if self.future.status == "error":
                self.error = error
                self.session.stop.set(StopReason.FAILED)
            elif self.session.client.status == "running":
                self.session.stop.set(StopReason.CANCELLED)
            return  # else the scheduler went: the session finds out
        self.seconds = time() - started
        self.session.stop.set(StopReason.DONE)

    def observe(self, kind: str, items: list[list[Any]]) -> None:
        """Watches the plugin's batches for the run's end and for the task that raised."""
        if kind == "erred":
            for key, _exception, _stamp in items:
                if key in self.texts and self.blamed is None:
                    self.blamed = key
                    self.reported.set()
        elif kind == "transitions":
            if any(item[0] == self.result_text and item[1] == "memory" for item in items):
                self.reported.set()

    async def settle(self) -> None:
        """Waits, for a while at most, until the plugin's batches reached the run's end, so that the
        run's transitions come before its last line (there are none to wait for without the plugin)."""
        assert self.session is not None  # set by start
        if self.session.events_off is None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.reported.wait(), SETTLE_SECONDS)

    async def finish(self, reason: StopReason) -> StopReason:
        """Ends the run as `reason` says and prints its line; returns the reason for bye."""
        assert self.session is not None  # set by start
        if reason == StopReason.DONE:
            return await self.save()
        if reason == StopReason.FAILED:
            await self.settle()
            self.session.emit(Failed(key=self.blamed or self.result_text, exception=clip(repr(self.error))))
            return reason
        if self.waiter is not None:
            self.waiter.cancel()
        if reason != StopReason.SCHEDULER_CLOSED:
            remaining = await self.cancel()
            self.session.emit(Cancelled(remaining=remaining, time=self.session.now()))
        return reason

    async def save(self) -> StopReason:
        """Writes the result file and prints `result`; a file that cannot be written is an `error`."""
        assert self.session is not None  # set by start
        try:
            shape = await asyncio.to_thread(save_npy, self.result_path, self.value)
        except OSError as error:
            self.session.emit(Error(message=clip(f"cannot write the result to {self.result_path}: {error}")))
            return StopReason.FAILED
        await self.settle()
        self.session.emit(Result(path=self.result_path, shape=list(shape), seconds=self.seconds,
                                 time=self.session.now()))
        return StopReason.DONE

    async def cancel(self) -> int:
        """Cancels the run and waits until the scheduler holds none of its tasks, CANCEL_SECONDS at
        most; returns how many it still holds."""
        if self.future is None or self.session is None:
            return 0
        client = self.session.client
        await client.cancel([self.future], force=True)
        deadline = time() + CANCEL_SECONDS
        while True:
            states = await asyncio.wait_for(self.session.scheduler.get_task_status(keys=list(self.keys)), RPC_SECONDS)
            remaining = sum(state is not None for state in states.values())
            if remaining == 0 or time() >= deadline:
                return remaining
            await asyncio.sleep(POLL_SECONDS)
