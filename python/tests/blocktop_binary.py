"""Running the blocktop binary from the bridge's tests: its headless JSON report and `.npy` output."""

import json
import os
import subprocess
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def blocktop():
    """The binary: $BLOCKTOP_BINARY, else the release build of this checkout (make build)."""
    path = Path(os.environ.get("BLOCKTOP_BINARY", REPOSITORY / ".build" / "release" / "blocktop"))
    assert path.is_file(), f"no blocktop binary at {path}: build it (swift build -c release) or set BLOCKTOP_BINARY"
    return path


def run(expression, *options):
    """The report of `blocktop run --headless --json [options] expression`; fails on a non-zero exit."""
    process = subprocess.run([str(blocktop()), "run", "--headless", "--json", *options, expression],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, f"blocktop failed on {expression!r}: {process.stderr}"
    return json.loads(process.stdout)


def saved(expression, path, *options):
    """Writes the result of `expression` to the `.npy` file `path` with blocktop's --output."""
    process = subprocess.run([str(blocktop()), "run", "--headless", "--output", str(path), *options, expression],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, f"blocktop failed on {expression!r}: {process.stderr}"
