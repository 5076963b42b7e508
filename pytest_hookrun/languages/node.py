"""``language: node``: the system node and npm, the hook package installed into a prefix.

As pre-commit does, the repo is packed (``npm pack``) and installed globally into
the environment's own prefix with its ``additional_dependencies``. Only the
system node runs: no node version is downloaded.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..store import InstallError, Runner


def identity(version: str, environ: Mapping[str, str]) -> str:
    if version not in ("default", "system"):
        raise InstallError(
            f"language_version {version!r}: only the system node runs here "
            "(pytest-hookrun does not download node versions)"
        )
    node = shutil.which("node", path=environ.get("PATH"))
    if node is None:
        raise InstallError("node is not on PATH")
    if shutil.which("npm", path=environ.get("PATH")) is None:
        raise InstallError("npm is not on PATH")
    return os.path.realpath(node)


def install(
    prefix: Path,
    source: Path | None,
    dependencies: Sequence[str],
    version: str,
    run: Runner,
) -> None:
    identity(version, run.env)
    packages: list[str] = []
    env = {**run.env, "NPM_CONFIG_PREFIX": str(prefix), "NPM_CONFIG_UPDATE_NOTIFIER": "false"}
    packed = prefix / ".packed"
    if source is not None:
        packed.mkdir()
        run(
            ("npm", "pack", "--silent", "--pack-destination", str(packed), str(source)),
            cwd=source,
            env=env,
        )
        packages.extend(str(p) for p in sorted(packed.glob("*.tgz")))
    packages.extend(dependencies)
    if packages:
        run(
            (
                "npm",
                "install",
                "--global",
                "--prefix",
                str(prefix),
                "--no-progress",
                "--no-save",
                "--no-fund",
                "--no-audit",
                "--loglevel=error",
                *packages,
            ),
            cwd=prefix,
            env=env,
        )
    shutil.rmtree(packed, ignore_errors=True)


def run_environ(prefix: Path, environ: Mapping[str, str]) -> dict[str, str]:
    env = dict(environ)
    env["NODE_VIRTUAL_ENV"] = env["NPM_CONFIG_PREFIX"] = str(prefix)
    env["NODE_PATH"] = str(prefix / "lib" / "node_modules")
    env["PATH"] = os.pathsep.join((str(prefix / "bin"), environ.get("PATH", os.defpath)))
    return env
