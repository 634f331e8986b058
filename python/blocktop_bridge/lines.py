"""Bounded protocol lines: one JSON object per line, ASCII, flushed as written."""

import json
import math
import os
import threading
from collections.abc import Mapping
from typing import Any

from blocktop_bridge.messages import Batch, Message

MAX_LINE = 1_000_000
"""Bytes in one line, newline included (the protocol allows 1 MiB)."""
MAX_TEXT = 4096
"""Characters kept of free text (exceptions, reasons, messages)."""


def clip(text: object, limit: int = MAX_TEXT) -> str:
    """`text` as a string of at most `limit` characters, marked when cut."""
    text = str(text)
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _finite(value: object) -> object:
    """`value` with NaN and infinities replaced by null, which JSON cannot carry."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def encode(value: object) -> str:
    """Compact ASCII JSON for `value`; non-finite floats become null."""
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), separators=(",", ":"), allow_nan=False)


def _shrink(item: Mapping[str, Any], limit: int) -> str | None:
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

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.dropped = 0
        """Lines and items left out for their size (or, relayed, for being malformed)."""
        self._lock = threading.Lock()

    def write_line(self, line: str) -> None:
        """Writes one encoded line (ASCII, no newline) in one piece."""
        data = line.encode("ascii") + b"\n"
        with self._lock:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]

    def emit(self, message: Message) -> None:
        """One line (free text already clipped); a line over the limit is dropped and counted."""
        line = encode(message.to_dict())
        if len(line) >= MAX_LINE:
            self.dropped += 1
            return
        self.write_line(line)

    def emit_items(self, message: Batch) -> None:
        """`message` in as many lines as the size limit needs, its items spread over them.

        A whole set (`message.whole`) split over several lines carries `part` and `parts` (from 1).
        An item too big for a line loses dependencies until it fits, or is dropped and counted.
        """
        head = encode(message.head())[:-1] + f',"{message.items_field}":['
        room = MAX_LINE - len(head) - 40  # the closing brackets and part fields
        lines: list[list[str]] = []
        current: list[str] = []
        size = 0
        for item in message.items():
            text = encode(item)
            if len(text) > room:
                shrunk = _shrink(item, room)
                if shrunk is None:
                    self.dropped += 1
                    continue
                text = shrunk
            if current and size + len(text) + 1 > room:
                lines.append(current)
                current, size = [], 0
            current.append(text)
            size += len(text) + 1
        if current or not lines:
            lines.append(current)
        for number, texts in enumerate(lines, 1):
            tail = f',"part":{number},"parts":{len(lines)}' if message.whole and len(lines) > 1 else ""
            self.write_line(head + ",".join(texts) + "]" + tail + "}")
