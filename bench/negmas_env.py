"""Create (or reuse) the separate virtual environments that hold NegMAS, Parley's peer.

NegMAS is AGPL-3.0: it is installed from PyPI into ``bench/.venv-negmas`` and called from a
worker process (``negmas_worker.py``); none of its code is copied into Parley. The NegMAS
re-implementations of the GENIUS agents (``negmas-genius-agents``, AGPL-3.0 too) live in a
second environment, ``bench/.venv-negmas-agents``, with the same NegMAS pinned beside them, so
the first one stays exactly what the speed benchmarks measured.

    python bench/negmas_env.py          # prints the environment's python, creating it if needed
    python bench/negmas_env.py agents   # the same for the agents' environment

Idempotent: an environment that already imports the pinned versions is reused as it is.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

NEGMAS_VERSION = "0.16.0"
AGENTS_VERSION = "0.3.0"
"""negmas-genius-agents 0.3.0 asks for negmas>=0.16.0; it is run with NegMAS 0.16.0."""
ENV_DIR = Path(__file__).resolve().parent / ".venv-negmas"
AGENTS_ENV_DIR = Path(__file__).resolve().parent / ".venv-negmas-agents"
PINS = {"negmas": NEGMAS_VERSION}
AGENTS_PINS = {"negmas": NEGMAS_VERSION, "negmas-genius-agents": AGENTS_VERSION}


def env_python(env_dir: Path = ENV_DIR) -> Path:
    return env_dir / "bin" / "python"


def installed_version(python: Path, package: str = "negmas") -> str | None:
    """``package``'s version in the environment of ``python``, None when it is missing."""
    if not python.exists():
        return None
    probe = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def ensure(
    env_dir: Path = ENV_DIR, *, quiet: bool = False, pins: dict[str, str] | None = None
) -> Path:
    """The environment's python, with every pinned package (default: NegMAS) importable."""
    pins = PINS if pins is None else pins
    python = env_python(env_dir)
    if all(installed_version(python, p) == v for p, v in pins.items()):
        return python
    if not python.exists():
        if not quiet:
            print(f"creating {env_dir}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=False).create(env_dir)
    wanted = [f"{p}=={v}" for p, v in pins.items()]
    if not quiet:
        print(f"installing {' '.join(wanted)} into {env_dir}", file=sys.stderr)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wanted],
        check=True,
    )
    for package, version in pins.items():
        found = installed_version(python, package)
        if found != version:
            raise SystemExit(f"{package} {version} did not install (found {found})")
    return python


def ensure_agents(*, quiet: bool = False) -> Path:
    """The python of the environment with NegMAS and negmas-genius-agents, both pinned."""
    return ensure(AGENTS_ENV_DIR, quiet=quiet, pins=AGENTS_PINS)


if __name__ == "__main__":
    print(ensure_agents() if sys.argv[1:] == ["agents"] else ensure())
