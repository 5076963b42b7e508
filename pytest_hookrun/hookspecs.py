"""Events for other plugins (pluggy hook specifications).

Implement any of these in a ``conftest.py`` or a plugin. An implementation that
raises is reported as a ``HookrunEventWarning`` and never breaks the run.
Hooks marked *event thread* are called, in order, from one thread of
pytest-hookrun's own while the main thread runs pytest: they never hold up the
scheduler, but keep them thread-safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import pytest

    from .config import Hook
    from .environments import Install
    from .outcome import HookOutcome
    from .plan import Plan

hookspec = pluggy.HookspecMarker("pytest")


@hookspec
def pytest_hookrun_plan(plan: Plan, config: pytest.Config) -> None:
    """The plan is ready, before the first hook starts (main thread, once per run).

    ``plan.hooks``, ``plan.edges`` (each with its reason), ``plan.critical_path``,
    ``plan.total_work`` and ``plan.predicted_speedup(jobs)`` describe it.
    """


@hookspec
def pytest_hookrun_hook_start(key: str, hook: Hook, files: int, config: pytest.Config) -> None:
    """Hook ``key`` (its node id) starts its first batch on ``files`` files (event thread)."""


@hookspec
def pytest_hookrun_hook_finish(
    key: str, hook: Hook, outcome: HookOutcome, config: pytest.Config
) -> None:
    """Hook ``key`` has its outcome: status, duration, batches, modified files (event thread).

    Also called for hooks that never started (skipped, error), with their reason.
    """


@hookspec
def pytest_hookrun_progress(done: int, total: int, config: pytest.Config) -> None:
    """``done`` of ``total`` selected hooks have an outcome (event thread)."""


@hookspec
def pytest_hookrun_install_start(install: Install, config: pytest.Config) -> None:
    """A clone (``install.language == "git"``) or an environment install starts.

    Called from an installer thread, before the first hook starts, only when
    something is really built: a run on a filled store calls it never.
    ``install.repo``, ``install.rev`` and ``install.describe()`` say what.
    """


@hookspec
def pytest_hookrun_install_finish(
    install: Install, duration: float, error: str | None, config: pytest.Config
) -> None:
    """The clone or install of ``install`` ended after ``duration`` seconds (installer thread).

    ``error`` is None on success, else the message its hooks report.
    """
