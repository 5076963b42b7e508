"""``language: python``: a virtual environment with the hook repo and its extra packages.

``uv`` builds it when found (``HOOKRUN_UV``, else on PATH, else beside the
interpreter running pytest): it is many times faster than venv and pip, which
are the fallback (``HOOKRUN_UV=0`` forces them).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..store import InstallError, Runner

_OFF = ("0", "false", "no", "off")


def find_uv(environ: Mapping[str, str]) -> str | None:
    setting = environ.get("HOOKRUN_UV", "")
    if setting.lower() in _OFF:
        return None
    if setting:
        return setting
    found = shutil.which("uv", path=environ.get("PATH"))
    if found:
        return found
    beside = Path(sys.executable).parent / "uv"
    return str(beside) if os.access(beside, os.X_OK) else None


def interpreter(version: str, environ: Mapping[str, str]) -> str:
    """The Python a ``language_version`` names: ``default``, ``python3.12``, ``3.12``, a path."""
    if version in ("default", "system"):
        return str(getattr(sys, "_base_executable", "") or sys.executable)
    if os.path.isabs(version):
        if os.access(version, os.X_OK):
            return version
        raise InstallError(f"language_version {version!r}: no such interpreter")
    name = version if version.startswith(("python", "pypy")) else f"python{version}"
    found = shutil.which(name, path=environ.get("PATH"))
    if found is None:
        raise InstallError(f"language_version {version!r}: {name} is not on PATH")
    return found


def identity(version: str, environ: Mapping[str, str]) -> str:
    """What the environment is built from, beyond the hook: the interpreter itself."""
    return os.path.realpath(interpreter(version, environ))


def install(
    prefix: Path,
    source: Path | None,
    dependencies: Sequence[str],
    version: str,
    run: Runner,
) -> None:
    python = interpreter(version, run.env)
    packages = ([str(source)] if source is not None else []) + list(dependencies)
    uv = find_uv(run.env)
    if uv is not None:
        env = {**run.env, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(prefix)}
        run((uv, "venv", "--quiet", "--python", python, str(prefix)), cwd=prefix, env=env)
        if packages:
            run(
                (
                    uv,
                    "pip",
                    "install",
                    "--quiet",
                    "--python",
                    str(prefix / "bin" / "python"),
                    *packages,
                ),
                cwd=source or prefix,
                env=env,
            )
        return
    run((python, "-m", "venv", str(prefix)), cwd=prefix)
    if packages:
        run(
            (
                str(prefix / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-input",
                *packages,
            ),
            cwd=source or prefix,
        )


def run_environ(prefix: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """The hook's environment: the venv's ``bin`` first on PATH, as if activated."""
    env = {k: v for k, v in environ.items() if k != "PYTHONHOME"}
    env["VIRTUAL_ENV"] = str(prefix)
    env["PATH"] = os.pathsep.join((str(prefix / "bin"), environ.get("PATH", os.defpath)))
    return env
