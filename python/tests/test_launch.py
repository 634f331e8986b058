"""launch: blocktop's program run on a real cluster, reported as attach reports, its result a whole `.npy`
file; a failure, a cancel and a refused program each with their lines and exit status."""

import json
import signal

import numpy as np
import psutil
import pytest
from blocktop_binary import run
from test_translate import CASES, call, document_of, number, sequence

from blocktop_bridge.translate import translate

CANCEL = b'{"v":1,"type":"cancel"}\n'
# 256 blocks of a third of a second each: still running when the tests stop it.
LONG = document_of(call("sum", call("random", sequence(16000, 16000), chunks=number(1000))))


def scheduler_keys(cluster):
    """The text of every key the scheduler holds, as the lines give keys."""
    return set(cluster.client.run_on_scheduler(
        lambda dask_scheduler: [k if isinstance(k, str) else str(k) for k in dask_scheduler.tasks]))


def write_program(folder, document):
    path = folder / "program.json"
    path.write_text(json.dumps(document))
    return str(path)


def launch(bridge, folder, document, *where):
    """A bridge launching `document` (`where`: --local N or --scheduler ADDR); the result goes to result.npy."""
    return bridge("launch", *where, "--program", write_program(folder, document),
                  "--result", str(folder / "result.npy"), "--interval", "0.2")


def run_keys(running):
    """The keys the `tasks` lines described, in the order they came."""
    return [task["key"] for line in running.of("tasks") for task in line["tasks"]]


def test_launch_local_gives_blocktops_result_in_a_whole_npy_file_and_leaves_no_process(bridge, tmp_path):
    case = CASES[0]  # x = random((400, 400), chunks=100); (x @ x.T).sum()
    running = launch(bridge, tmp_path, case["syntax"], "--local", "2")
    cluster = running.next("cluster")
    hello = running.next("hello")
    assert hello["mode"] == "launch" and hello["events"] == "plugin" and hello["scheduler"] == cluster["scheduler"]
    started = psutil.Process(running.process.pid).children(recursive=True)
    assert len(started) >= 2
    submitted = running.next("submitted")
    result = running.next("result")
    assert running.next("bye") == {"v": 1, "type": "bye", "reason": "done"}
    assert running.finish() == 0

    kinds = [line["type"] for line in running.lines]
    assert kinds.index("submitted") < kinds.index("tasks") and kinds[-2:] == ["result", "bye"]
    described = run_keys(running)
    assert len(set(described)) == submitted["tasks"] and submitted["key"] in described
    finished = {e["key"] for line in running.of("transitions") for e in line["events"] if e["state"] == "memory"}
    assert submitted["key"] in finished

    path = tmp_path / "result.npy"
    assert result["path"] == str(path) and result["shape"] == [] and result["seconds"] > 0
    assert not (tmp_path / "result.npy.part").exists()
    value = np.load(path)
    assert value.dtype == np.float64 and value.shape == ()
    assert value == translate(case["syntax"]).compute(scheduler="threads")
    assert value == pytest.approx(run(case["expression"])["result"], rel=1e-9)
    gone, alive = psutil.wait_procs(started, timeout=10)
    assert alive == []


def test_launch_on_a_scheduler_writes_the_array_and_leaves_nothing_there(cluster, bridge, tmp_path):
    case = CASES[1]  # (x - x.mean(axis=0)) / x.std(axis=0, ddof=1) of a 30 × 20 random array
    running = launch(bridge, tmp_path, case["syntax"], "--scheduler", cluster.address)
    assert running.next("hello")["scheduler"] == cluster.address
    result = running.next("result")
    running.next("bye", lambda line: line["reason"] == "done")
    assert running.finish() == 0
    assert result["shape"] == [30, 20]
    value = np.load(tmp_path / "result.npy")
    assert value.dtype == np.float64 and value.flags.c_contiguous
    assert np.array_equal(value, translate(case["syntax"]).compute(scheduler="threads"))
    assert not set(run_keys(running)) & scheduler_keys(cluster)
    assert cluster.scheduler_plugins() == []


@pytest.mark.parametrize("how, reason", [("command", "cancelled"), ("stdin", "stdin closed"),
                                         ("signal", "terminated")])
def test_stopping_a_run_cancels_it_on_the_scheduler(cluster, bridge, tmp_path, how, reason):
    running = launch(bridge, tmp_path, LONG, "--scheduler", cluster.address)
    submitted = running.next("submitted")
    running.next("transitions", lambda line: any(e["state"] == "memory" for e in line["events"]))
    if how == "command":
        running.process.stdin.write(b'not a command\n{"v":1,"type":"pause"}\n' + b"x" * 200000 + CANCEL)
        running.process.stdin.flush()
        running.next("transitions", lambda line: any(e["state"] == "memory" for e in line["events"]))
        running.process.stdin.write(CANCEL)
        running.process.stdin.flush()
    elif how == "stdin":
        running.process.stdin.close()
    else:
        running.process.send_signal(signal.SIGTERM)
    cancelled = running.next("cancelled")
    assert running.next("bye") == {"v": 1, "type": "bye", "reason": reason}
    assert running.finish() == 0
    assert cancelled["remaining"] == 0 and running.of("result") == []
    assert submitted["tasks"] > 256 and not set(run_keys(running)) & scheduler_keys(cluster)
    assert cluster.scheduler_plugins() == []
    assert not (tmp_path / "result.npy").exists() and not (tmp_path / "result.npy.part").exists()
    if how == "command":
        assert "ignored the command line b'not a command'" in running.stderr_text()
        assert "ignored the command line b'{\"v\":1,\"type\":\"pause\"}'" in running.stderr_text()
        assert running.stderr_text().count("skipped a command line over 65536 bytes") == 1


def test_a_task_that_raises_fails_the_run_naming_it(cluster, bridge, tmp_path):
    # sqrt(-1) is NaN in the first of three blocks only: one task raises.
    program = document_of(call("check_finite", call("sqrt", call("arange", number(-1), number(11), chunks=number(4)))))
    running = launch(bridge, tmp_path, program, "--scheduler", cluster.address)
    failed = running.next("failed")
    assert running.next("bye") == {"v": 1, "type": "bye", "reason": "failed"}
    assert running.finish() == 1
    erred = running.of("erred")
    assert [line["key"] for line in erred] == [failed["key"]]
    assert failed["key"].startswith("('check_finite-") and failed["key"].endswith(", 0)")
    assert failed["exception"].startswith("NonFiniteValueError(")
    assert "non-finite value nan at [0] (block [0])" in failed["exception"]
    assert running.lines.index(erred[0]) < running.lines.index(failed)
    assert not (tmp_path / "result.npy").exists() and not (tmp_path / "result.npy.part").exists()


def test_a_result_that_cannot_be_written_is_an_error_and_fails_the_run(cluster, bridge, tmp_path):
    path = tmp_path / "missing" / "result.npy"
    running = bridge("launch", "--scheduler", cluster.address, "--program", write_program(tmp_path, CASES[0]["syntax"]),
                     "--result", str(path))
    error = running.next("error")
    assert running.next("bye") == {"v": 1, "type": "bye", "reason": "failed"}
    assert running.finish() == 1
    assert error["message"].startswith(f"cannot write the result to {path}: ")
    assert "No such file or directory" in error["message"] and running.of("result") == []


@pytest.mark.parametrize("contents, message", [
    (json.dumps(document_of(call("eval", {"node": "string", "value": "1"}))),
     "cannot translate the expression: function 'eval' is not on the bridge's whitelist"),
    ("{", "cannot translate the expression: the program file {path} is not JSON: "),
    (None, "cannot translate the expression: cannot read the program file {path}: No such file or directory"),
], ids=["refused", "not JSON", "unreadable"])
def test_a_program_that_cannot_be_translated_is_bad_input_and_submits_nothing(
        cluster, bridge, tmp_path, contents, message):
    program = tmp_path / "program.json"
    if contents is not None:
        program.write_text(contents)
    before = scheduler_keys(cluster)
    running = bridge("launch", "--scheduler", cluster.address, "--program", str(program),
                     "--result", str(tmp_path / "result.npy"))
    assert running.finish() == 2
    [error] = running.lines
    assert error["type"] == "error" and error["message"].startswith(message.format(path=program))
    assert scheduler_keys(cluster) == before and cluster.scheduler_plugins() == []
