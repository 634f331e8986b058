"""Protocol lines stay bounded, valid JSON, one per line."""

import json

from blocktop_bridge.lines import MAX_LINE, MAX_TEXT, LineWriter, clip
from blocktop_bridge.messages import Error, Tasks, Transitions, Workers


def written(emit, tmp_path):
    """The lines `emit(writer)` writes, parsed, their raw lengths, and the writer."""
    with open(tmp_path / "lines", "w+b") as file:
        writer = LineWriter(file.fileno())
        emit(writer)
        file.seek(0)
        raw = file.read().split(b"\n")
    assert raw[-1] == b""
    return [json.loads(line) for line in raw[:-1]], [len(line) + 1 for line in raw[:-1]], writer


def test_big_batches_split_into_bounded_lines_and_keep_every_item(tmp_path):
    items = [{"key": f"('x-{'a' * 300}', {i})", "state": "memory"} for i in range(12_000)]
    lines, sizes, _ = written(lambda w: w.emit_items(Transitions(events=items)), tmp_path)
    assert len(lines) > 1 and max(sizes) <= MAX_LINE
    assert [e for line in lines for e in line["events"]] == items
    assert all(line["v"] == 1 and line["type"] == "transitions" and "part" not in line for line in lines)


def test_a_split_whole_set_is_numbered(tmp_path):
    workers = [{"address": f"tcp://10.0.0.{i % 250}:{i}", "cores": [50.0] * 256} for i in range(1000)]
    lines, sizes, _ = written(lambda w: w.emit_items(Workers(time=1.5, workers=workers)), tmp_path)
    assert len(lines) > 1 and max(sizes) <= MAX_LINE
    assert [(line["part"], line["parts"]) for line in lines] == [(n, len(lines)) for n in range(1, len(lines) + 1)]
    assert all(line["time"] == 1.5 for line in lines)
    assert [w for line in lines for w in line["workers"]] == workers


def test_a_task_too_big_for_a_line_loses_dependencies_and_says_how_many(tmp_path):
    deps = [f"('y-{'b' * 900}', {i})" for i in range(3000)]
    task = {"key": "z", "prefix": "z", "group": "z", "index": [], "dependencies": deps}
    lines, sizes, writer = written(lambda w: w.emit_items(Tasks(tasks=[task, {**task, "key": "w"}])), tmp_path)
    sent = [t for line in lines for t in line["tasks"]]
    assert [t["key"] for t in sent] == ["z", "w"] and max(sizes) <= MAX_LINE
    for t in sent:
        assert t["dependencies"] == deps[: len(t["dependencies"])]
        assert len(t["dependencies"]) + t["dependencies_omitted"] == len(deps)
    assert writer.dropped == 0


def test_non_finite_numbers_become_null_and_text_is_ascii(tmp_path):
    def emit(writer):
        writer.emit(Workers(time=float("nan"), workers=[{"cpu": float("inf")}]))
        writer.emit(Error(message="naïve\n\x1b[2J"))

    lines, _, _ = written(emit, tmp_path)
    assert lines == [{"v": 1, "type": "workers", "time": None, "workers": [{"cpu": None}]},
                     {"v": 1, "type": "error", "message": "naïve\n\x1b[2J"}]


def test_clip_bounds_free_text():
    assert clip("short") == "short"
    long = clip("x" * 100_000)
    assert len(long) == MAX_TEXT and long.endswith("…")
