"""Per-core busy percent of this host from /proc/stat deltas."""

BUSY_FIELDS = (0, 1, 2, 5, 6, 7)
"""user, nice, system, irq, softirq, steal (guest time is already inside user and nice)."""
IDLE_FIELDS = (3, 4)
"""idle, iowait."""


def read_cores(path: str = "/proc/stat") -> list[tuple[int, int]]:
    """(busy, total) jiffies of each `cpuN` line, in order; empty where /proc/stat is missing."""
    try:
        with open(path) as stat:
            lines = stat.readlines()
    except OSError:
        return []
    cores = []
    for line in lines:
        name, _, rest = line.partition(" ")
        if not name.startswith("cpu") or name == "cpu":
            continue
        values = [int(v) for v in rest.split()]
        busy = sum(values[i] for i in BUSY_FIELDS if i < len(values))
        idle = sum(values[i] for i in IDLE_FIELDS if i < len(values))
        cores.append((busy, busy + idle))
    return cores


class CoreSampler:
    """Busy percent per core since the previous sample."""

    def __init__(self, path: str = "/proc/stat") -> None:
        self.path = path
        self._last = read_cores(path)

    def sample(self) -> list[float] | None:
        """Per-core percents (0–100, one decimal) since the last call, or None without /proc/stat."""
        now = read_cores(self.path)
        if not now:
            return None
        last = self._last if len(self._last) == len(now) else now
        self._last = now
        percents = []
        for (busy0, total0), (busy1, total1) in zip(last, now, strict=True):
            span = total1 - total0
            percents.append(round(100.0 * (busy1 - busy0) / span, 1) if span > 0 else 0.0)
        return percents
