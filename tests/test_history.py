"""Duration history, --hooks-order and timeout: auto, on real runs and in the pure parts."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_hookrun.config import Hook
from pytest_hookrun.history import KEEP, History, p95
from pytest_hookrun.jobs import hook_timeout
from pytest_hookrun.settings import Settings

from .conftest import Repo
from .test_plugin import LOCAL, hook, outcomes

HOOK = Hook(id="h", name="h", entry="tool", language="unsupported", repo="local", rev=None,
            line=1, position=0)  # fmt: skip


def settings(**kw: object) -> Settings:
    base = dict(
        enabled=True, config_path=__import__("pathlib").Path("c.yaml"), jobs=2, timeout=600.0,
        kill_grace=1.0, serial=False, fail_fast=False, stage="pre-commit", files=None,
        from_ref=None, to_ref=None, plan_format=None,
    )  # fmt: skip
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


@given(st.lists(st.floats(min_value=0, max_value=1e4), min_size=1, max_size=100))
def test_p95_is_a_run_at_least_95_percent_of_runs_reach_not(runs: list[float]) -> None:
    value = p95(runs)
    assert value in runs
    assert sum(r <= value for r in runs) >= 0.95 * len(runs)
    assert sum(r < value for r in runs) < 0.95 * len(runs)


def test_history_keeps_the_last_runs_and_forgets_a_changed_definition() -> None:
    history = History()
    for n in range(KEEP + 5):
        history.record("k", HOOK, float(n))
    assert history.runs("k", HOOK) == [float(n) for n in range(5, KEEP + 5)]
    changed = Hook(**{**HOOK.__dict__, "args": ("--new",)})
    assert history.runs("k", changed) == []
    history.record("k", changed, 1.0)
    assert history.runs("k", changed) == [1.0]
    assert History.from_json(json.loads(json.dumps(history.to_json()))).runs("k", changed) == [1.0]
    assert History.from_json({"k": {"def": "x", "runs": ["bad"]}}).entries == {}


@pytest.mark.parametrize(
    ("runs", "kw", "expected"),
    [
        ([], {"timeout_auto": True}, 600.0),  # no history yet: the fixed default
        ([1.0, 2.0, 3.0], {"timeout_auto": True}, 10.0),  # 3 x 3 s = 9 s, raised to the floor
        ([10.0, 20.0], {"timeout_auto": True}, 60.0),  # 3 x p95 (20 s)
        ([500.0], {"timeout_auto": True}, 600.0),  # capped at the ceiling
        ([10.0, 20.0], {"timeout_auto": True, "timeout_factor": 2.0, "timeout_floor": 1.0}, 40.0),
        ([10.0, 20.0], {}, 600.0),  # not auto: history is not used
    ],
)
def test_auto_timeout(runs: list[float], kw: dict[str, object], expected: float) -> None:
    assert hook_timeout(settings(**kw), HOOK, runs) == expected


def test_hook_key_auto_beats_a_fixed_default_and_a_fixed_key_beats_auto() -> None:
    auto_hook = Hook(**{**HOOK.__dict__, "timeout_auto": True})
    assert hook_timeout(settings(), auto_hook, [20.0]) == 60.0
    fixed = Hook(**{**HOOK.__dict__, "timeout": 5.0})
    assert hook_timeout(settings(timeout_auto=True), fixed, [20.0]) == 5.0


def _order_repo(repo: Repo) -> None:
    log = repo.outside("order.log")
    repo.script(
        "rec.py",
        f"""
        import sys, time
        with open({str(log)!r}, "a") as f:
            f.write(sys.argv[1] + "\\n")
        time.sleep(float(sys.argv[2]))
        """,
    )
    repo.config(
        LOCAL
        + hook("slow", "./rec.py slow 0.6", language="script", pass_filenames=False, read_only=True)
        + hook(
            "fast", "./rec.py fast 0.05", language="script", pass_filenames=False, read_only=True
        )
        + hook(
            "medium", "./rec.py medium 0.3", language="script", pass_filenames=False, read_only=True
        )
    )
    repo.commit()


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("critical-path", ["slow", "medium", "fast"]),
        ("fast-first", ["fast", "medium", "slow"]),
        ("config", ["slow", "fast", "medium"]),
    ],
)
def test_hooks_order_uses_history(
    repo: Repo, pytester: pytest.Pytester, order: str, expected: list[str]
) -> None:
    """With one job token the start order is the order: learned from the first run."""
    _order_repo(repo)
    log = repo.outside("order.log")
    args = ("--hooks", "-v", "--hooks-jobs", "1", "--hooks-no-cache")
    assert outcomes(pytester.runpytest(*args, "--hooks-order", "config")) == dict.fromkeys(
        ["slow", "fast", "medium"], "PASSED"
    )
    log.unlink()
    result = pytester.runpytest(*args, "--hooks-order", order)
    assert result.ret == 0
    assert log.read_text().split() == expected


def test_bad_order_is_a_usage_error(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.config(LOCAL + hook("h", "true"))
    repo.commit()
    result = pytester.runpytest("--hooks", "--hooks-order", "random")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--hooks-order: invalid value 'random'" in result.stderr.str()


def test_timeout_auto_learns_from_the_first_run(repo: Repo, pytester: pytest.Pytester) -> None:
    """First run: the fixed default. Then 3 x p95 of ~0.3 s, with a floor of 0.5 s: a
    hook that suddenly takes 5 s is killed as a TIMEOUT."""
    slow = repo.outside("slow-now")
    repo.script(
        "work.py",
        f"""
        import os, time
        time.sleep(5 if os.path.exists({str(slow)!r}) else 0.3)
        """,
    )
    repo.config(LOCAL + hook("work", "./work.py", language="script", pass_filenames=False))
    repo.write("pytest.ini", "[pytest]\nhookrun_timeout_floor = 0.5\n")
    repo.commit()
    args = ("--hooks", "-v", "--hooks-timeout", "auto", "--hooks-no-cache")
    assert outcomes(pytester.runpytest(*args)) == {"work": "PASSED"}
    slow.write_text("")
    result = pytester.runpytest(*args, "--hooks-kill-grace", "0.2")
    assert outcomes(result) == {"work": "TIMEOUT"}
    out = result.stdout.str()
    limit = float(out.split("timed out after ")[1].split(" s")[0])
    assert 0.5 <= limit < 3.0
