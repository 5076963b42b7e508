"""The example event plugins (examples/events_jsonl.py, examples/events_prometheus.py) on real runs."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import Repo

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:  # validated by the strict parser below alone
    text_string_to_metric_families = None
from .test_plugin import LOCAL, hook, outcomes

ROOT = Path(__file__).resolve().parents[1]
H = ".pre-commit-config.yaml::"
WORDS = {
    "passed": "PASSED",
    "failed": "FAILED",
    "modified": "MODIFIED",
    "timeout": "TIMEOUT",
    "skipped": "SKIPPED",
    "error": "ERROR",
}


@pytest.fixture
def examples_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """`examples` importable in this process (inline runs) and in subprocesses (xdist)."""
    monkeypatch.syspath_prepend(str(ROOT))
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + (os.pathsep + path if path else ""))
    for var in ("HOOKRUN_EVENTS_JSONL", "HOOKRUN_PROMETHEUS_FILE"):
        monkeypatch.delenv(var, raising=False)


def mixed_repo(repo: Repo) -> None:
    """One hook of each outcome; the plan has exactly two edges."""
    repo.write(".gitignore", "out/\n")
    repo.write("a.txt", "bad\n")
    repo.write("b.py", "x = 1\n")
    repo.config(
        LOCAL
        # readers of b.py: they share it, no edge between them
        + hook("passes", "true", files=r"^b\.py$", read_only=True)
        + hook("fails", "sh -c 'echo broken; exit 3' --", files=r"^b\.py$", read_only=True)
        # the only writer, of a.txt; check-txt reads a.txt after it: one conflict edge
        + hook("fixes", "sed -i s/bad/good/", files=r"\.txt$")
        + hook("check-txt", "grep -q good", files=r"\.txt$", read_only=True)
        + hook("none", "true", files=r"\.rs$")
        # one depends_on edge; skipped because fails fails
        + hook("after-fails", "true", files=r"^b\.py$", read_only=True, depends_on=["fails"])
        + hook("missing", "no-such-executable-here", files=r"^b\.py$", read_only=True)
        + hook("slow", "sh -c 'sleep 30' --", files=r"^b\.py$", read_only=True, timeout=0.5)
    )
    repo.commit()


STATUS = {
    "passes": "passed",
    "fails": "failed",
    "fixes": "modified",
    "check-txt": "passed",
    "none": "skipped",
    "after-fails": "skipped",
    "missing": "error",
    "slow": "timeout",
}
STARTED = {"passes": 1, "fails": 1, "fixes": 1, "check-txt": 1, "slow": 1}  # hook -> files
RUN_ARGS = ("--hooks", "-v", "--hooks-jobs", "2", "--hooks-kill-grace", "0.2")


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def check_events(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    """Check one run's events against the mixed repo exactly; return the finish rows by hook."""
    assert len({r["run"] for r in rows}) == 1
    times = [float(r["ts"]) for r in rows]  # type: ignore[arg-type]
    assert times == sorted(times)
    plan, *events = rows
    assert {k: v for k, v in plan.items() if k not in ("run", "ts", "critical_path")} == {
        "event": "plan",
        "hooks": list(STATUS),
        "keys": [H + h for h in STATUS],
        "edges": 2,
        "edges_by_reason": {"conflict": 1, "depends_on": 1},
    }
    assert plan["critical_path"] in (["fails", "after-fails"], ["fixes", "check-txt"])
    strip = ("run", "ts")
    starts = [
        {k: v for k, v in r.items() if k not in strip} for r in events if r["event"] == "hook_start"
    ]
    assert sorted(starts, key=lambda r: str(r["hook"])) == [
        {"event": "hook_start", "key": H + h, "hook": h, "files": n}
        for h, n in sorted(STARTED.items())
    ]
    finishes = {str(r["hook"]): r for r in events if r["event"] == "hook_finish"}
    assert len(finishes) == len(STATUS) == len([r for r in events if r["event"] == "hook_finish"])
    assert {h: r["status"] for h, r in finishes.items()} == STATUS
    assert {h: r["key"] for h, r in finishes.items()} == {h: H + h for h in STATUS}
    assert {h: r["exit_code"] for h, r in finishes.items()} == {
        "passes": 0,
        "fails": 3,
        "fixes": 0,
        "check-txt": 0,
        "none": None,
        "after-fails": None,
        "missing": None,
        "slow": None,  # killed: no exit code of its own
    }
    assert {h: r["modified"] for h, r in finishes.items() if r["modified"]} == {"fixes": ["a.txt"]}
    assert {h: r["files"] for h, r in finishes.items() if r["files"]} == STARTED
    reasons = {h: r["reason"] for h, r in finishes.items() if r["reason"]}
    assert set(reasons) == {"none", "after-fails", "missing"}
    assert reasons["none"] == "no files to check"
    assert reasons["after-fails"] == "dependency 'fails' did not pass"
    assert "executable not found: 'no-such-executable-here'" in str(reasons["missing"])
    durations = {h: float(r["duration"]) for h, r in finishes.items()}  # type: ignore[arg-type]
    assert {h for h, d in durations.items() if d > 0} == set(STARTED)
    # its timeout (0.5 s from its first batch), not the 30 s it asked for; the busy time
    # starts when the process does, a little after the clock under load
    assert 0.1 <= durations["slow"] < 10
    # each hook: start, then finish; each finish followed by its progress, counted in order
    order = [(r["event"], r.get("hook")) for r in events]
    for h in STARTED:
        assert order.index(("hook_start", h)) < order.index(("hook_finish", h))
    progress = [(r["done"], r["total"]) for r in events if r["event"] == "progress"]
    assert progress == [(n, len(STATUS)) for n in range(1, len(STATUS) + 1)]
    for i, r in enumerate(events):
        if r["event"] == "hook_finish":
            assert events[i + 1]["event"] == "progress"
    return finishes


# Prometheus text exposition format 0.0.4, as node_exporter's textfile collector reads it
_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
_VALUE = r"(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Inf)|NaN)"
SAMPLE = re.compile(rf"({_NAME})(?:\{{((?:{_LABEL})(?:,{_LABEL})*)?\}})? ({_VALUE})")
HELP = re.compile(rf"# HELP ({_NAME}) ((?:[^\\\n]|\\[\\n])*)")
TYPE = re.compile(rf"# TYPE ({_NAME}) (counter|gauge|histogram|summary|untyped)")


def parse_exposition(text: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """Strictly parse the text format: metric -> {sorted labels: value}; HELP/TYPE first."""
    assert text.endswith("\n") and "\r" not in text
    families: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    helped: set[str] = set()
    typed: set[str] = set()
    for line in text[:-1].split("\n"):
        if m := HELP.fullmatch(line):
            assert m[1] not in helped and m[1] not in families, line
            helped.add(m[1])
        elif m := TYPE.fullmatch(line):
            assert m[1] not in typed and m[1] not in families, line
            typed.add(m[1])
        else:
            m = SAMPLE.fullmatch(line)
            assert m, f"not a valid exposition line: {line!r}"
            name, labels_text, value = m[1], m[2] or "", m[3]
            assert name in helped and name in typed, f"{name} has no HELP/TYPE before it"
            labels = tuple(
                sorted(
                    (k, re.sub(r"\\(.)", lambda e: {"n": "\n"}.get(e[1], e[1]), v))
                    for k, v in re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', labels_text)
                )
            )
            series = families.setdefault(name, {})
            assert labels not in series, f"duplicate series: {line}"
            series[labels] = float(value)
    assert helped == typed == set(families)
    return families


def test_both_plugins_on_one_run(
    repo: Repo,
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    examples_importable: None,
) -> None:
    mixed_repo(repo)
    events = repo.path / "out" / "events.jsonl"
    prom = repo.path / "out" / "metrics" / "hookrun.prom"
    monkeypatch.setenv("HOOKRUN_EVENTS_JSONL", "out/events.jsonl")
    monkeypatch.setenv("HOOKRUN_PROMETHEUS_FILE", str(prom))
    # the plan as --hooks-plan=json shows it (no cache: the same durations as the run)
    plan_run = pytester.runpytest("--hooks", "--hooks-plan=json", "-p", "no:cacheprovider")
    text = plan_run.stdout.str()
    plan = json.JSONDecoder().raw_decode(text[text.index("{") :])[0]
    assert not events.exists() and not prom.exists()  # no hook ran, nothing written

    start = time.time()
    result = pytester.runpytest(
        *RUN_ARGS,
        "-p",
        "examples.events_jsonl",
        "-p",
        "examples.events_prometheus",
        "-p",
        "no:cacheprovider",
        "--junitxml=out/junit.xml",
    )
    end = time.time()
    assert outcomes(result) == {h: WORDS[s] for h, s in STATUS.items()}
    assert "HookrunEventWarning" not in result.stdout.str()

    rows = read_jsonl(events)
    finishes = check_events(rows)
    assert rows[0]["edges"] == len(plan["edges"])
    assert rows[0]["critical_path"] == [k.split("::")[1] for k in plan["critical_path"]]
    assert start <= float(rows[0]["ts"]) <= float(rows[-1]["ts"]) <= end  # type: ignore[arg-type]
    # the durations are the ones pytest reported (JUnit time: 3 decimals)
    junit = {
        c.get("name"): float(c.get("time", ""))
        for c in ET.parse(repo.path / "out/junit.xml").iter("testcase")
    }
    assert junit == pytest.approx({h: finishes[h]["duration"] for h in STATUS}, abs=0.0015)

    # Prometheus: valid exposition format, atomically written, exact series
    assert stat.S_IMODE(prom.stat().st_mode) == 0o644
    assert os.listdir(prom.parent) == ["hookrun.prom"]  # no temporary file left
    text = prom.read_text()
    families = parse_exposition(text)
    durations = {(("hook", h), ("status", s)): finishes[h]["duration"] for h, s in STATUS.items()}
    assert families["hookrun_hook_duration_seconds"] == durations
    assert families["hookrun_hook_outcome"] == {
        (("hook", h), ("status", s)): 1.0 for h, s in STATUS.items()
    }
    assert families["hookrun_hooks"] == {
        (("status", "passed"),): 2,
        (("status", "failed"),): 1,
        (("status", "modified"),): 1,
        (("status", "timeout"),): 1,
        (("status", "skipped"),): 2,
        (("status", "error"),): 1,
    }
    assert families["hookrun_hooks_selected"] == {(): 8}
    assert families["hookrun_run_success"] == {(): 0}
    total = families["hookrun_run_hook_seconds"][()]
    assert total == pytest.approx(sum(float(d) for d in durations.values()), abs=1e-5)  # type: ignore[arg-type]
    wall = families["hookrun_run_wall_seconds"][()]
    assert max(float(d) for d in durations.values()) <= wall + 1e-6 <= end - start  # type: ignore[arg-type]
    assert start <= families["hookrun_run_timestamp_seconds"][()] <= end
    assert set(families) == {
        "hookrun_hook_duration_seconds",
        "hookrun_hook_outcome",
        "hookrun_hooks",
        "hookrun_hooks_selected",
        "hookrun_run_hook_seconds",
        "hookrun_run_wall_seconds",
        "hookrun_run_success",
        "hookrun_run_timestamp_seconds",
    }
    # and as Prometheus' own parser reads it
    if text_string_to_metric_families is not None:
        parsed = {f.name: f for f in text_string_to_metric_families(text)}
        assert {name: f.type for name, f in parsed.items()} == dict.fromkeys(families, "gauge")
        for name, family in parsed.items():
            samples = {tuple(sorted(s.labels.items())): s.value for s in family.samples}
            assert samples == families[name]


def test_prometheus_file_replaced_only_by_runs_with_hooks(
    repo: Repo,
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    examples_importable: None,
) -> None:
    """ini option, conftest import; a new file replaces the old; odd hook ids are escaped."""
    odd = 'say "hi"\\now'
    repo.write(".gitignore", "metrics/\n")
    repo.write("a.txt", "a\n")
    repo.write("test_unit.py", "def test_unit():\n    pass\n")
    repo.write("conftest.py", "from examples.events_prometheus import *  # noqa: F403\n")
    repo.write("pytest.ini", "[pytest]\nhookrun_prometheus_file = metrics/hooks.prom\n")
    repo.config(LOCAL + hook("plain", "true", read_only=True) + hook(odd, "true", read_only=True))
    repo.commit()
    prom = repo.path / "metrics" / "hooks.prom"
    result = pytester.runpytest("--hooks", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    first = prom.stat()
    families = parse_exposition(prom.read_text())
    assert families["hookrun_hook_outcome"] == {
        (("hook", "plain"), ("status", "passed")): 1,
        (("hook", odd), ("status", "passed")): 1,
    }
    assert families["hookrun_run_success"] == {(): 1}
    if text_string_to_metric_families is not None:
        labels = [
            s.labels["hook"]
            for f in text_string_to_metric_families(prom.read_text())
            if f.name == "hookrun_hook_outcome"
            for s in f.samples
        ]
        assert labels == ["plain", odd]

    # a run without hooks leaves the last file alone
    result = pytester.runpytest("--hooks", "-m", "not hook", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, deselected=2)
    assert prom.stat().st_ino == first.st_ino and prom.stat().st_mtime_ns == first.st_mtime_ns

    # a run with hooks renames a new file over it
    result = pytester.runpytest("--hooks", "-k", "plain", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, deselected=2)
    assert prom.stat().st_ino != first.st_ino
    assert parse_exposition(prom.read_text())["hookrun_hooks_selected"] == {(): 1}
    assert os.listdir(prom.parent) == ["hooks.prom"]

    # the environment variable wins over the ini option; a name not ending in .prom is refused
    monkeypatch.setenv("HOOKRUN_PROMETHEUS_FILE", "metrics/other.txt")
    result = pytester.runpytest("--hooks", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        "metrics/other.txt: the Prometheus textfile collector reads only files ending in .prom"
        in (result.stderr.str())
    )


def test_jsonl_under_xdist_from_conftest_and_ini(
    repo: Repo,
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    examples_importable: None,
) -> None:
    """The worker that runs the hooks writes the events; the controller writes nothing."""
    mixed_repo(repo)
    repo.write("conftest.py", 'pytest_plugins = ["examples.events_jsonl"]\n')
    repo.write("pytest.ini", "[pytest]\nhookrun_events_jsonl = out/events.jsonl\n")
    for n in range(2):
        repo.write(f"test_{n}.py", f"def test_{n}():\n    pass\n")
    repo.commit()
    events = repo.path / "out" / "events.jsonl"
    # only xdist and pytest-hookrun in the subprocesses: each worker starts seconds sooner
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    args = ("-p", "xdist", "-p", "pytest_hookrun.plugin", "-n", "2", "-p", "no:cacheprovider")
    for _ in range(2):  # a second run appends, with its own run id
        repo.write("a.txt", "bad\n")
        result = pytester.runpytest_subprocess("--hooks", *args, "--hooks-kill-grace", "0.2")
        outcome = {"passed": 4, "failed": 1, "modified": 1, "timeout": 1, "skipped": 2, "errors": 1}
        assert result.parseoutcomes() == outcome, result.stdout.str()
    rows = read_jsonl(events)
    runs = list(dict.fromkeys(str(r["run"]) for r in rows))
    assert len(runs) == 2
    for run in runs:
        check_events([r for r in rows if r["run"] == run])


def test_jsonl_writer_keeps_lines_whole_across_threads_and_writers(
    tmp_path: Path, examples_importable: None
) -> None:
    from examples.events_jsonl import JsonLinesWriter

    path = tmp_path / "deep" / "events.jsonl"
    writers = [JsonLinesWriter(path, run="one"), JsonLinesWriter(path, run="two")]  # two runs
    payload = "x" * 70_000  # larger than a pipe buffer: a torn write would show
    barrier = threading.Barrier(8)

    def work(writer: JsonLinesWriter, thread: int) -> None:
        barrier.wait()
        for seq in range(60):
            writer.write("progress", thread=thread, seq=seq, payload=payload)

    threads = [threading.Thread(target=work, args=(writers[t % 2], t)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = read_jsonl(path)
    assert len(rows) == 8 * 60
    for thread in range(8):
        mine = [r for r in rows if r["thread"] == thread]
        assert [r["seq"] for r in mine] == list(range(60))
        assert {r["run"] for r in mine} == {("one", "two")[thread % 2]}
        assert all(r["payload"] == payload for r in mine)


def test_jsonl_install_events_only_when_something_is_built(
    repo: Repo, pytester: pytest.Pytester, examples_importable: None
) -> None:
    """A local python environment (built) and a clone that fails: each starts and ends once."""
    repo.write("a.py", "x = 1\n")
    missing = (pytester.path.parent / "no-such-repo").as_uri()
    repo.config(
        LOCAL
        + hook("py", "python -c pass", language="python", pass_filenames=False)
        + f"- repo: {missing}\n  rev: v1.0.0\n  hooks:\n  - id: remote\n"
    )
    repo.commit()
    events = repo.outside("events.jsonl")
    args = ("--hooks", "-v", "-p", "examples.events_jsonl", "-p", "no:cacheprovider")
    for run in range(2):
        os.environ["HOOKRUN_EVENTS_JSONL"] = str(events)
        try:
            result = pytester.runpytest(*args)
        finally:
            del os.environ["HOOKRUN_EVENTS_JSONL"]
        assert outcomes(result) == {"py": "PASSED", "remote": "ERROR"}
        rows = [r for r in read_jsonl(events) if str(r["event"]).startswith("install")]
        if run == 0:
            # the python environment is built; the clone fails; each starts before it ends
            by = {(r["event"], r["language"]): r for r in rows}
            assert sorted(by) == [
                ("install_finish", "git"),
                ("install_finish", "python"),
                ("install_start", "git"),
                ("install_start", "python"),
            ]
            assert by[("install_finish", "python")]["error"] is None
            assert by[("install_finish", "python")]["repo"] == "local"
            assert f"{missing}" in str(by[("install_finish", "git")]["error"])
            assert rows.index(by[("install_start", "python")]) < rows.index(
                by[("install_finish", "python")]
            )
            first = len(rows)
        else:
            # the environment is reused; the failed clone is tried (and fails) again
            again = rows[first:]
            assert {(r["event"], r["language"]) for r in again} == {
                ("install_start", "git"),
                ("install_finish", "git"),
            }
