"""The run's helper process: part of a long fast path's files, run beside this process.

In-process work shares one interpreter lock: a long fast path (debug-statements parses
every module) keeps one core busy while the others wait. A helper is a Python process
started as early as the run knows it may need one (its start-up and imports then overlap
pytest's own), waiting on its stdin. When such a hook has work enough, the runner keeps
part of its files and hands the helper the rest (``runner._share_with_helper``), a
batch that waits for a free job slot, but never past the end of this process's part
(``runner.take_back``); the helper (:mod:`pytest_hookrun.fastpaths.__main__`) runs the
same fast path on them, or the real hook where the fast path declines, and its batch is
then reported, timed out and killed as every process is. A helper no hook took is killed
when the run ends.

This module is the starting side: light, as pytest's configure step imports it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .process import Waiting

# What a helper costs here before it can take a request (python -S, this package, the
# fast paths' modules): the runner gives it that much less work while it is starting.
START_SECONDS = 0.06

# The ids of pre-commit-hooks' hooks whose fast path a helper runs (their entries are
# ENTRIES' with in_helper and a cost per byte: tests/test_fastpaths.py checks it): a config
# that names none of them starts no helper before it is read.
HOOK_IDS = ("debug-statements", "check-toml")


def command() -> tuple[str, ...]:
    """How to start a helper: this interpreter without ``site`` (no ``.pth`` file runs,
    and no module of the repository it runs in shadows one of the standard library's),
    finding this package where this process found it."""
    root = str(Path(__file__).resolve().parents[1])
    code = (
        f"import sys; sys.path[0] = {root!r}; "
        "from pytest_hookrun.fastpaths.__main__ import main; sys.exit(main())"
    )
    return (sys.executable, "-S", "-c", code)


def start(cwd: Path, env: Mapping[str, str]) -> Waiting | None:
    """A helper, started now; None when it cannot start (the fast path then runs in
    this process alone)."""
    from .process import ExecutableNotFound, start_waiting

    try:
        return start_waiting(command(), cwd=str(cwd), env=env)
    except (OSError, ExecutableNotFound):
        return None


def request(
    entry: str,
    version: str,
    args: Sequence[str],
    fallback: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
) -> bytes:
    """What the runner hands a helper (see :mod:`pytest_hookrun.fastpaths.__main__`)."""
    work = {
        "entry": entry,
        "version": version,
        "args": list(args),
        "fallback": list(fallback),
        "env": dict(env),
        "cwd": str(cwd),
    }
    return json.dumps(work).encode()
