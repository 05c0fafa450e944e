"""Create (once) and reuse the separate virtualenv that holds matrix-synapse.

Synapse is never a project dependency: it lives in ``.venv-synapse`` next to
the project venv. Parallel test processes share it; a file lock makes sure
only one of them installs while the others wait.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["SYNAPSE_VENV", "SynapseInstallError", "ensure_synapse"]

SYNAPSE_VENV = Path(__file__).resolve().parents[2] / ".venv-synapse"
_INSTALL_TIMEOUT = 900


class SynapseInstallError(RuntimeError):
    """Synapse could not be installed (no package registry, no compiler, …)."""


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _importable(venv: Path) -> bool:
    python = _python(venv)
    if not python.exists():
        return False
    probe = subprocess.run(
        [str(python), "-c", "import synapse.app.homeserver"],
        capture_output=True,
        cwd="/",  # never pick up a package called synapse from the working dir
        timeout=120,
    )
    return probe.returncode == 0


def _install(venv: Path) -> None:
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(_python(venv)), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        [str(_python(venv)), "-m", "pip", "install", "--quiet", "matrix-synapse"],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=_INSTALL_TIMEOUT)
        if done.returncode != 0:
            raise SynapseInstallError(f"{' '.join(step[:4])} failed: {done.stderr.strip()[-2000:]}")


def ensure_synapse(venv: Path = SYNAPSE_VENV) -> Path:
    """Return the python of a venv where ``synapse`` imports, installing it if needed."""
    if _importable(venv):
        return _python(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    lock_path = venv.parent / ".venv-synapse.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            # another process may have finished the install while we waited
            if not _importable(venv):
                _install(venv)
            if not _importable(venv):
                raise SynapseInstallError("matrix-synapse installed but `import synapse` still fails")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    os.utime(lock_path)
    return _python(venv)
