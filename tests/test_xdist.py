"""pytest-xdist: all hooks of one config run in one worker, each once."""

from __future__ import annotations

import json
import os
from xml.etree import ElementTree

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


@pytest.mark.parametrize("workers", [None, "2"])
def test_a_failure_is_shown_once_and_summed_up_in_one_line_on_ci(
    repo: Repo, pytester: pytest.Pytester, workers: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On CI (``CI`` set) pytest prints a failure's crash message whole in the short
    summary: that message is the hook's first line, not its output again; the JUnit
    failure keeps the whole text, with the first line as its message."""
    monkeypatch.setenv("CI", "true")
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook("bad", "sh -c 'for w in first second; do echo $w-out; done; exit 3' --")
        + hook("gone", "/no/such/tool")
    )
    repo.commit()
    xml = repo.path / "out.xml"
    args = ["--hooks", "-p", "no:cacheprovider", f"--junitxml={xml}"]
    result = pytester.runpytest_subprocess(*args, *(["-n", workers] if workers else []))
    result.assert_outcomes(failed=1, errors=1)
    out = result.stdout.str()
    assert out.count("second-out") == 1, out
    summary = out.split("short test summary info", 1)[1].splitlines()
    assert summary[1:3] == [
        "FAILED .pre-commit-config.yaml::bad - hook 'bad' (bad): FAILED",
        "ERROR .pre-commit-config.yaml::gone - cannot start: hook 'gone': "
        "executable not found: '/no/such/tool' (from hook entry)",
    ], out
    failure = ElementTree.parse(xml).find(".//testcase[@name='bad']/failure")
    assert failure is not None
    assert failure.get("message") == "hook 'bad' (bad): FAILED"
    assert failure.text is not None and "exit code: 3" in failure.text
    assert "first-out\nsecond-out" in failure.text
    # --tb=line: the editor-friendly place of the hook in its config
    line = pytester.runpytest_subprocess("--hooks", "-p", "no:cacheprovider", "--tb=line")
    assert f"{repo.path / '.pre-commit-config.yaml'}:4: hook 'bad' (bad): FAILED" in line.outlines
