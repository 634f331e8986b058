"""`pip install ./python` gives a working package: `--version`, and the files watch mode needs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from blocktop_bridge import BRIDGE_VERSION

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def test_the_package_installs_offline_and_reports_its_version(tmp_path):
    # A copy, since setuptools writes its build files next to the sources.
    source = tmp_path / "source"
    shutil.copytree(PACKAGE_ROOT, source, ignore=shutil.ignore_patterns("tests", "__pycache__", "build", "*.egg-info"))
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    # Built here (this environment has the pinned setuptools), installed into a bare venv: no network.
    subprocess.run([*pip, "wheel", "--no-index", "--no-deps", "--no-build-isolation", "--wheel-dir", str(tmp_path / "wheels"),
                    str(source)], check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    (wheel,) = (tmp_path / "wheels").glob("blocktop_bridge-*.whl")
    subprocess.run([*pip, "--python", str(python), "install", "--no-index", "--no-deps", str(wheel)], check=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    version = subprocess.run([str(python), "-m", "blocktop_bridge", "--version"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, check=True)
    assert version.stdout == f"blocktop-bridge {BRIDGE_VERSION}\n"
    where = subprocess.run([str(python), "-c", "import blocktop_bridge.watch as w; print(w.SITE)"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True)
    site = Path(where.stdout.strip())
    assert site.is_relative_to(venv) and (site / "sitecustomize.py").is_file()
    assert (site.parent / "PROTOCOL.md").is_file()
