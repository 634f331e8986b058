"""Key naming for the protocol, and per-core CPU from /proc/stat deltas."""

from blocktop_bridge.cpu import CoreSampler
from blocktop_bridge.keys import MAX_KEY, describe, key_index, key_text


def test_keys_name_their_block():
    key = ("matmul-3f2a", 0, 1)
    assert describe(key, [("random-9c", 0, 0), "data-1"]) == {
        "key": "('matmul-3f2a', 0, 1)", "prefix": "matmul", "group": "matmul-3f2a", "index": [0, 1],
        "dependencies": ["('random-9c', 0, 0)", "data-1"]}
    assert describe("finalize-0a1b2c3d", []) == {
        "key": "finalize-0a1b2c3d", "prefix": "finalize", "group": "finalize", "index": [], "dependencies": []}
    assert key_index(("x", 2, "part", True, 5)) == [2, 5]
    assert len(key_text("k" * 5000)) == MAX_KEY


def stat(path, *cores):
    """A /proc/stat with an aggregate line and one `cpuN` line per tuple of 10 counters."""
    rows = ["cpu  " + " ".join(["0"] * 10)]
    rows += [f"cpu{n} " + " ".join(map(str, values)) for n, values in enumerate(cores)]
    path.write_text("\n".join(rows + ["intr 1 2 3", "ctxt 5"]) + "\n")


def test_core_busy_counts_steal_and_irq_and_leaves_iowait_and_guest_idle(tmp_path):
    path = tmp_path / "stat"
    #      user nice system idle iowait irq softirq steal guest guest_nice
    stat(path, (100, 0, 0, 100, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    sampler = CoreSampler(str(path))
    stat(path, (130, 10, 10, 140, 10, 5, 5, 10, 30, 10), (0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    # core 0: busy 30+10+10+5+5+10 = 70, idle 40+10 = 50: 58.3%; core 1 did not move: 0%
    assert sampler.sample() == [58.3, 0.0]


def test_no_proc_stat_means_no_cores(tmp_path):
    assert CoreSampler(str(tmp_path / "missing")).sample() is None
