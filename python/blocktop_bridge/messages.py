"""The protocol's lines as typed values, one class per line type (see PROTOCOL.md).

A message's `to_dict()` is its line before encoding: `v` and `type` first, then its fields in
declaration order. Fields marked `_optional()` are left out when None (absent on the wire rather
than null). The items of `tasks`, `transitions` and `workers` lines are TypedDicts, plain dicts at
run time, since one batch can hold many thousands.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, NotRequired, TypedDict

from blocktop_bridge import PROTOCOL_VERSION

TaskState = Literal["released", "waiting", "no-worker", "queued", "processing", "memory", "erred", "forgotten"]
"""The scheduler's task states, as a transition names the state a task reached."""


class Mode(enum.StrEnum):
    """How the bridge was started (hello's `mode`)."""

    ATTACH = "attach"
    LOCAL = "local"
    LAUNCH = "launch"
    WATCH = "watch"


class Events(enum.StrEnum):
    """Where per-task news comes from (hello's `events`)."""

    PLUGIN = "plugin"
    NONE = "none"
    CALLBACKS = "callbacks"


class StopReason(enum.StrEnum):
    """Why the bridge stops: bye's `reason`, except STDOUT_CLOSED, which has no bye."""

    STDIN_CLOSED = "stdin closed"
    STDOUT_CLOSED = "stdout closed"
    TERMINATED = "terminated"
    SCHEDULER_CLOSED = "scheduler closed"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskItem(TypedDict):
    """One task of a `tasks` line."""

    key: str
    prefix: str
    group: str
    index: list[int]
    dependencies: list[str]
    dependencies_omitted: NotRequired[int]


class TransitionItem(TypedDict):
    """One event of a `transitions` line."""

    key: str
    state: TaskState
    worker: str | None
    thread: int | None
    start: float | None
    stop: float | None
    time: float


class WorkerItem(TypedDict):
    """One worker of a `workers` line."""

    address: str
    name: str
    host: str | None
    nthreads: int | None
    memory_limit: int | None
    memory: int | None
    cpu: float | None
    executing: int
    ready: int
    in_memory: int
    cores: list[float] | None


def _optional() -> Any:
    """A field left out of the line when None."""
    return field(default=None, metadata={"optional": True})


def _plain(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


@dataclass(frozen=True, kw_only=True)
class Message:
    """A protocol line; subclasses name their `type` and declare their fields in wire order."""

    kind: ClassVar[str]

    def to_dict(self) -> dict[str, object]:
        """The line as a JSON object: `v`, `type`, then the fields."""
        line: dict[str, object] = {"v": PROTOCOL_VERSION, "type": self.kind}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if value is None and item.metadata.get("optional"):
                continue
            line[item.name] = _plain(value)
        return line


@dataclass(frozen=True, kw_only=True)
class Hello(Message):
    kind = "hello"
    bridge: str
    python: str
    distributed: str | None
    mode: Mode
    scheduler: str | None
    dashboard: str | None
    events: Events
    reason: str | None
    program: list[str] | None = _optional()
    """watch mode: the program's first arguments."""
    pid: int | None = _optional()
    """watch mode: the program's process id."""
    time: float


@dataclass(frozen=True, kw_only=True)
class Clock(Message):
    kind = "clock"
    time: float


@dataclass(frozen=True, kw_only=True)
class Cluster(Message):
    kind = "cluster"
    scheduler: str
    workers: int
    dashboard: str | None


@dataclass(frozen=True, kw_only=True)
class Batch(Message):
    """A line of items, its last field, that `LineWriter.emit_items` spreads over as many lines as
    the size limit needs; with `whole`, the parts say so (`part`, `parts`)."""

    items_field: ClassVar[str]
    whole: ClassVar[bool] = False

    def items(self) -> Sequence[Mapping[str, Any]]:
        """The items: the field `items_field` names."""
        items: Sequence[Mapping[str, Any]] = getattr(self, self.items_field)
        return items

    def head(self) -> dict[str, object]:
        """The line without its items."""
        line = self.to_dict()
        del line[self.items_field]
        return line


@dataclass(frozen=True, kw_only=True)
class Workers(Batch):
    """The whole set of workers."""

    kind = "workers"
    items_field = "workers"
    whole = True
    time: float
    workers: Sequence[WorkerItem]


@dataclass(frozen=True, kw_only=True)
class WorkerAdded(Message):
    kind = "worker-added"
    address: str
    time: float


@dataclass(frozen=True, kw_only=True)
class WorkerRemoved(Message):
    kind = "worker-removed"
    address: str
    time: float


@dataclass(frozen=True, kw_only=True)
class Tasks(Batch):
    kind = "tasks"
    items_field = "tasks"
    tasks: Sequence[TaskItem]


@dataclass(frozen=True, kw_only=True)
class Transitions(Batch):
    kind = "transitions"
    items_field = "events"
    events: Sequence[TransitionItem]


@dataclass(frozen=True, kw_only=True)
class Erred(Message):
    kind = "erred"
    key: str
    exception: str
    time: float


@dataclass(frozen=True, kw_only=True)
class Progress(Message):
    """Per-prefix counts, by state (or `total`), when there are no per-task events."""

    kind = "progress"
    time: float
    prefixes: dict[str, dict[str, int]]


@dataclass(frozen=True, kw_only=True)
class Submitted(Message):
    kind = "submitted"
    key: str
    tasks: int
    time: float


@dataclass(frozen=True, kw_only=True)
class Result(Message):
    kind = "result"
    path: str
    shape: list[int]
    seconds: float | None
    time: float


@dataclass(frozen=True, kw_only=True)
class Failed(Message):
    kind = "failed"
    key: str | None
    exception: str


@dataclass(frozen=True, kw_only=True)
class Cancelled(Message):
    kind = "cancelled"
    remaining: int
    time: float


@dataclass(frozen=True, kw_only=True)
class Error(Message):
    kind = "error"
    message: str


@dataclass(frozen=True, kw_only=True)
class Bye(Message):
    kind = "bye"
    reason: StopReason
    exit_status: int | None = _optional()
    """watch mode: the program's exit status."""
    dropped: int | None = _optional()
    """Lines or items left out, when there were any."""
