"""attach without plugins (the scheduler blocks them), then the scheduler going away; no scheduler at all."""

import signal

from conftest import Cluster

BLOCKED = {"DASK_DISTRIBUTED__SCHEDULER__BLOCKED_HANDLERS": '["register_scheduler_plugin"]'}
NO_CODE = {"DASK_DISTRIBUTED__SCHEDULER__BLOCKED_HANDLERS": '["register_scheduler_plugin", "run_function"]'}


def test_blocked_plugins_fall_back_to_progress_until_the_scheduler_goes(tmp_path, bridge):
    blocked = Cluster(tmp_path, workers=1, env_extra=BLOCKED)
    try:
        watching = bridge("attach", "--scheduler", blocked.address, "--interval", "0.2")
        hello = watching.next("hello")
        assert hello["events"] == "none"
        assert "register_scheduler_plugin" in hello["reason"]
        workers = watching.next("workers", lambda line: line["workers"])
        assert [w["address"] for w in workers["workers"]] == list(blocked.client.scheduler_info()["workers"])
        assert workers["workers"][0]["cores"] is None
        futures = blocked.client.map(abs, range(-5, 0))
        assert blocked.client.gather(futures) == [5, 4, 3, 2, 1]
        watching.next("clock")
        # The scheduler's own tallies: every task that entered a state, even after it was forgotten.
        progress = watching.next("progress", lambda line: line["prefixes"].get("abs", {}).get("memory") == 5)
        assert progress["prefixes"]["abs"] == {"total": 5, "memory": 5, "erred": 0, "processing": 0}

        blocked.scheduler.send_signal(signal.SIGKILL)
        assert watching.next("bye")["reason"] == "scheduler closed"
        assert watching.process.wait(30) == 1
        assert watching.stderr_text().splitlines() == [f"blocktop-bridge: the scheduler at {blocked.address} closed"]
        assert not watching.of("tasks") and not watching.of("transitions")
    finally:
        blocked.close()


def test_without_code_on_the_scheduler_progress_is_its_tasks_states_now(tmp_path, bridge):
    blocked = Cluster(tmp_path, workers=1, env_extra=NO_CODE)
    try:
        watching = bridge("attach", "--scheduler", blocked.address, "--interval", "0.2")
        assert watching.next("hello")["events"] == "none"
        futures = blocked.client.map(abs, range(-5, 0))
        assert blocked.client.gather(futures) == [5, 4, 3, 2, 1]
        progress = watching.next("progress", lambda line: line["prefixes"].get("abs", {}).get("memory") == 5)
        assert set(progress["prefixes"]["abs"]) == {"waiting", "processing", "memory", "erred", "released"}
        assert "not the scheduler's tallies" in watching.stderr_text()
    finally:
        blocked.close()


def test_unreachable_scheduler_is_an_error_line(bridge):
    watching = bridge("attach", "--scheduler", "tcp://127.0.0.1:9", "--timeout", "0.5")
    error = watching.next("error")
    assert "tcp://127.0.0.1:9" in error["message"]
    assert watching.process.wait(30) == 1
