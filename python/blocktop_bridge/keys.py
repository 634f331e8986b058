"""How the protocol names a dask task key: its text, block index, prefix and group."""

from collections.abc import Iterable

from dask.utils import key_split

from blocktop_bridge.messages import TaskItem

MAX_KEY = 1024
"""Characters kept of a key's text; longer keys (pathological) are cut and may then collide."""


def key_text(key: object) -> str:
    """`str(key)` for tuples and other keys, the key itself for strings, at most MAX_KEY characters."""
    text = key if isinstance(key, str) else str(key)
    return text if len(text) <= MAX_KEY else text[:MAX_KEY]


def key_index(key: object) -> list[int]:
    """The integers of a tuple key after its name (its block index); empty for other keys."""
    if not isinstance(key, tuple):
        return []
    return [part for part in key[1:] if isinstance(part, int) and not isinstance(part, bool)]


def key_group(key: object) -> str:
    """The name part of a tuple key, else the key's prefix (dask's task group)."""
    if isinstance(key, tuple) and key:
        return key_text(key[0])
    group: str = key_split(key)
    return group


def describe(key: object, dependencies: Iterable[object], prefix: str | None = None,
             group: str | None = None) -> TaskItem:
    """A `tasks` item for `key` and its dependency keys."""
    return {
        "key": key_text(key),
        "prefix": prefix if prefix is not None else key_split(key),
        "group": group if group is not None else key_group(key),
        "index": key_index(key),
        "dependencies": [key_text(d) for d in dependencies],
    }
