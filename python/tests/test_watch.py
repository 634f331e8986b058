"""watch -- python script.py: the script's dask tasks as protocol lines, its output and status untouched."""

import json
import os
import sys
import textwrap

import dask
import pytest

from blocktop_bridge.callbacks import BridgeCallback
from blocktop_bridge.lines import MAX_LINE, LineWriter
from blocktop_bridge.watch import relay

SCRIPT = textwrap.dedent("""
    import sys
    import dask.array as da

    x = da.ones((40, 40), chunks=20)
    print("total", int((x + 1).sum().compute(scheduler="threads", num_workers=2)))
    print("to stderr", file=sys.stderr)
    sys.exit(3)
""")


def test_watch_reports_the_scripts_tasks(tmp_path, bridge):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    watching = bridge("watch", "--", sys.executable, str(script), pipe=True)
    hello = watching.next("hello")
    assert hello["mode"] == "watch" and hello["program"] == [sys.executable, str(script)]
    assert watching.finish() == 3
    assert watching.process.stdout.read() == b"total 3200\n"
    assert "to stderr" in watching.stderr_text()
    assert watching.lines[-1] == {"v": 1, "type": "bye", "reason": "done", "exit_status": 3}

    tasks = {t["key"]: t for line in watching.of("tasks") for t in line["tasks"]}
    events = [e for line in watching.of("transitions") for e in line["events"]]
    done = {e["key"]: e for e in events if e["state"] == "memory"}
    assert tasks and set(tasks) == set(done)
    assert all(d in tasks for task in tasks.values() for d in task["dependencies"])
    ran = [e for e in done.values() if e["start"] is not None]
    assert ran and all(e["start"] <= e["stop"] and isinstance(e["thread"], int) for e in ran)
    blocks = [t for t in tasks.values() if len(t["index"]) == 2]
    groups = {t["group"] for t in blocks}
    for group in groups:
        assert sorted(t["index"] for t in blocks if t["group"] == group) == [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_watch_on_stdout_moves_the_programs_output_to_stderr(tmp_path, bridge):
    watching = bridge("watch", "--", sys.executable, "-c", "print('from the program')")
    watching.next("hello")
    assert watching.finish() == 0
    assert [line["type"] for line in watching.lines] == ["hello", "bye"]
    assert "from the program" in watching.stderr_text()


def test_only_well_formed_task_lines_are_relayed(tmp_path):
    good = b'{"v":1,"type":"transitions","events":[]}\n'
    sent = [good, b"not json\n", b'{"v":1,"type":"bye","reason":"done"}\n', b'{"v":2,"type":"tasks"}\n',
            b'{"v":1,"type":"tasks","tasks":["' + b"x" * MAX_LINE + b'"]}\n', b"[1]\n", good, b'{"v":1,"ty']
    (tmp_path / "program").write_bytes(b"".join(sent))
    with open(tmp_path / "relayed", "w+b") as target:
        out = LineWriter(target.fileno())
        relay(os.open(tmp_path / "program", os.O_RDONLY), out)
        target.seek(0)
        assert target.read() == good + good
    assert out.dropped == 6


def test_a_failing_computation_releases_its_running_tasks(tmp_path):
    def fail(value):
        raise ValueError(value)

    with open(tmp_path / "lines", "w+b") as target:
        with BridgeCallback(LineWriter(target.fileno())):
            with pytest.raises(ValueError):
                dask.delayed(fail)(1, dask_key_name="fail-1").compute(scheduler="sync")
        target.seek(0)
        lines = [json.loads(raw) for raw in target.read().splitlines()]
    assert [t["key"] for line in lines if line["type"] == "tasks" for t in line["tasks"]] == ["fail-1"]
    events = [(e["key"], e["state"]) for line in lines if line["type"] == "transitions" for e in line["events"]]
    assert events == [("fail-1", "processing"), ("fail-1", "released")]
