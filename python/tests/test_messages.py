"""The typed messages write exactly the lines of tests/golden/messages.jsonl, which blocktop's Swift
tests parse too (Tests/ClusterSourcesTests/GoldenBridgeLinesTests.swift)."""

import json
from pathlib import Path

from blocktop_bridge.lines import LineWriter
from blocktop_bridge.messages import (
    Batch,
    Bye,
    Cancelled,
    Clock,
    Cluster,
    Erred,
    Error,
    Events,
    Failed,
    Hello,
    Message,
    Mode,
    Progress,
    Result,
    StopReason,
    Submitted,
    Tasks,
    Transitions,
    WorkerAdded,
    WorkerRemoved,
    Workers,
)

GOLDEN = Path(__file__).parent / "golden" / "messages.jsonl"

KEY = "('matmul-3f2a', 0, 1)"
MESSAGES = [
    Cluster(scheduler="tcp://127.0.0.1:40123", workers=2, dashboard="http://127.0.0.1:40124"),
    Hello(bridge="1.0", python="3.11.7", distributed="2026.8.0", mode=Mode.LOCAL, scheduler="tcp://127.0.0.1:40123",
          dashboard="http://127.0.0.1:40124", events=Events.PLUGIN, reason=None, time=1000.25),
    Hello(bridge="1.0", python="3.11.7", distributed="2026.8.0", mode=Mode.ATTACH, scheduler="tcp://10.0.0.5:8786",
          dashboard=None, events=Events.NONE, reason="per-task events are off: blocked", time=1000.5),
    Hello(bridge="1.0", python="3.11.7", distributed=None, mode=Mode.WATCH, scheduler=None, dashboard=None,
          events=Events.CALLBACKS, reason=None, program=["python3", "demo.py"], pid=4242, time=1000.75),
    Hello(bridge="1.0", python="3.11.7", distributed="2026.8.0", mode=Mode.LAUNCH, scheduler="tcp://127.0.0.1:8786",
          dashboard="http://127.0.0.1:8787", events=Events.PLUGIN, reason=None, time=1001.0),
    Clock(time=1001.5),
    WorkerAdded(address="tcp://127.0.0.1:40001", time=1002.0),
    WorkerRemoved(address="tcp://127.0.0.1:40002", time=1002.0),
    Workers(time=1002.0, workers=[
        {"address": "tcp://127.0.0.1:40001", "name": "0", "host": "127.0.0.1", "nthreads": 1, "memory_limit": 4_000_000_000,
         "memory": 120_000_000, "cpu": 98.5, "executing": 1, "ready": 3, "in_memory": 7, "cores": [97.0, 4.5]},
        {"address": "tcp://127.0.0.1:40003", "name": "1", "host": "127.0.0.1", "nthreads": 1, "memory_limit": 4_000_000_000,
         "memory": None, "cpu": None, "executing": 0, "ready": 0, "in_memory": 0, "cores": None},
    ]),
    Tasks(tasks=[
        {"key": KEY, "prefix": "matmul", "group": "matmul-3f2a", "index": [0, 1],
         "dependencies": ["('random-7c1d', 0, 0)", "('random-7c1d', 0, 1)"]},
        {"key": "finalize-9e8f", "prefix": "finalize", "group": "finalize", "index": [], "dependencies": [KEY],
         "dependencies_omitted": 5},
    ]),
    Transitions(events=[
        {"key": KEY, "state": "processing", "worker": "tcp://127.0.0.1:40001", "thread": None, "start": None, "stop": None,
         "time": 1003.0},
        {"key": KEY, "state": "memory", "worker": "tcp://127.0.0.1:40001", "thread": 140211, "start": 1003.0,
         "stop": 1003.25, "time": 1003.5},
        {"key": "finalize-9e8f", "state": "no-worker", "worker": None, "thread": None, "start": None, "stop": None,
         "time": 1003.5},
    ]),
    Erred(key=KEY, exception="ZeroDivisionError('division by zero')", time=1004.0),
    Progress(time=1004.5, prefixes={"matmul": {"total": 4, "memory": 2, "erred": 0, "processing": 1}}),
    Submitted(key="finalize-9e8f", tasks=9, time=1005.0),
    Result(path="/tmp/result.npy", shape=[100, 100], seconds=1.5, time=1006.5),
    Failed(key=KEY, exception="NonFiniteValueError('non-finite value nan at [0, 1] (block [0, 0])')"),
    Cancelled(remaining=0, time=1007.0),
    Error(message="cannot connect to the scheduler at tcp://10.0.0.9:8786: timed out"),
    Bye(reason=StopReason.DONE),
    Bye(reason=StopReason.STDIN_CLOSED, dropped=2),
    Bye(reason=StopReason.DONE, exit_status=3),
]


def test_messages_write_the_golden_lines(tmp_path):
    with open(tmp_path / "lines", "w+b") as file:
        writer = LineWriter(file.fileno())
        for message in MESSAGES:
            if isinstance(message, Batch):
                writer.emit_items(message)
            else:
                writer.emit(message)
        file.seek(0)
        written = file.read().decode("ascii").splitlines()
    assert written == GOLDEN.read_text("ascii").splitlines()


def test_the_golden_lines_cover_every_message_type():
    kinds = {json.loads(line)["type"] for line in GOLDEN.read_text("ascii").splitlines()}
    assert kinds == {cls.kind for cls in _line_types(Message)}


def _line_types(base):
    """The subclasses of `base` that are line types (that name their `type`)."""
    for sub in base.__subclasses__():
        if "kind" in vars(sub):
            yield sub
        yield from _line_types(sub)
