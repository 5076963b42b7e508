"""The pytest options users rely on, on hook items, with and without pytest-xdist."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from .conftest import Repo
from .test_plugin import LOCAL, hook, pid_alive, wait_for

H = ".pre-commit-config.yaml::"
WORD = r"(PASSED|FAILED|MODIFIED|TIMEOUT|SKIPPED|ERROR)"
PLAIN = re.compile(rf"(\S+::\S+) {WORD}\b")  # nodeid PASSED   [ 50%]
XDIST = re.compile(rf"\[gw\d+\] \[\s*\d+%\] {WORD} (\S+::\S+)\s*$")  # [gw0] [ 50%] PASSED nodeid

XDIST_MODES = [pytest.param(False, id="serial"), pytest.param(True, id="xdist")]


def statuses(result: pytest.RunResult) -> dict[str, str]:
    """Node id -> the word pytest printed for it under -v (plain or xdist layout)."""
    found: dict[str, str] = {}
    for line in result.outlines:
        if m := XDIST.match(line):
            found[m[2]] = m[1]
        elif m := PLAIN.match(line):
            found[m[1]] = m[2]
    return found


def run(pytester: pytest.Pytester, xdist: bool, *args: str) -> pytest.RunResult:
    """`pytest --hooks -v ARGS`, in-process, or with `-n 2` in a subprocess."""
    if xdist:
        return run_xdist(pytester, "--hooks", "-v", "-n", "2", *args)
    return pytester.runpytest("--hooks", "-v", *args)


def run_xdist(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """A subprocess with only xdist and this plugin: each worker starts seconds sooner."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        return pytester.runpytest_subprocess("-p", "xdist", "-p", "pytest_hookrun.plugin", *args)


def selected_count(result: pytest.RunResult, xdist: bool, selected: int, total: int) -> bool:
    """pytest says how many items were selected (xdist: the workers' count)."""
    out = result.stdout.str()
    if xdist:
        return f"2 workers [{selected} items]" in out
    return selected == total or f"{total - selected} deselected" in out


class Recorded:
    """Hooks that record their id when they run (the ground truth of what ran)."""

    def __init__(self, repo: Repo) -> None:
        self.log = repo.path / "runs.log"
        repo.script(
            "rec.py",
            f"""
            import sys
            hook_id, code, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
            with open({str(self.log)!r}, "a") as f:
                f.write(hook_id + "\\n")
            for name in files:
                with open(name) as f:
                    text = f.read()
                with open(name, "w") as f:
                    f.write(text.replace("bad", "good"))
            sys.exit(code)
            """,
        )

    def take(self) -> list[str]:
        """The ids recorded since the last call, sorted."""
        if not self.log.exists():
            return []
        ran = sorted(self.log.read_text().split())
        self.log.unlink()
        return ran


def checker(id: str, code: int, record: str | None = None, **extra: object) -> str:
    """A read-only hook on no file in particular that records `record` (its id), exits `code`."""
    return hook(
        id,
        f"./rec.py {record or id} {code}",
        language="script",
        pass_filenames=False,
        always_run=True,
        read_only=True,
        **extra,
    )


@pytest.fixture
def mixed(repo: Repo) -> Recorded:
    """Hooks that pass, fail and modify, a repeated id, a depends_on, and two plain tests."""
    rec = Recorded(repo)
    repo.write(".gitignore", "runs.log\n")
    repo.write("a.txt", "bad\n")
    repo.write("test_unit.py", "def test_ok():\n    pass\n\ndef test_bad():\n    assert 0\n")
    repo.config(
        LOCAL
        + checker("lint-a", 0)
        + checker("lint-b", 1)
        + hook("fmt", "./rec.py fmt 0", language="script", files=r"\.txt$")
        + checker("check-c", 2, depends_on=["lint-a"])
        + checker("lint-a", 0, record="lint-a2")  # the same id again: item lint-a#2
    )
    repo.commit()
    return rec


HOOKS = {
    H + "lint-a": "PASSED",
    H + "lint-b": "FAILED",
    H + "fmt": "MODIFIED",
    H + "check-c": "FAILED",
    H + "lint-a#2": "PASSED",
}
TESTS = {"test_unit.py::test_ok": "PASSED", "test_unit.py::test_bad": "FAILED"}
RAN = ["check-c", "fmt", "lint-a", "lint-a2", "lint-b"]


@pytest.mark.parametrize("xdist", XDIST_MODES)
def test_last_failed_reruns_exactly_the_failed_hooks(
    mixed: Recorded, repo: Repo, pytester: pytest.Pytester, xdist: bool
) -> None:
    result = run(pytester, xdist)  # the cache provider is on: --lf needs it
    assert statuses(result) == {**HOOKS, **TESTS}
    assert mixed.take() == RAN
    assert repo.read("a.txt") == "good\n"

    result = run(pytester, xdist, "--lf")
    # the failed hooks run again (fmt has nothing left to fix), the others do not
    assert statuses(result) == {
        H + "lint-b": "FAILED",
        H + "fmt": "PASSED",
        H + "check-c": "FAILED",  # its dependency lint-a is not selected: it runs
        "test_unit.py::test_bad": "FAILED",
    }
    assert mixed.take() == ["check-c", "fmt", "lint-b"]
    result.assert_outcomes(passed=1, failed=3)
    if xdist:
        assert "2 workers [4 items]" in result.stdout.str()
    else:
        assert "run-last-failure: rerun previous 4 failures" in result.stdout.str()


SELECTIONS = {
    "k": (["-k", "lint and not lint-b"], [H + "lint-a", H + "lint-a#2"]),
    "m-hook": (["-m", "hook"], list(HOOKS)),
    "m-not-hook": (["-m", "not hook"], list(TESTS)),
    "deselect": (
        ["--deselect", H + "lint-b", "--deselect", H + "lint-a#2"],
        [H + "lint-a", H + "fmt", H + "check-c", *TESTS],
    ),
}


@pytest.mark.parametrize("xdist", XDIST_MODES)
@pytest.mark.parametrize("how", list(SELECTIONS))
def test_k_m_and_deselect_choose_the_hooks_that_run(
    mixed: Recorded, pytester: pytest.Pytester, xdist: bool, how: str
) -> None:
    args, selected = SELECTIONS[how]
    result = run(pytester, xdist, "-p", "no:cacheprovider", *args)
    assert statuses(result) == {nodeid: {**HOOKS, **TESTS}[nodeid] for nodeid in selected}
    hooks = [n.split("::")[1] for n in selected if n.startswith(H)]
    assert mixed.take() == sorted(h.replace("#2", "2") for h in hooks)
    assert selected_count(result, xdist, len(selected), len(HOOKS) + len(TESTS))


@pytest.mark.parametrize("xdist", XDIST_MODES)
def test_each_collected_node_id_runs_back_exactly_its_hook(
    mixed: Recorded, repo: Repo, pytester: pytest.Pytester, xdist: bool
) -> None:
    """The IDE scenario: list the node ids, then run one of them alone."""
    result = pytester.runpytest("--hooks", "--co", "-q", "-p", "no:cacheprovider")
    listed = [line for line in result.outlines if "::" in line]
    assert listed == [*HOOKS, *TESTS]
    assert mixed.take() == []
    for nodeid in HOOKS:
        repo.write("a.txt", "bad\n")
        result = run(pytester, xdist, "-p", "no:cacheprovider", nodeid)
        assert statuses(result) == {nodeid: HOOKS[nodeid]}
        assert mixed.take() == [nodeid.split("::")[1].replace("#2", "2")]


def test_first_of_a_repeated_id_runs_alone(mixed: Recorded, pytester: pytest.Pytester) -> None:
    result = run(pytester, False, "-p", "no:cacheprovider", H + "lint-a")
    assert mixed.take() == ["lint-a"]
    assert statuses(result) == {H + "lint-a": "PASSED"}


def test_xdist_load_keeps_hook_node_ids(mixed: Recorded, pytester: pytest.Pytester) -> None:
    """--dist load becomes loadscope: the node ids stay as collected (loadgroup would add @)."""
    result = run_xdist(
        pytester, "--hooks", "-v", "-n", "2", "--dist", "load", "-p", "no:cacheprovider"
    )
    assert statuses(result) == {**HOOKS, **TESTS}
    assert "LoadScopeScheduling" in result.stdout.str()
    assert mixed.take() == RAN


def test_xdist_loaded_by_module_name_keeps_hooks_in_one_worker(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    rec = Recorded(repo)
    repo.write(".gitignore", "runs.log\n")
    repo.config(LOCAL + "".join(checker(f"h{i}", 0) for i in range(4)))
    repo.commit()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        result = pytester.runpytest_subprocess(
            "-p", "xdist.plugin", "-p", "pytest_hookrun.plugin", "--hooks", "-v", "-n", "2"
        )
    assert rec.take() == ["h0", "h1", "h2", "h3"]  # each hook once
    assert "LoadScopeScheduling" in result.stdout.str()


@pytest.mark.parametrize("xdist", XDIST_MODES)
@pytest.mark.parametrize("stop", ["-x", "--maxfail=1"])
def test_stop_after_first_failing_hook_leaves_no_process(
    repo: Repo, pytester: pytest.Pytester, xdist: bool, stop: str
) -> None:
    """`fails` fails once `hang` runs (a fifo hands it hang's pids); then nothing is left."""
    rec = Recorded(repo)
    repo.write(".gitignore", "runs.log\nfifo\npids.txt\n")
    os.mkfifo(repo.path / "fifo")
    repo.config(
        LOCAL
        + checker("first", 0)
        + hook(
            "fails",
            "sh -c 'read pids < fifo; echo \"$pids\" > pids.txt; exit 1' --",
            pass_filenames=False,
            always_run=True,
            read_only=True,
            timeout=60,  # safety nets only: the test fails long before them
        )
        + hook(
            "hang",
            # ignores SIGTERM, as its child does: only the SIGKILL after the grace ends them
            'sh -c \'trap "" TERM; sleep 300 & echo "$$ $!" > fifo; wait\' --',
            pass_filenames=False,
            always_run=True,
            read_only=True,
            timeout=60,
        )
    )
    repo.commit()
    start = time.monotonic()
    result = run(
        pytester,
        xdist,
        stop,
        "--hooks-jobs",
        "3",
        "--hooks-kill-grace",
        "0.2",
        "-p",
        "no:cacheprovider",
    )
    elapsed = time.monotonic() - start
    # xdist's controller ends a stopped run as interrupted
    assert result.ret == (pytest.ExitCode.INTERRUPTED if xdist else pytest.ExitCode.TESTS_FAILED)
    assert statuses(result) == {H + "first": "PASSED", H + "fails": "FAILED"}
    assert "stopping after 1 failures" in result.stdout.str()
    assert rec.take() == ["first"]
    pids = [int(p) for p in (repo.path / "pids.txt").read_text().split()]
    assert len(pids) == 2
    assert wait_for(lambda: not any(pid_alive(p) for p in pids), 10), pids
    assert elapsed < 30


@pytest.mark.parametrize("xdist", XDIST_MODES)
def test_durations_are_the_hooks_own(repo: Repo, pytester: pytest.Pytester, xdist: bool) -> None:
    """One token: `quick` waits for `slow`, yet --durations shows its own short time."""
    repo.config(
        LOCAL
        + hook("slow", "sleep 1", pass_filenames=False, always_run=True, read_only=True)
        + hook("quick", "true", pass_filenames=False, always_run=True, read_only=True)
    )
    repo.commit()
    result = run(
        pytester,
        xdist,
        "--hooks-jobs",
        "1",
        "--durations=5",
        "--durations-min=0",
        "-p",
        "no:cacheprovider",
    )
    assert statuses(result) == {H + "slow": "PASSED", H + "quick": "PASSED"}
    out = result.stdout.str()
    lines = out[out.index("slowest 5 durations") :].splitlines()[1:6]
    listed = {}
    for line in lines:
        m = re.fullmatch(r"(\d+\.\d\d)s (setup|call|teardown) +(\S+)", line)
        assert m, lines
        listed[(m[3].split("::")[1], m[2])] = float(m[1])
    # the top 5: slow's and quick's calls, then three waits that count as nothing
    assert listed[("slow", "call")] >= 1.0
    assert listed[("quick", "call")] < 0.5
    assert [d for key, d in listed.items() if key[1] != "call"] == [0.0, 0.0, 0.0]
    if xdist:
        return  # the hookrun summary is printed where the hooks ran: in the worker
    # the hook's own time, as the hookrun summary gives it too
    summary = re.search(r"^ +(\d+\.\d\d) s  slow \(passed\)$", out, re.MULTILINE)
    assert summary and float(summary[1]) == listed[("slow", "call")]


def test_items_carry_the_line_of_their_id(repo: Repo, pytester: pytest.Pytester) -> None:
    """item.location: the config and the 0-based line of the hook's `id:` (what IDEs jump to)."""
    text = (
        "# comments and blank lines move every line\n"
        "\n"
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      -   id: spaced\n"
        "          name: spaced\n"
        "          entry: 'true'\n"
        "          language: system\n"
        "      - name: id-not-first\n"
        "        entry: 'true'\n"
        "        language: system\n"
        "        id: late\n"
        "      - {id: flow, name: flow, entry: 'true', language: system}\n"
        "      - id: spaced\n"
        "        name: again\n"
        "        entry: 'true'\n"
        "        language: system\n"
        "  - repo: meta\n"
        "    hooks:\n"
        "      - id: identity\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: remote\n"
        "        name: a language that is skipped\n"
        "        entry: tool\n"
        "        language: golang\n"
    )
    repo.write(".pre-commit-config.yaml", text)
    repo.commit()
    lines = text.splitlines()
    items, _ = pytester.inline_genitems("--hooks", "-p", "no:cacheprovider")
    expected = {
        "spaced": lines.index("      -   id: spaced"),
        "late": lines.index("        id: late"),  # the id line, not the entry's first
        "flow": lines.index("      - {id: flow, name: flow, entry: 'true', language: system}"),
        "spaced#2": lines.index("      - id: spaced"),
        "identity": lines.index("      - id: identity"),
        "remote": lines.index("      - id: remote"),
    }
    assert {i.name: i.location for i in items} == {
        name: (".pre-commit-config.yaml", line, name.replace(".", "_"))
        for name, line in expected.items()
    }
    # the golang hook is skipped; pytest reports the skip at that line (1-based)
    result = pytester.runpytest("--hooks", "-rs", "-p", "no:cacheprovider")
    assert f"SKIPPED [1] .pre-commit-config.yaml:{expected['remote'] + 1}:" in result.stdout.str()


def test_collect_only_is_offline_and_only_lists(repo: Repo, pytester: pytest.Pytester) -> None:
    """`pytest --hooks --collect-only -q`: no clone, no fetch, no git call but a listing."""
    repo.write("a.py", "x = 1\n")
    repo.config(
        LOCAL
        + hook("local-one", "true")
        + "- repo: https://example.invalid/remote-hooks\n  rev: v1.0.0\n  hooks:\n  - id: remote\n"
        + "- repo: meta\n  hooks:\n  - id: check-hooks-apply\n"
    )
    repo.commit()
    calls = repo.path / "git-calls.log"
    real_git = shutil.which("git")
    bindir = pytester.path.parent / f"{pytester.path.name}-bin"
    bindir.mkdir()
    wrapper = bindir / "git"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {calls}\n'
        'case "$1" in ls-files|rev-parse) ;; *) echo "git $1: not allowed" >&2; exit 97;; esac\n'
        f'exec {real_git} "$@"\n'
    )
    wrapper.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # other plugins call git at start-up
        "GIT_TERMINAL_PROMPT": "0",
        **dict.fromkeys(
            ("http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY"), "http://127.0.0.1:9"
        ),
    }
    argv = [sys.executable, "-m", "pytest", "--hooks", "--collect-only", "-q"]
    argv += ["-p", "pytest_hookrun.plugin", "-p", "no:cacheprovider"]
    offline = ["unshare", "-rn"]  # no network at all, where a network namespace can be made
    if not (
        shutil.which("unshare")
        and subprocess.run([*offline, "true"], capture_output=True).returncode == 0
    ):
        offline = []
    proc = subprocess.run([*offline, *argv], cwd=repo.path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [line for line in proc.stdout.splitlines() if "::" in line] == [
        H + "local-one",
        H + "remote",
        H + "check-hooks-apply",
    ]
    made = calls.read_text().splitlines() if calls.exists() else []
    assert all(c.split()[0] in ("ls-files", "rev-parse") for c in made), made
    assert "not allowed" not in proc.stderr


def test_strict_markers_without_xdist(repo: Repo, pytester: pytest.Pytester) -> None:
    repo.config(LOCAL + hook("h", "true"))
    repo.commit()
    result = pytester.runpytest_subprocess("--hooks", "-v", "-p", "no:xdist", "--strict-markers")
    assert statuses(result) == {H + "h": "PASSED"}


def test_exitfirst_starts_no_hook_after_the_failing_one(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    rec = Recorded(repo)
    repo.write(".gitignore", "runs.log\n")
    quick = {"pass_filenames": False, "always_run": True, "read_only": True}
    repo.config(  # sh, not python: `later` records itself before -x can kill it
        LOCAL
        + hook("fails", "sh -c 'echo fails >> runs.log; exit 1' --", **quick)
        + hook("later", "sh -c 'echo later >> runs.log' --", **quick)
    )
    repo.commit()
    result = pytester.runpytest(
        "--hooks", "-v", "-x", "--hooks-jobs", "1", "-p", "no:cacheprovider"
    )
    assert statuses(result) == {H + "fails": "FAILED"}
    assert rec.take() == ["fails"]  # one token: later could only have started after fails
