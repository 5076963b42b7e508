"""pytest-hookrun results as a Prometheus textfile-collector file, written at the end of a run.

A plain pytest plugin. Load it with ``pytest --hooks -p examples.events_prometheus`` (the
project root on ``sys.path``) or ``pytest_plugins = ["examples.events_prometheus"]`` in
the root ``conftest.py``, and choose the file with the environment variable
``HOOKRUN_PROMETHEUS_FILE=path`` (relative to the current directory) or the ini option
``hookrun_prometheus_file = path`` (relative to the rootdir); the variable wins. Point it
into node_exporter's ``--collector.textfile.directory``; the name must end in ``.prom``.

The file is written once, when the session ends, and only by a run in which hooks ran
(under pytest-xdist: by the worker that ran them). It is written to a temporary file in
the same directory (a name node_exporter ignores) and renamed over the old one, so the
collector never reads half a file. Metrics, in the text exposition format:

- ``hookrun_hook_duration_seconds{hook,status}``: each hook's own run time (0 for a hook
  that never started);
- ``hookrun_hook_outcome{hook,status}``: 1, for each hook, with its status (passed,
  failed, modified, timeout, skipped, error);
- ``hookrun_hooks{status}``: how many hooks had each status (every status, 0 included);
- ``hookrun_hooks_selected``, ``hookrun_run_hook_seconds`` (sum of the hooks' own times),
  ``hookrun_run_wall_seconds`` (first hook start to last hook end),
  ``hookrun_run_success`` (1 when every hook passed or was skipped) and
  ``hookrun_run_timestamp_seconds`` (when the file was written, for staleness alerts).

The ``hook`` label is the hook's item name: its id, with ``[2]``, ``[3]``... for a
repeated id, so that no two series are the same.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pytest_hookrun.config import Hook
    from pytest_hookrun.outcome import HookOutcome
    from pytest_hookrun.plan import Plan

__all__ = [
    "pytest_addoption",
    "pytest_configure",
    "pytest_hookrun_hook_finish",
    "pytest_hookrun_plan",
    "pytest_sessionfinish",
]

ENV = "HOOKRUN_PROMETHEUS_FILE"
INI = "hookrun_prometheus_file"
STATUSES = ("passed", "failed", "modified", "timeout", "skipped", "error")
SUCCESS = ("passed", "skipped")


class Collector:
    """The outcomes of one run (fed from the event thread), rendered at its end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.keys: list[str] = []
        self.outcomes: dict[str, HookOutcome] = {}
        self._lock = threading.Lock()

    def plan(self, keys: Iterable[str]) -> None:
        with self._lock:
            self.keys = list(keys)
            self.outcomes = {}

    def finish(self, key: str, outcome: HookOutcome) -> None:
        with self._lock:
            self.outcomes[key] = outcome

    def render(self, now: float) -> str:
        with self._lock:
            rows = [(key, self.outcomes.get(key)) for key in self.keys]
        hooks = [
            (_hook_name(key), o.status.value if o else "skipped", o.duration if o else 0.0)
            for key, o in rows
        ]
        runs = [o for _, o in rows if o is not None and o.started is not None]
        start = min((o.started for o in runs if o.started is not None), default=0.0)
        end = max((o.finished or o.started or 0.0 for o in runs), default=0.0)
        counts = {status: sum(1 for _, s, _ in hooks if s == status) for status in STATUSES}
        lines: list[str] = []

        def metric(
            name: str, help_text: str, samples: Iterable[tuple[dict[str, str], float]]
        ) -> None:
            lines.append(f"# HELP {name} {_escape_help(help_text)}")
            lines.append(f"# TYPE {name} gauge")
            for labels, value in samples:
                text = ",".join(f'{k}="{_escape_label(v)}"' for k, v in labels.items())
                lines.append(
                    f"{name}{{{text}}} {_number(value)}" if text else f"{name} {_number(value)}"
                )

        metric(
            "hookrun_hook_duration_seconds",
            "Own run time of each hook in the last pytest-hookrun run (0: never started).",
            (({"hook": h, "status": s}, d) for h, s, d in hooks),
        )
        metric(
            "hookrun_hook_outcome",
            "Outcome of each hook in the last pytest-hookrun run: 1 with its status.",
            (({"hook": h, "status": s}, 1) for h, s, _ in hooks),
        )
        metric(
            "hookrun_hooks",
            "Hooks of the last pytest-hookrun run by status.",
            (({"status": s}, counts[s]) for s in STATUSES),
        )
        metric("hookrun_hooks_selected", "Hooks selected for the last run.", [({}, len(hooks))])
        metric(
            "hookrun_run_hook_seconds",
            "Sum of the hooks' own run times in the last run.",
            [({}, sum(d for _, _, d in hooks))],
        )
        metric(
            "hookrun_run_wall_seconds",
            "Wall time of the last run, from the first hook start to the last hook end.",
            [({}, max(0.0, end - start))],
        )
        metric(
            "hookrun_run_success",
            "1 when every hook of the last run passed or was skipped, else 0.",
            [({}, int(all(s in SUCCESS for _, s, _ in hooks)))],
        )
        metric(
            "hookrun_run_timestamp_seconds",
            "When the last pytest-hookrun run ended (Unix time).",
            [({}, now)],
        )
        return "\n".join(lines) + "\n"


def _hook_name(key: str) -> str:
    return key.split("::", 1)[1] if "::" in key else key


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(round(float(value), 6))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in its directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # a dot name without .prom: node_exporter reads only *.prom files
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the collector may run as another user
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


_collector_key = pytest.StashKey[Collector]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(INI, f"write pytest-hookrun results to this .prom file (env {ENV})")


def pytest_configure(config: pytest.Config) -> None:
    env = os.environ.get(ENV, "")
    if env:
        path = Path(config.invocation_params.dir) / env
    else:
        ini = str(config.getini(INI) or "")
        if not ini:
            return
        path = Path(config.rootpath) / ini
    if path.suffix != ".prom":
        raise pytest.UsageError(
            f"{path}: the Prometheus textfile collector reads only files ending in .prom"
        )
    config.stash[_collector_key] = Collector(path)


def pytest_hookrun_plan(plan: Plan, config: pytest.Config) -> None:
    collector = config.stash.get(_collector_key, None)
    if collector is not None:
        collector.plan(plan.keys)


def pytest_hookrun_hook_finish(
    key: str, hook: Hook, outcome: HookOutcome, config: pytest.Config
) -> None:
    collector = config.stash.get(_collector_key, None)
    if collector is not None:
        collector.finish(key, outcome)


@pytest.hookimpl(trylast=True)  # after pytest-hookrun ended the run and its last events
def pytest_sessionfinish(session: pytest.Session) -> None:
    collector = session.config.stash.get(_collector_key, None)
    if collector is None or not collector.keys:
        return  # no hook ran in this process: leave the last run's file as it is
    write_atomically(collector.path, collector.render(time.time()))
