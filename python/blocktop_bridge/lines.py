"""Bounded protocol lines: one JSON object per line, ASCII, flushed as written."""

import json
import math
import os
import threading

from blocktop_bridge import PROTOCOL_VERSION

MAX_LINE = 1_000_000
"""Bytes in one line, newline included (the protocol allows 1 MiB)."""
MAX_TEXT = 4096
"""Characters kept of free text (exceptions, reasons, messages)."""


def clip(text, limit=MAX_TEXT):
    """`text` as a string of at most `limit` characters, marked when cut."""
    text = str(text)
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _finite(value):
    """`value` with NaN and infinities replaced by null, which JSON cannot carry."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def encode(value):
    """Compact ASCII JSON for `value`; non-finite floats become null."""
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), separators=(",", ":"), allow_nan=False)


def _shrink(item, limit):
    """`item` (a task) with dependencies dropped until it encodes within `limit` bytes, or None."""
    deps = item.get("dependencies")
    if not deps:
        return None
    kept = len(deps)
    while kept > 0:
        kept //= 2
        smaller = dict(item, dependencies=deps[:kept])
        smaller["dependencies_omitted"] = len(deps) - kept + item.get("dependencies_omitted", 0)
        text = encode(smaller)
        if len(text) <= limit:
            return text
    return None


class LineWriter:
    """Writes protocol lines to a file descriptor, whole lines at a time, from any thread."""

    def __init__(self, fd):
        self.fd = fd
        self.dropped = 0
        """Lines and items left out for their size (or, relayed, for being malformed)."""
        self._lock = threading.Lock()

    def write_line(self, line):
        """Writes one encoded line (ASCII, no newline) in one piece."""
        data = line.encode("ascii") + b"\n"
        with self._lock:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]

    def emit(self, kind, **fields):
        """One line of type `kind` (free text already clipped); a line over the limit is dropped and counted."""
        line = encode({"v": PROTOCOL_VERSION, "type": kind, **fields})
        if len(line) >= MAX_LINE:
            self.dropped += 1
            return
        self.write_line(line)

    def emit_items(self, kind, field, items, whole=False, **fields):
        """`items` under `field` in as many `kind` lines as the size limit needs.

        With `whole`, a set split over several lines carries `part` and `parts` (from 1).
        An item too big for a line loses dependencies until it fits, or is dropped and counted.
        """
        head = encode({"v": PROTOCOL_VERSION, "type": kind, **fields})[:-1] + f',"{field}":['
        room = MAX_LINE - len(head) - 40  # the closing brackets and part fields
        lines, current, size = [], [], 0
        for item in items:
            text = encode(item)
            if len(text) > room:
                text = _shrink(item, room)
                if text is None:
                    self.dropped += 1
                    continue
            if current and size + len(text) + 1 > room:
                lines.append(current)
                current, size = [], 0
            current.append(text)
            size += len(text) + 1
        if current or not lines:
            lines.append(current)
        for number, texts in enumerate(lines, 1):
            tail = f',"part":{number},"parts":{len(lines)}' if whole and len(lines) > 1 else ""
            self.write_line(head + ",".join(texts) + "]" + tail + "}")
