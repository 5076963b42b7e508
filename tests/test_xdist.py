"""pytest-xdist: all hooks of one config run in one worker, each once."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import Repo
from .test_plugin import LOCAL, hook


def _record(repo: Repo) -> None:
    log = repo.path / "runs.jsonl"
    repo.write(".gitignore", "runs.jsonl\n")
    repo.script(
        "rec.py",
        f"""
        import json, os, sys
        with open({str(log)!r}, "a") as f:
            f.write(json.dumps([sys.argv[1], os.getppid()]) + "\\n")
        """,
    )


@pytest.mark.parametrize("dist", ["load", "loadscope", "loadfile", "worksteal"])
def test_hooks_run_once_in_one_worker(repo: Repo, pytester: pytest.Pytester, dist: str) -> None:
    _record(repo)
    repo.write("a.txt", "a\n")
    ids = [f"h{i}" for i in range(6)]
    repo.config(
        LOCAL
        + "".join(hook(i, f"./rec.py {i}", language="script", pass_filenames=False) for i in ids)
    )
    for n in range(6):
        repo.write(f"test_{n}.py", f"def test_{n}():\n    pass\n")
    repo.commit()
    result = pytester.runpytest_subprocess(
        "--hooks", "-n", "2", "--dist", dist, "-p", "no:cacheprovider", "-v"
    )
    result.assert_outcomes(passed=12)
    runs = [json.loads(line) for line in (repo.path / "runs.jsonl").read_text().splitlines()]
    assert sorted(r[0] for r in runs) == ids, (runs, result.outlines)  # each hook once
    assert len({r[1] for r in runs}) == 1  # all in one worker process
    assert runs[0][1] != os.getpid()


def test_dist_each_is_refused(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.config(LOCAL + hook("h", "true"))
    repo.commit()
    result = pytester.runpytest_subprocess("--hooks", "-n", "2", "--dist", "each")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--dist each" in result.stderr.str()


def test_loadgroup_keeps_hooks_together_or_refuses(repo: Repo, pytester: pytest.Pytester) -> None:
    """loadgroup runs the hooks in one worker; where xdist cannot group them, nothing runs."""
    _record(repo)
    repo.config(
        LOCAL
        + "".join(
            hook(i, f"./rec.py {i}", language="script", pass_filenames=False)
            for i in ("a", "b", "c")
        )
    )
    for n in range(4):
        repo.write(f"test_{n}.py", f"def test_{n}():\n    pass\n")
    repo.commit()
    result = pytester.runpytest_subprocess(
        "--hooks", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider"
    )
    log = repo.path / "runs.jsonl"
    if result.ret == pytest.ExitCode.OK:
        runs = [json.loads(line) for line in log.read_text().splitlines()]
        assert sorted(r[0] for r in runs) == ["a", "b", "c"]
        assert len({r[1] for r in runs}) == 1
    else:
        # pytest-xdist 3.8's loadgroup fails on pytest 9.2 node ids (an INTERNALERROR of its
        # own, or our refusal): either way no hook ran, in no worker
        assert not log.exists()


@pytest.mark.parametrize("workers", [None, "2"])
def test_hookrun_summary_and_verbose_output_reach_the_terminal(
    repo: Repo, pytester: pytest.Pytester, workers: str | None
) -> None:
    """Under xdist the worker that ran the hooks sends its summary to the controller."""
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook("loud", "echo loud-output", pass_filenames=False, verbose=True)
        + hook("quiet", "true")
    )
    repo.write("test_unit.py", "def test_unit():\n    pass\n")
    repo.commit()
    args = ["--hooks", "-p", "no:cacheprovider"] + (["-n", workers] if workers else [])
    result = pytester.runpytest_subprocess(*args)
    result.assert_outcomes(passed=3)
    out = result.stdout.str()
    assert out.count("= hookrun =") == 1
    assert "hooks run: 2 of 2;" in out
    assert out.count("loud (verbose) output") == 1 and "loud-output" in out
