"""Watch mode: run a program with dask's local-scheduler callbacks installed, and relay its lines."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from blocktop_bridge import BRIDGE_VERSION, PROTOCOL_VERSION
from blocktop_bridge.lines import MAX_LINE, LineWriter, clip
from blocktop_bridge.messages import Bye, Error, Events, Hello, Mode, StopReason

SITE = Path(__file__).resolve().parent / "site"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
RELAY_KINDS = {"tasks", "transitions"}
DRAIN_SECONDS = 2.0
"""How long lines may still arrive after the program exits (from a child that kept the pipe)."""


def program_environment(fd: int) -> dict[str, str]:
    """The program's environment: our sitecustomize and this package first on PYTHONPATH, the fd named."""
    env = dict(os.environ)
    paths = [str(SITE), str(PACKAGE_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["BLOCKTOP_BRIDGE_FD"] = str(fd)
    return env


def relay(source: int, out: LineWriter) -> None:
    """Copies the program's protocol lines to `out`, keeping only well-formed task lines."""
    with os.fdopen(source, "rb") as lines:
        while raw := lines.readline(MAX_LINE):
            if not raw.endswith(b"\n"):  # too long, or cut off: skip the rest of it
                out.dropped += 1
                while raw and not raw.endswith(b"\n"):
                    raw = lines.readline(MAX_LINE)
                continue
            try:
                message = json.loads(raw)
                relayed = isinstance(message, dict) and message.get("type") in RELAY_KINDS \
                    and message.get("v") == PROTOCOL_VERSION
                if relayed:
                    out.write_line(raw[:-1].decode("ascii"))
            except (ValueError, UnicodeDecodeError):
                relayed = False
            except OSError:  # blocktop is gone: keep draining so that the program never blocks
                relayed = True
            out.dropped += not relayed


def watch(out: LineWriter, argv: list[str]) -> int:
    """Runs `argv` to its end; returns its exit status (128 + signal when a signal ended it)."""
    read_end, write_end = os.pipe()
    stdout = None if out.fd != 1 else 2  # the protocol owns our stdout: the program's goes to stderr
    try:
        child = subprocess.Popen(argv, env=program_environment(write_end), pass_fds=(write_end,), stdout=stdout)
    except OSError as error:
        os.close(read_end)
        os.close(write_end)
        out.emit(Error(message=clip(f"cannot run {argv[0]}: {error}")))
        return 127
    os.close(write_end)
    out.emit(Hello(bridge=BRIDGE_VERSION, python=sys.version.split()[0], distributed=None, mode=Mode.WATCH,
                   scheduler=None, dashboard=None, events=Events.CALLBACKS, reason=None,
                   program=[clip(a, 256) for a in argv[:16]], pid=child.pid, time=time.time()))
    relaying = threading.Thread(target=relay, args=(read_end, out), name="blocktop-relay", daemon=True)
    relaying.start()
    # SIGTERM goes on to the program; a terminal's SIGINT reaches it already, and must not end us first.
    signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    status = child.wait()
    relaying.join(DRAIN_SECONDS)
    status = 128 - status if status < 0 else status
    out.emit(Bye(reason=StopReason.DONE, exit_status=status, dropped=out.dropped or None))
    return status
