"""Create (or reuse) the separate virtual environment that holds NegMAS, Parley's peer.

NegMAS is AGPL-3.0: it is installed from PyPI into ``bench/.venv-negmas`` and called from a
worker process (``negmas_worker.py``); none of its code is copied into Parley.

    python bench/negmas_env.py          # prints the environment's python, creating it if needed

Idempotent: an environment that already imports the pinned version is reused as it is.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

NEGMAS_VERSION = "0.16.0"
ENV_DIR = Path(__file__).resolve().parent / ".venv-negmas"


def env_python(env_dir: Path = ENV_DIR) -> Path:
    return env_dir / "bin" / "python"


def installed_version(python: Path) -> str | None:
    """NegMAS's version in the environment of ``python``, None when it is missing."""
    if not python.exists():
        return None
    probe = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('negmas'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def ensure(env_dir: Path = ENV_DIR, *, quiet: bool = False) -> Path:
    """The environment's python, with ``negmas==NEGMAS_VERSION`` importable."""
    python = env_python(env_dir)
    if installed_version(python) == NEGMAS_VERSION:
        return python
    if not python.exists():
        if not quiet:
            print(f"creating {env_dir}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=False).create(env_dir)
    if not quiet:
        print(f"installing negmas=={NEGMAS_VERSION} into {env_dir}", file=sys.stderr)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"negmas=={NEGMAS_VERSION}",
        ],
        check=True,
    )
    version = installed_version(python)
    if version != NEGMAS_VERSION:
        raise SystemExit(f"negmas {NEGMAS_VERSION} did not install (found {version})")
    return python


if __name__ == "__main__":
    print(ensure())
