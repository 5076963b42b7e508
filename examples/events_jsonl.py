"""pytest-hookrun events as JSON lines: one object per event, appended to a file.

A plain pytest plugin. Load it with ``pytest --hooks -p examples.events_jsonl`` (the
project root on ``sys.path``) or ``pytest_plugins = ["examples.events_jsonl"]`` in the
root ``conftest.py``, and choose the file with the environment variable
``HOOKRUN_EVENTS_JSONL=path`` (relative to the current directory) or the ini option
``hookrun_events_jsonl = path`` (relative to the rootdir); the variable wins. Without
either, the plugin does nothing.

Each line is one object with ``event``, ``run`` (one id per pytest session, so runs
appended to one file stay apart) and ``ts`` (Unix time), and by event:

- ``plan``: ``hooks`` (hook ids in reference order), ``keys`` (their node ids),
  ``edges`` (how many), ``edges_by_reason`` and ``critical_path`` (hook ids);
- ``hook_start``: ``key``, ``hook``, ``files`` (how many it was given);
- ``hook_finish``: ``key``, ``hook``, ``status`` (passed, failed, modified, timeout,
  skipped, error), ``duration`` (seconds, the hook's own run time), ``exit_code``
  (the first non-zero one; null when no process ran or one was killed), ``modified``
  (files it changed), ``files``, ``reason``;
- ``progress``: ``done`` of ``total`` selected hooks have an outcome;
- ``install_start`` / ``install_finish``: a clone (``language`` "git") or an environment
  install of ``repo`` at ``rev`` starts / ends (``duration``, ``error``: null or the
  message its hooks report), only when something is built.

Events of one run appear in the order they happened. Start and finish events come
from pytest-hookrun's event thread, install events from its installer threads, the
plan from the main thread: every line is
written whole, with one ``write`` under a lock, to a file opened for appending, so
concurrent writers (threads, or the processes of two runs) never interleave lines.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_hookrun.config import Hook
    from pytest_hookrun.environments import Install
    from pytest_hookrun.outcome import HookOutcome
    from pytest_hookrun.plan import Plan

__all__ = [
    "pytest_addoption",
    "pytest_configure",
    "pytest_hookrun_hook_finish",
    "pytest_hookrun_hook_start",
    "pytest_hookrun_install_finish",
    "pytest_hookrun_install_start",
    "pytest_hookrun_plan",
    "pytest_hookrun_progress",
]

ENV = "HOOKRUN_EVENTS_JSONL"
INI = "hookrun_events_jsonl"


class JsonLinesWriter:
    """Appends one JSON object per line to ``path``; safe to call from any thread."""

    def __init__(self, path: Path, run: str | None = None) -> None:
        self.path = path
        self.run = run or uuid.uuid4().hex
        self._lock = threading.Lock()

    def write(self, event: str, **fields: Any) -> None:
        with self._lock:  # ts taken under the lock: the lines' times never go backwards
            record = {"event": event, "run": self.run, "ts": round(time.time(), 6), **fields}
            line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                view = memoryview(line)
                while view:  # a regular file takes it in one write; a short write goes on
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)


_writer_key = pytest.StashKey[JsonLinesWriter]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(INI, f"append pytest-hookrun events as JSON lines to this file (env {ENV})")


def pytest_configure(config: pytest.Config) -> None:
    env = os.environ.get(ENV, "")
    if env:
        path = Path(config.invocation_params.dir) / env
    else:
        ini = str(config.getini(INI) or "")
        if not ini:
            return
        path = Path(config.rootpath) / ini
    config.stash[_writer_key] = JsonLinesWriter(path)


def _writer(config: pytest.Config) -> JsonLinesWriter | None:
    return config.stash.get(_writer_key, None)


def pytest_hookrun_plan(plan: Plan, config: pytest.Config) -> None:
    writer = _writer(config)
    if writer is None:
        return
    ids = {h.key: h.hook_id for h in plan.hooks}
    writer.write(
        "plan",
        hooks=[h.hook_id for h in plan.hooks],
        keys=[h.key for h in plan.hooks],
        edges=len(plan.edges),
        edges_by_reason=dict(sorted(Counter(str(e.reason) for e in plan.edges).items())),
        critical_path=[ids[key] for key in plan.critical_path],
    )


def pytest_hookrun_hook_start(key: str, hook: Hook, files: int, config: pytest.Config) -> None:
    writer = _writer(config)
    if writer is not None:
        writer.write("hook_start", key=key, hook=hook.id, files=files)


def pytest_hookrun_hook_finish(
    key: str, hook: Hook, outcome: HookOutcome, config: pytest.Config
) -> None:
    writer = _writer(config)
    if writer is None:
        return
    writer.write(
        "hook_finish",
        key=key,
        hook=hook.id,
        status=outcome.status.value,
        duration=round(outcome.duration, 6),
        exit_code=exit_code(outcome),
        modified=list(outcome.modified),
        files=outcome.files,
        reason=outcome.reason,
    )


def exit_code(outcome: HookOutcome) -> int | None:
    """The first non-zero exit code of the hook's batches; 0 when all exited 0.

    None when no process ran, or when one was killed (timeout, end of the session)
    and none exited non-zero: a killed process has no exit code of its own.
    """
    codes = [b.returncode for b in outcome.batches]
    for code in codes:
        if code:
            return code
    return 0 if codes and None not in codes else None


def pytest_hookrun_progress(done: int, total: int, config: pytest.Config) -> None:
    writer = _writer(config)
    if writer is not None:
        writer.write("progress", done=done, total=total)


def pytest_hookrun_install_start(install: Install, config: pytest.Config) -> None:
    writer = _writer(config)
    if writer is not None:
        writer.write("install_start", repo=install.repo, rev=install.rev, language=install.language)


def pytest_hookrun_install_finish(
    install: Install, duration: float, error: str | None, config: pytest.Config
) -> None:
    writer = _writer(config)
    if writer is not None:
        writer.write(
            "install_finish",
            repo=install.repo,
            rev=install.rev,
            language=install.language,
            duration=round(duration, 6),
            error=error,
        )
