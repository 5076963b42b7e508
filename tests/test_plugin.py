"""The plugin as users run it: `pytest --hooks` in a real git repository."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pytest_hookrun.plugin import RUN_GC_THRESHOLD

from .conftest import Repo

LOCAL = """\
repos:
- repo: local
  hooks:
"""


def hook(id: str, entry: str, language: str = "system", **extra: object) -> str:
    lines = [f"  - id: {id}", f"    name: {id}", f"    entry: {json.dumps(entry)}"]
    lines.append(f"    language: {language}")
    for key, value in extra.items():
        lines.append(f"    {key}: {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """Hook name -> the word pytest printed for it under -v."""
    found = {}
    for line in result.outlines:
        if ".pre-commit-config.yaml::" in line:
            parts = line.split()
            if len(parts) >= 2 and parts[1] in (
                "PASSED",
                "FAILED",
                "MODIFIED",
                "TIMEOUT",
                "SKIPPED",
                "ERROR",
            ):
                found[parts[0].split("::", 1)[1]] = parts[1]
    return found


def pid_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_for(predicate: object, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


# --------------------------------------------------------------------------- inert


def test_without_hooks_option_nothing_is_read_or_run(repo: Repo) -> None:
    repo.config("this: is: not: valid: yaml: [")
    repo.write("test_a.py", "def test_a():\n    pass\n")
    marker = repo.path / "git-was-called"
    repo.write("bin/git", f'#!/bin/sh\necho "$@" >> {marker}\nexit 1\n', mode=0o755)
    env = {
        **os.environ,
        "PATH": f"{repo.path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        # only this plugin: others (pytest-benchmark) call git themselves at start-up
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-v",
            "-p",
            "pytest_hookrun.plugin",
            "-p",
            "no:cacheprovider",
        ],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout
    assert "1 passed" in run.stdout
    assert not marker.exists(), marker.read_text()
    assert "pre-commit-config" not in run.stdout
    # the markers are registered even so (strict markers must not fail)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--markers", "-p", "pytest_hookrun.plugin"],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "hook_priority(n)" in run.stdout


def test_plugin_module_imports_nothing_heavy() -> None:
    code = (
        "import sys, pytest_hookrun.plugin;"
        "heavy = [m for m in ('yaml', 'identify', 'pytest_hookrun.config', 'pytest_hookrun.plan',"
        " 'pytest_hookrun.scheduler', 'subprocess') if m in sys.modules and m != 'subprocess'];"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# A conftest that reports, at the very end of the process, whether the garbage left at
# exit was finalized and whether the live objects were frozen (gc.freeze)
EXIT_CONFTEST = """
import atexit, gc, sys

class Cycle:
    def __init__(self):
        self.me = self

    def __del__(self):
        sys.stdout.write("cyclic garbage finalized\\n")

def pytest_sessionfinish(session):
    gc.disable()  # no collection before the exit's: only that one can finalize it
    Cycle()

@atexit.register  # registered before the plugin's, so it runs after it
def report():
    sys.stdout.write(f"frozen at exit: {gc.get_freeze_count() > 0}\\n")
    sys.stdout.flush()
"""


def test_the_exit_collects_the_garbage_then_freezes_the_rest(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    """The interpreter's teardown would traverse every live object in several full
    collections; a run with --hooks collects once and freezes the rest at exit."""
    repo.config(LOCAL + hook("ok", "true"))
    repo.write("conftest.py", EXIT_CONFTEST)
    # (these two plugins collect the garbage themselves at exit, as the lean start has not)
    quiet = ("-p", "no:unraisableexception", "-p", "no:threadexception")
    result = pytester.runpytest_subprocess("--hooks", "-p", "no:randomly", *quiet)
    assert result.ret == 0, result.stdout.str()
    assert "cyclic garbage finalized" in result.outlines
    assert "frozen at exit: True" in result.outlines
    # a test run that does not ask for hooks exits as pytest does
    repo.write("test_x.py", "def test_x():\n    pass\n")
    result = pytester.runpytest_subprocess("test_x.py", "-p", "no:randomly")
    assert result.ret == 0, result.stdout.str()
    assert "frozen at exit: False" in result.outlines


# A conftest that writes the collector's youngest threshold, and whether any object is
# frozen (gc.freeze), while each item runs and after the run, one line each, to the file
# named by THRESHOLDS
THRESHOLD_CONFTEST = """
import gc, os

def _note(what):
    with open(os.environ["THRESHOLDS"], "a") as out:
        out.write(f"{what} {gc.get_threshold()[0]} {gc.get_freeze_count() > 0}\\n")

def pytest_runtest_call(item):
    _note(item.name)

def pytest_unconfigure(config):
    _note("after")
"""


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one-process", "xdist"])
def test_the_garbage_collector_runs_rarely_while_only_hooks_run(
    repo: Repo,
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workers: tuple[str, ...],
) -> None:
    """Every 700 allocations Python walks the young objects (and now and then pytest's
    whole heap) under the lock that in-process hooks share; a hook run raises the
    threshold and puts Python's back after it, and a run with tests keeps Python's.
    The process's first session freezes the start-up's heap for the run and the exit."""
    repo.config(LOCAL + hook("ok", "true"))
    repo.write("conftest.py", THRESHOLD_CONFTEST)
    repo.commit()
    default = gc.get_threshold()[0]
    notes = tmp_path / "thresholds.txt"
    monkeypatch.setenv("THRESHOLDS", str(notes))
    result = pytester.runpytest_subprocess("--hooks", "-p", "no:randomly", *workers)
    assert result.ret == 0, result.stdout.str()
    # (under xdist each worker and the controller, which runs no hook, write "after")
    expected = {f"ok {RUN_GC_THRESHOLD} True", f"after {default} True"}
    if workers:
        expected.add(f"after {default} False")
    assert set(notes.read_text().splitlines()) == expected
    # hooks beside tests: the tests run with Python's collector as it was
    notes.unlink()
    repo.write("test_x.py", "def test_x():\n    pass\n")
    result = pytester.runpytest_subprocess("--hooks", "test_x.py", "-p", "no:randomly", *workers)
    assert result.ret == 0, result.stdout.str()
    lines = set(notes.read_text().splitlines())
    assert lines == {f"ok {default} False", f"test_x {default} False", f"after {default} False"}
    if workers:
        return
    # a session inside another (pytester's in-process run) freezes nothing
    notes.unlink()
    (repo.path / "test_x.py").unlink()
    result = pytester.runpytest_inprocess("--hooks", "-p", "no:randomly")
    assert result.ret == 0, result.stdout.str()
    lines = set(notes.read_text().splitlines())
    assert lines == {f"ok {RUN_GC_THRESHOLD} False", f"after {default} False"}
    assert gc.get_freeze_count() == 0


# --------------------------------------------------------------------------- collection


def test_collects_one_item_per_hook_with_markers_and_location(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    repo.config(
        LOCAL
        + hook("first", "true", priority=2)
        + hook("second", "true", depends_on=["first"])
        + hook("first", "true", stages=["pre-commit"])
        + hook("manual-one", "true", stages=["manual"])
    )
    repo.commit()
    items, _ = pytester.inline_genitems("--hooks")
    assert [i.nodeid for i in items] == [
        ".pre-commit-config.yaml::first",
        ".pre-commit-config.yaml::second",
        ".pre-commit-config.yaml::first#2",
    ]
    first, second, _ = items
    assert first.get_closest_marker("hook") is not None
    assert first.get_closest_marker("hook_priority").args == (2,)
    assert second.get_closest_marker("hook_depends_on").args == ("first",)
    text = repo.read(".pre-commit-config.yaml").splitlines()
    path, line, name = first.reportinfo()
    assert Path(path).name == ".pre-commit-config.yaml"
    assert text[line].strip() == "- id: first"
    assert name == "first"
    assert first.location == (".pre-commit-config.yaml", line, "first")


def test_stage_option_selects_hooks_of_that_stage(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.config(
        LOCAL
        + hook("every-stage", "true")
        + hook("commit-only", "true", stages=["pre-commit"])
        + hook("manual-one", "true", stages=["manual"])
        + hook("push", "true", stages=["push"])  # legacy name of pre-push
    )
    repo.commit()
    items, _ = pytester.inline_genitems("--hooks", "--hooks-stage", "manual")
    assert [i.name for i in items] == ["every-stage", "manual-one"]
    items, _ = pytester.inline_genitems("--hooks", "--hooks-stage", "pre-push")
    assert [i.name for i in items] == ["every-stage", "push"]


def test_config_collected_even_when_testpaths_do_not_reach_it(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    repo.config(LOCAL + hook("h", "true"))
    repo.write("tests/test_x.py", "def test_x():\n    pass\n")
    repo.write("pytest.ini", "[pytest]\ntestpaths = tests\n")
    repo.commit()
    result = pytester.runpytest("--hooks", "--collect-only", "-q")
    assert ".pre-commit-config.yaml::h" in result.outlines
    assert "tests/test_x.py::test_x" in result.outlines
    result = pytester.runpytest("--hooks", "-m", "hook", "-v")
    assert outcomes(result) == {"h": "PASSED"}
    result.assert_outcomes(passed=1, deselected=1)
    # the config as the only path: hooks only
    result = pytester.runpytest("--hooks", ".pre-commit-config.yaml", "--collect-only", "-q")
    assert "tests/test_x.py::test_x" not in result.outlines


def test_hooks_config_option_and_ini(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("ci/hooks.yaml", LOCAL + hook("other", "true"))
    repo.commit()
    result = pytester.runpytest("--hooks", "--hooks-config", "ci/hooks.yaml", "-v")
    assert outcomes(result) == {} and "ci/hooks.yaml::other PASSED" in result.stdout.str()
    repo.write("pytest.ini", "[pytest]\nhookrun_config = ci/hooks.yaml\n")
    result = pytester.runpytest("--hooks", "-v")
    assert "ci/hooks.yaml::other PASSED" in result.stdout.str()


def test_missing_config_is_a_usage_error(repo: Repo, pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--hooks")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "hook config not found" in result.stderr.str()
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


# --------------------------------------------------------------------------- outcomes


def test_outcomes_of_each_kind(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.script(
        "fixer.py",
        """
        import sys
        for name in sys.argv[1:]:
            text = open(name).read()
            open(name, "w").write(text.replace("bad", "good"))
        """,
    )
    repo.write("a.txt", "bad\n")
    repo.write("b.py", "x = 1\n")
    repo.config(
        LOCAL
        + hook("passes", "true")
        + hook("fails", "sh -c 'echo some output; exit 3' --")
        + hook("fixes", "./fixer.py", language="script", files=r"\.txt$")
        + hook("no-files", "true", files=r"\.rs$")
        + hook("missing", "no-such-executable-anywhere")
        + hook("always", "false", language="fail", files=r"\.py$")
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "-rA")
    assert outcomes(result) == {
        "passes": "PASSED",
        "fails": "FAILED",
        "fixes": "MODIFIED",
        "no-files": "SKIPPED",
        "missing": "ERROR",
        "always": "FAILED",
    }
    assert repo.read("a.txt") == "good\n"
    out = result.stdout.str()
    assert "exit code: 3" in out and "some output" in out
    assert "files were modified by this hook (1):" in out and "+good" in out
    assert "no files to check" in out
    assert "executable not found: 'no-such-executable-anywhere'" in out
    assert "Traceback" not in out and 'File "' not in out
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    # the final line counts modified hooks apart; the failure text is under FAILURES
    assert result.parseoutcomes() == {
        "failed": 2,
        "modified": 1,
        "passed": 1,
        "skipped": 1,
        "errors": 1,
    }
    failures = out.split("= FAILURES =")[1].split("short test summary info")[0]
    assert "_ fixes _" in failures and "+good" in failures
    assert "MODIFIED .pre-commit-config.yaml::fixes" in out  # the short summary (-rA)


def test_skip_env_and_unsupported_language_and_missing_remote(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("a.py", "x = 1\n")
    missing = (pytester.path.parent / "no-such-hook-repo").as_uri()
    repo.config(
        LOCAL
        + hook("skipped-by-env", "false")
        + hook("go", "go run ./tool", language="golang")
        + hook("ok", "true")
        + f"- repo: {missing}\n  rev: v1.0.0\n  hooks:\n  - id: remote\n"
    )
    repo.commit()
    monkeypatch.setenv("SKIP", "skipped-by-env")
    result = pytester.runpytest("--hooks", "-v", "-rs")
    assert outcomes(result) == {
        "skipped-by-env": "SKIPPED",
        "go": "SKIPPED",
        "ok": "PASSED",
        "remote": "ERROR",
    }
    out = result.stdout.str()
    assert "SKIP environment variable" in out
    assert "language 'golang' is not supported by pytest-hookrun" in out
    # the clone failure names the repo, the rev and the git command that failed
    assert f"cannot clone {missing} at v1.0.0" in out
    assert "`git fetch" in out
    assert "Traceback" not in out
    # the skip is reported at the hook's line of the config
    assert ".pre-commit-config.yaml:4: skipped by SKIP" in out


def test_pygrep_flags(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "Hello\nworld\n")
    repo.write("b.txt", "nothing\n")
    repo.config(
        LOCAL
        + hook("case", "hello", language="pygrep", args=["-i"], files=r"a\.txt")
        + hook("case-sensitive", "hello", language="pygrep", files=r"\.txt$")
        + hook("multi", r"Hello\nworld", language="pygrep", args=["--multiline"], files=r"\.txt$")
        + hook("negate", "world", language="pygrep", args=["--negate"], files=r"\.txt$")
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v")
    assert outcomes(result) == {
        "case": "FAILED",
        "case-sensitive": "PASSED",
        "multi": "FAILED",
        "negate": "FAILED",
    }
    out = result.stdout.str()
    assert "a.txt:1:Hello" in out
    assert "b.txt" in out  # --negate lists the file without a match


def test_args_pass_filenames_and_always_run(repo: Repo, pytester: pytest.Pytester) -> None:
    log = repo.path / "log.jsonl"
    repo.script(
        "record.py",
        f"""
        import json, sys
        with open({str(log)!r}, "a") as f:
            f.write(json.dumps(sys.argv[1:]) + "\\n")
        """,
    )
    repo.write("a.py", "x = 1\n")
    repo.write("b.md", "# doc\n")
    repo.write(".gitignore", "log.jsonl\n")
    repo.config(
        LOCAL
        + hook(
            "with-args", "./record.py", language="script", args=["--flag", "v"], types=["python"]
        )
        + hook("no-names", "./record.py nofiles", language="script", pass_filenames=False)
        + hook("always", "./record.py always", language="script", files=r"\.rs$", always_run=True)
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "--hooks-serial", "-v")
    assert set(outcomes(result).values()) == {"PASSED"}
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    # two files are one batch, as for pre-commit (at least 4 files to a batch)
    assert ["--flag", "v", "a.py", "record.py"] in calls
    assert ["nofiles"] in calls
    assert ["always"] in calls


def test_many_files_are_split_into_batches_and_all_passed(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    names = [f"dir/{'n' * 120}_{i:05d}.txt" for i in range(3000)]
    for name in names:
        repo.write(name, "x\n")
    seen = repo.path / "seen.txt"
    repo.write(".gitignore", "seen.txt\n")
    repo.script(
        "count.py",
        f"""
        import sys
        with open({str(seen)!r}, "a") as f:
            f.write("\\n".join(sys.argv[1:]) + "\\n")
        """,
    )
    repo.config(LOCAL + hook("count", "./count.py", language="script", files="^dir/"))
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "2")
    assert outcomes(result) == {"count": "PASSED"}
    got = seen.read_text().split()
    assert sorted(got) == sorted(names)


def test_files_come_in_pre_commits_order_and_serial_hooks_keep_theirs(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    """pre-commit hands a hook that may run in parallel its files in a fixed shuffle
    (its batches then mix directories and file kinds); a ``require_serial`` hook and a
    pygrep hook get them sorted. Each hook here gets exactly pre-commit's order."""
    from pre_commit.lang_base import _shuffled

    names = sorted(
        [f"docs/d{i:02d}.md" for i in range(30)] + [f"src/m{i:02d}.py" for i in range(30)]
    )
    for name in names:
        repo.write(name, "x\n")
    log = repo.outside("argv.log")
    repo.script(
        "rec.py",
        f"""
        import sys
        with open({str(log)!r}, "a") as f:
            f.write(sys.argv[1] + " " + " ".join(sys.argv[2:]) + "\\n")
        """,
    )
    repo.config(
        LOCAL
        + hook("parallel", "./rec.py parallel", language="script", files="^(docs|src)/")
        + hook(
            "serial",
            "./rec.py serial",
            language="script",
            files="^(docs|src)/",
            require_serial=True,
        )
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "2")
    assert outcomes(result) == {"parallel": "PASSED", "serial": "PASSED"}
    calls = [line.split() for line in log.read_text().splitlines()]
    parallel = [call[1:] for call in calls if call[0] == "parallel"]
    serial = [call[1:] for call in calls if call[0] == "serial"]
    expected = _shuffled(names)
    # two batches of 30, as pre-commit's xargs splits the shuffled list
    assert sorted(parallel) == sorted([expected[:30], expected[30:]]), parallel
    assert {n[:4] for n in parallel[0]} == {"docs", "src/"}  # both kinds in each batch
    assert serial == [names], serial


def test_a_job_token_freed_by_a_hook_goes_to_the_hook_it_releases_first(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    """When a hook ends, its token waits for the hook that hook releases if that one
    starts first (longest remaining path, then reference order), rather than go to a
    queued batch of a hook behind it: "s" (after "w1" on f.txt) runs before the second
    batch of "y", while the first batch of "y" waits for "s" on a fifo."""
    log = repo.outside("order.log")
    fifo = repo.outside("fifo")
    os.mkfifo(fifo)
    mark = repo.outside("first")
    repo.script("w1.py", f"open({str(log)!r}, 'a').write('w1\\n')\n")
    repo.script(
        "s.py",
        f"open({str(log)!r}, 'a').write('s\\n')\nopen({str(fifo)!r}, 'w').write('go')\n",
    )
    repo.script(
        "y.py",
        f"""
        import os
        try:
            os.close(os.open({str(mark)!r}, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            first = True
        except FileExistsError:
            first = False
        open({str(log)!r}, "a").write("y-first\\n" if first else "y-second\\n")
        if first:
            open({str(fifo)!r}).read()
        """,
    )
    repo.write("f.txt", "f\n")
    for i in range(8):  # two batches of four
        repo.write(f"y{i}.txt", "y\n")
    repo.config(
        LOCAL
        + hook("w1", "./w1.py", language="script", files=r"^f\.txt$")
        + hook("s", "./s.py", language="script", files=r"^f\.txt$", timeout=60)
        + hook("y", "./y.py", language="script", files=r"^y", timeout=60)
    )
    repo.commit()
    # no history: every hook counts 1 s, so "w1" leads (2 s to the end), then "s", "y"
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "2", "-p", "no:cacheprovider")
    assert outcomes(result) == {"w1": "PASSED", "s": "PASSED", "y": "PASSED"}
    order = log.read_text().split()
    assert sorted(order) == ["s", "w1", "y-first", "y-second"], order
    assert order.index("s") < order.index("y-second"), order


def test_file_selection_options(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "a\n")
    repo.write("b.txt", "b\n")
    seen = repo.path / "seen.txt"
    repo.write(".gitignore", "seen.txt\n")
    repo.script(
        "rec.py",
        f"import sys\nopen({str(seen)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n",
    )
    repo.config(LOCAL + hook("rec", "./rec.py", language="script", files=r"\.txt$"))
    repo.commit("one")
    repo.write("c.txt", "c\n")
    repo.commit("two")
    pytester.runpytest("--hooks", "--hooks-files", "b.txt", "missing.txt")
    assert seen.read_text().split() == ["b.txt"]
    seen.unlink()
    pytester.runpytest("--hooks", "--hooks-from-ref", "HEAD~1", "--hooks-to-ref", "HEAD")
    assert seen.read_text().split() == ["c.txt"]


def test_hooks_are_told_the_refs_as_pre_commit_tells_them(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    """``pre-commit run --from-ref A --to-ref B`` sets PRE_COMMIT_FROM_REF and
    PRE_COMMIT_TO_REF (and the older PRE_COMMIT_ORIGIN and PRE_COMMIT_SOURCE) for its
    hooks: forbid-new-submodules diffs them instead of the index."""
    seen = repo.path / "seen.txt"
    repo.write(".gitignore", "seen.txt\n")
    names = ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "PRE_COMMIT_ORIGIN", "PRE_COMMIT_SOURCE")
    repo.script(
        "env.py",
        f"import os\nopen({str(seen)!r}, 'w').write(repr([os.environ.get(n) for n in {names!r}]))\n",
    )
    repo.config(LOCAL + hook("env", "./env.py", language="script", pass_filenames=False))
    repo.commit("one")
    repo.write("c.txt", "c\n")
    repo.commit("two")
    pytester.runpytest("--hooks", "--hooks-from-ref", "HEAD~1", "--hooks-to-ref", "HEAD")
    assert seen.read_text() == repr(["HEAD~1", "HEAD", "HEAD~1", "HEAD"])
    pytester.runpytest("--hooks")  # a pass with other refs is not this run's
    assert seen.read_text() == repr([None] * 4)


# --------------------------------------------------------------------------- scheduling


def test_failed_dependency_skips_dependents_modified_does_not(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook("broken", "false")
        + hook("needs-broken", "true", depends_on=["broken"])
        + hook("needs-needs", "true", depends_on=["needs-broken"])
        + hook("fixer", "sh -c 'echo fixed >> a.txt' --", pass_filenames=False)
        + hook("needs-fixer", "grep -q fixed", depends_on=["fixer"], files=r"a\.txt")
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "-rs")
    assert outcomes(result) == {
        "broken": "FAILED",
        "needs-broken": "SKIPPED",
        "needs-needs": "SKIPPED",
        "fixer": "MODIFIED",
        "needs-fixer": "PASSED",
    }
    assert "dependency 'broken' did not pass" in result.stdout.str()


def test_conftest_markers_change_the_plan(repo: Repo, pytester: pytest.Pytester) -> None:
    log = repo.path / "order.log"
    repo.write(".gitignore", "order.log\n")
    for name in ("slow", "fast"):
        repo.script(
            f"{name}.py",
            f"""
            import time
            open({str(log)!r}, "a").write("start {name}\\n")
            time.sleep({0.5 if name == "slow" else 0})
            open({str(log)!r}, "a").write("end {name}\\n")
            """,
        )
    repo.config(
        LOCAL
        + hook("slow", "./slow.py", language="script", read_only=True, pass_filenames=False)
        + hook("fast", "./fast.py", language="script", read_only=True, pass_filenames=False)
    )
    repo.write(
        "conftest.py",
        "import pytest\n"
        "def pytest_collection_modifyitems(items):\n"
        "    for item in items:\n"
        "        if item.name == 'fast':\n"
        "            item.add_marker(pytest.mark.hook_depends_on('slow'))\n",
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "--hooks-jobs", "2", "-v")
    assert outcomes(result) == {"slow": "PASSED", "fast": "PASSED"}
    assert log.read_text().splitlines() == ["start slow", "end slow", "start fast", "end fast"]


def test_fail_fast_starts_no_new_hook(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "a\n")
    repo.config(
        "fail_fast: true\n"
        + LOCAL
        + hook("first", "false")
        + hook("second", "true")
        + hook("third", "true")
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "-rs", "--hooks-jobs", "1")
    assert outcomes(result) == {"first": "FAILED", "second": "SKIPPED", "third": "SKIPPED"}
    assert "fail_fast" in result.stdout.str()


def test_hooks_plan_prints_and_runs_nothing(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook("writer", "touch ran-writer")
        + hook("reader", "touch ran-reader", read_only=True, depends_on=["writer"])
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "--hooks-plan")
    assert result.ret == pytest.ExitCode.OK
    assert "writer" in result.stdout.str() and "depends_on" in result.stdout.str()
    result = pytester.runpytest("--hooks", "--hooks-plan=json")
    start = result.stdout.str().index("{")
    data = json.JSONDecoder().raw_decode(result.stdout.str()[start:])[0]
    assert any(e["reason"] == "depends_on" for e in data["edges"])
    result = pytester.runpytest("--hooks", "--hooks-plan=mermaid")
    assert "graph TD" in result.stdout.str()
    assert not (repo.path / "ran-writer").exists()
    assert not (repo.path / "ran-reader").exists()


def test_report_duration_is_the_hooks_own_time(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.config(
        LOCAL
        + hook("slow", "sleep 1", pass_filenames=False, always_run=True, read_only=True)
        + hook("quick", "true", pass_filenames=False, always_run=True, read_only=True)
    )
    repo.commit()
    pytester.runpytest("--hooks", "--hooks-jobs", "2", "--junitxml=out.xml")
    cases = {c.get("name"): float(c.get("time")) for c in ET.parse("out.xml").iter("testcase")}
    assert cases["slow"] >= 0.9
    assert cases["quick"] < 0.5  # reported after slow, but its own time is short


# --------------------------------------------------------------------------- processes


def _trap_script(repo: Repo, pids: Path) -> None:
    """A hook whose child and grandchild ignore SIGTERM and record their pids."""
    repo.script(
        "stubborn.py",
        f"""
        import os, signal, subprocess, sys, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        child = subprocess.Popen(["sh", "-c", "trap '' TERM; sleep 300 & echo $! >> {pids}; wait"])
        with open({str(pids)!r}, "a") as f:
            f.write(f"{{os.getpid()}}\\n{{child.pid}}\\n")
        time.sleep(300)
        """,
    )


def test_timeout_kills_the_whole_process_tree(repo: Repo, pytester: pytest.Pytester) -> None:
    pids = repo.path / "pids.txt"
    repo.write(".gitignore", "pids.txt\n")
    _trap_script(repo, pids)
    repo.config(
        LOCAL + hook("hang", "./stubborn.py", language="script", pass_filenames=False, timeout=1)
    )
    repo.commit()
    start = time.monotonic()
    result = pytester.runpytest("--hooks", "-v", "--hooks-kill-grace", "0.5")
    assert time.monotonic() - start < 30
    assert outcomes(result) == {"hang": "TIMEOUT"}
    assert "timed out after 1 s" in result.stdout.str()
    assert result.parseoutcomes() == {"timeout": 1}
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    recorded = [int(p) for p in pids.read_text().split()]
    assert len(recorded) == 3
    assert wait_for(lambda: not any(pid_alive(p) for p in recorded), 10)


def test_default_timeout_option(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.config(LOCAL + hook("hang", "sleep 60", pass_filenames=False, always_run=True))
    repo.commit()
    monkeypatch.setenv("HOOKRUN_TIMEOUT", "0.5")
    result = pytester.runpytest("--hooks", "-v", "--hooks-kill-grace", "0.2")
    assert outcomes(result) == {"hang": "TIMEOUT"}
    result = pytester.runpytest("--hooks", "--hooks-timeout", "x")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--hooks-timeout: invalid value 'x'" in result.stderr.str()


def test_exitfirst_kills_running_hooks(repo: Repo, pytester: pytest.Pytester) -> None:
    pids = repo.path / "pids.txt"
    repo.write(".gitignore", "pids.txt\n")
    _trap_script(repo, pids)
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook(
            "fails",
            f"sh -c 'while [ ! -s {pids} ]; do sleep 0.05; done; exit 1' --",
            read_only=True,
            require_serial=True,
        )
        + hook("hang", "./stubborn.py", language="script", pass_filenames=False, read_only=True)
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-x", "--hooks-jobs", "2", "--hooks-kill-grace", "0.2")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    recorded = [int(p) for p in pids.read_text().split()]
    assert wait_for(lambda: len(recorded) == 3 and not any(pid_alive(p) for p in recorded), 10)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_to_pytest_kills_every_hook_process(repo: Repo, sig: signal.Signals) -> None:
    pids = repo.path / "pids.txt"
    repo.write(".gitignore", "pids.txt\n")
    _trap_script(repo, pids)
    repo.config(LOCAL + hook("hang", "./stubborn.py", language="script", pass_filenames=False))
    repo.commit()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "--hooks",
            "-p",
            "no:cacheprovider",
            "--hooks-kill-grace",
            "0.2",
        ],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 3, 30)
        proc.send_signal(sig)  # to pytest alone, as an IDE's stop button does
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    recorded = [int(p) for p in pids.read_text().split()]
    assert wait_for(lambda: not any(pid_alive(p) for p in recorded), 10), out.decode()
    assert proc.returncode != 0


def test_depends_on_against_priority_is_a_clear_error(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL + hook("a", "true", priority=1, depends_on=["b"]) + hook("b", "true", priority=5)
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v")
    assert outcomes(result) == {"a": "ERROR", "b": "ERROR"}
    assert "depends_on contradicts priority" in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize("method", ["thread", "signal"])
def test_pytest_timeout_does_not_kill_the_run(
    repo: Repo, pytester: pytest.Pytester, method: str
) -> None:
    """--timeout is the default hook timeout; pytest-timeout's own timer stays off hook items."""
    repo.config(
        LOCAL
        + hook("slow-a", "sleep 1.5", pass_filenames=False, always_run=True, read_only=True)
        + hook("slow-b", "sleep 1.5", pass_filenames=False, always_run=True, read_only=True)
        + hook("hang", "sleep 60", pass_filenames=False, always_run=True, read_only=True)
    )
    repo.commit()
    # slow-b waits ~0 s, but its item would otherwise hold the timer through slow-a's run
    result = pytester.runpytest_subprocess(
        "--hooks",
        "-v",
        "--timeout",
        "2",
        "--timeout-method",
        method,
        "--hooks-jobs",
        "1",
        "--hooks-kill-grace",
        "0.2",
    )
    assert outcomes(result) == {"slow-a": "PASSED", "slow-b": "PASSED", "hang": "TIMEOUT"}
    assert "timed out after 2 s" in result.stdout.str()


def test_verbose_output_and_log_file(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook("loud", "echo said-something", verbose=True, pass_filenames=False)
        + hook("quiet", "echo not-shown", pass_filenames=False)
        + hook("logged", "sh -c 'echo to-the-log; exit 1' --", log_file="logs/hook.log")
        + "- repo: meta\n  hooks:\n  - id: identity\n"
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v")
    assert outcomes(result) == {
        "loud": "PASSED",
        "quiet": "PASSED",
        "logged": "FAILED",
        "identity": "PASSED",
    }
    out = result.stdout.str()
    assert "loud (verbose) output" in out and "said-something" in out
    assert "not-shown" not in out
    # identity is verbose and prints the files it was given
    assert "identity (verbose) output" in out
    assert "to-the-log" in repo.read("logs/hook.log")


def test_junit_xml_one_testcase_per_hook_with_properties(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    repo.write("a.txt", "bad\n")
    repo.config(
        LOCAL
        + hook("ok", "true", priority=1)
        + hook("fix", "sed -i s/bad/good/", files=r"\.txt$", depends_on=["ok"], timeout=30)
        + hook("boom", "sh -c 'echo broken; exit 4' --", files=r"\.txt$")
        + hook("none", "true", files=r"\.rs$")
    )
    repo.commit()
    pytester.runpytest("--hooks", "--junitxml=out.xml")
    cases = {c.get("name"): c for c in ET.parse(repo.path / "out.xml").iter("testcase")}
    assert set(cases) == {"ok", "fix", "boom", "none"}

    def props(name: str) -> dict[str, str]:
        return {p.get("name"): p.get("value") for p in cases[name].iter("property")}

    assert props("ok")["priority"] == "1" and props("ok")["outcome"] == "passed"
    fix = props("fix")
    assert fix["modified_files"] == "a.txt" and fix["depends_on"] == "ok"
    assert fix["timeout"] == "30" and fix["outcome"] == "modified"
    assert "MODIFIED" in cases["fix"].find("failure").get("message")
    assert props("boom")["exit_code"] == "4"
    assert cases["none"].find("skipped").get("message") == "no files to check"


@pytest.mark.parametrize("family", ["xunit1", "xunit2"])
def test_junit_xml_validates_against_the_schema(
    repo: Repo, pytester: pytest.Pytester, family: str
) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema_path = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "junit-10.xsd"
    if not schema_path.exists():
        pytest.skip(f"the JUnit schema is not beside the project ({schema_path})")
    repo.write("a.txt", "bad\n")
    repo.config(
        LOCAL
        + hook("ok", "true")
        + hook("fix", "sed -i s/bad/good/", files=r"\.txt$")
        + hook("missing", "no-such-executable-here")
        + hook("none", "true", files=r"\.rs$")
    )
    repo.commit()
    pytester.runpytest("--hooks", "--junitxml=out.xml", "-o", f"junit_family={family}")
    tree = ET.parse(repo.path / "out.xml")
    for case in tree.iter("testcase"):
        # The schema knows <properties> only on a testsuite, while pytest writes a
        # testcase's user properties inside it (pytest's docs say record_property breaks
        # schema validation); and xunit1 adds file/line attributes the schema does not
        # know (pytest's own tests validate xunit2 only). Everything else must validate.
        props = case.find("properties")
        assert props is not None and len(props) > 5
        case.remove(props)
        if family == "xunit1":
            case.attrib.pop("file", None)
            case.attrib.pop("line", None)
    tree.write(repo.path / "out.xml")
    schema = xmlschema.XMLSchema(schema_path)
    schema.validate(str(repo.path / "out.xml"))
    names = [c.get("name") for c in ET.parse(repo.path / "out.xml").iter("testcase")]
    assert names == ["ok", "fix", "missing", "none"]


def test_event_hooks_for_other_plugins(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "a\n")
    events = repo.path / "events.jsonl"
    repo.write(".gitignore", "events.jsonl\n")
    repo.config(
        LOCAL
        + hook("first", "true", files=r"\.txt$")
        + hook("second", "false", files=r"\.txt$")
        + hook("third", "true", depends_on=["second"])
    )
    repo.write(
        "conftest.py",
        f"""
import json, threading
def _log(*row):
    with open({str(events)!r}, "a") as f:
        f.write(json.dumps(row) + "\\n")
def pytest_hookrun_plan(plan, config):
    _log("plan", [h.hook_id for h in plan.hooks], threading.current_thread() is threading.main_thread())
def pytest_hookrun_hook_start(key, hook, files, config):
    _log("start", hook.id, files)
def pytest_hookrun_hook_finish(key, hook, outcome, config):
    _log("finish", hook.id, outcome.status.value)
    if hook.id == "first":
        raise RuntimeError("a broken observer")
def pytest_hookrun_progress(done, total, config):
    _log("progress", done, total)
""",
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "--hooks-serial")
    assert outcomes(result) == {"first": "PASSED", "second": "FAILED", "third": "SKIPPED"}
    rows = [json.loads(line) for line in events.read_text().splitlines()]
    assert rows[0] == ["plan", ["first", "second", "third"], True]
    starts = [r[1:] for r in rows if r[0] == "start"]
    assert starts == [["first", 1], ["second", 1]]  # third never started: its dependency failed
    finishes = [r[1:] for r in rows if r[0] == "finish"]
    assert finishes == [["first", "passed"], ["second", "failed"], ["third", "skipped"]]
    assert [r[1:] for r in rows if r[0] == "progress"] == [[1, 3], [2, 3], [3, 3]]
    out = result.stdout.str()
    assert "a broken observer" in out  # reported, and the run went on


def test_trace_shows_what_ran_in_parallel(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.write("a.txt", "a\n")
    repo.config(
        LOCAL
        + hook("slow-a", "sleep 0.5", pass_filenames=False, read_only=True)
        + hook("slow-b", "sleep 0.5", pass_filenames=False, read_only=True)
        + hook("after", "true", depends_on=["slow-a"], files=r"\.txt$")
        + hook("nothing", "true", files=r"\.rs$")
    )
    repo.commit()
    pytester.runpytest("--hooks", "--hooks-jobs", "2", "--hooks-trace", "trace.json")
    data = json.loads((repo.path / "trace.json").read_text())
    spans = [e for e in data["traceEvents"] if e["ph"] == "X"]
    batches = {e["name"]: e for e in spans if e["cat"] == "batch"}
    hooks = {e["name"]: e for e in spans if e["cat"] == "hook"}
    assert set(batches) == set(hooks) == {"slow-a", "slow-b", "after"}
    a, b = batches["slow-a"], batches["slow-b"]
    assert a["tid"] != b["tid"]  # two job slots at once
    assert a["ts"] < b["ts"] + b["dur"] and b["ts"] < a["ts"] + a["dur"]  # overlapping
    assert batches["after"]["ts"] >= a["ts"] + a["dur"]  # waited for its dependency
    assert a["dur"] >= 400_000 and a["args"]["exit_code"] == 0
    skipped = [e for e in data["traceEvents"] if e["ph"] == "i"]
    assert [e["name"] for e in skipped] == ["nothing"]
    assert skipped[0]["args"]["reason"] == "no files to check"


def test_summary_section(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.config(
        LOCAL
        + hook("slow-a", "sleep 0.6", pass_filenames=False, read_only=True)
        + hook("slow-b", "sleep 0.6", pass_filenames=False, read_only=True)
        + hook("quick", "true", pass_filenames=False, read_only=True)
    )
    repo.write("pytest.ini", "[pytest]\nhookrun_slow_threshold = 0.5\n")
    repo.commit()
    result = pytester.runpytest("--hooks", "--hooks-jobs", "3")
    out = result.stdout.str()
    assert "hooks run: 3 of 3" in out
    assert "max parallelism: 3 hooks at once" in out or "max parallelism: 2 hooks at once" in out
    slow_part = out.split("hooks slower than 0.5 s")[1]
    assert "slow-a" in slow_part and "slow-b" in slow_part and "quick" not in slow_part


def test_show_diff_read_only_writer_and_created_files(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    repo.write("a.txt", "old\n")
    repo.write(".gitignore", "ignored-*\n")
    repo.config(
        LOCAL
        + hook("sneaky", "sed -i s/old/new/", files=r"a\.txt$", read_only=True)
        + hook("maker", "sh -c 'echo made > created.txt' --", pass_filenames=False)
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "-rA", "--hooks-serial", "--hooks-show-diff")
    assert outcomes(result) == {"sneaky": "MODIFIED", "maker": "PASSED"}
    out = result.stdout.str()
    assert "counts as read-only" in out and "but it changed files" in out
    assert "files created by this hook: created.txt" in out
    full_diff = out.split("the hooks' changes (git diff)")[1]
    assert "-old" in full_diff and "+new" in full_diff


def test_staged_with_refs_selects_by_refs_and_hides_unstaged_work(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    """pre-push: the refs choose the files; unstaged work is set aside and comes back."""
    repo.write("old.txt", "fine\n")
    repo.config(
        LOCAL + hook("no-bad", "BAD", language="pygrep") + hook("names", "echo", verbose=True)
    )
    repo.commit("first")
    repo.write("pushed.txt", "fine\n")
    repo.commit("second")
    repo.write("pushed.txt", "fine\nBAD unstaged\n")  # not staged: the hooks must not see it
    repo.write("staged-only.txt", "x\n")
    repo.add("staged-only.txt")  # staged, but not in the refs: not selected
    result = pytester.runpytest(
        "--hooks", "-v", "--hooks-staged", "--hooks-from-ref", "HEAD~1", "--hooks-to-ref", "HEAD"
    )
    assert outcomes(result) == {"no-bad": "PASSED", "names": "PASSED"}
    out = result.stdout.str()
    assert "pushed.txt" in out and "staged-only.txt" not in out and "old.txt" not in out
    assert repo.read("pushed.txt") == "fine\nBAD unstaged\n"


def test_pygrep_runs_in_process_and_bad_arguments_fall_back_to_its_process(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    repo.write("a.txt", "has TODO here\n")
    repo.config(
        LOCAL
        + hook("todo", "TODO", language="pygrep")
        + hook("bad-args", "TODO", language="pygrep", args=["--no-such-flag"])
    )
    repo.commit()
    result = pytester.runpytest("--hooks", "-v")
    assert outcomes(result) == {"todo": "FAILED", "bad-args": "FAILED"}
    out = result.stdout.str()
    assert "command: 'pygrep (in-process)' TODO <2 files>" in out
    assert "a.txt:1:has TODO here" in out
    # argparse's own message and exit code, from `python -m pytest_hookrun.languages.pygrep`
    assert "unrecognized arguments: --no-such-flag" in out and "exit code: 2" in out


def test_the_lean_start_from_the_readme(repo: Repo, pytester: pytest.Pytester) -> None:
    """`pytest --disable-plugin-autoload -p hookrun --hooks ...` loads the plugin by its
    entry-point name and nothing else (pytest 8.4+ has the flag)."""
    if tuple(int(p) for p in pytest.__version__.split(".")[:2]) < (8, 4):
        pytest.skip("--disable-plugin-autoload is pytest 8.4+")
    repo.write("a.txt", "fine\n")
    repo.config(LOCAL + hook("no-bad", "BAD", language="pygrep", files=r"\.txt$"))
    repo.commit()
    result = pytester.runpytest_subprocess(
        "--disable-plugin-autoload", "-p", "hookrun", "--hooks", ".pre-commit-config.yaml", "-v"
    )
    assert outcomes(result) == {"no-bad": "PASSED"}
    plugins = [line for line in result.outlines if line.startswith("plugins:")]
    assert len(plugins) == 1 and plugins[0].startswith("plugins: hookrun-"), plugins
    assert "," not in plugins[0], plugins  # no other plugin loaded
