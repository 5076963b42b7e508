#!/usr/bin/env python3
"""Scale: a 50,000-file repository, 300 hooks, a hook that prints 200 MB.

Builds, in a temporary directory:

* a git repository of ``--files`` files (Python, Markdown, text, JSON, YAML, C,
  PNG, extensionless executable scripts with a shebang) in nested directories,
  with a config of 15 local hooks (pygrep and ``true`` system hooks) chosen by
  ``types``, ``types_or``, ``exclude_types``, ``files`` and ``exclude``;
* a small repository with ``--co-hooks`` local hooks;
* a small repository with one hook that prints ``--print-mb`` MB and fails.

and prints:

1. listing + filtering + typing, measured in-process (wall and CPU time): the run's own code
   (``jobs.make_jobs``, which lists with git, classifies and builds the plan) with
   the tag cache read from and written to a marshal file as the plugin does. Cold:
   no cache; warm: the cache of the run before, nothing changed. The stages are
   also timed one by one (git ls-files, cache load, classifier, cache save).
2. the same end to end: ``pytest --hooks --hooks-plan json`` wall time, cold
   (no ``.pytest_cache``) and warm, minus a start-up baseline (the same command with
   ``--hooks-files`` naming one file: no listing, one file typed, no cache read).
3. reruns of ``pytest --hooks`` with its result cache, end to end: nothing changed, one
   Python file edited, and a commit's run (``--hooks-staged``: one file staged, another
   edited and not staged).
4. a full run over every file without the result cache beside ``pre-commit run
   --all-files`` and ``prek run --all-files`` (those installed), with the ratios.
5. ``pytest --hooks --co -q`` with ``--co-hooks`` hooks, minus ``pytest --co -q``
   without ``--hooks`` (start-up and an empty collection).
6. the peak RSS of ``pytest --hooks`` and everything it waited for (getrusage's
   RUSAGE_CHILDREN, read by a wrapper process) with the loud hook, and with a quiet
   one as the baseline.

pytest runs with plugin autoload off and ``-p pytest_hookrun.plugin``, so other
installed plugins do not add to the numbers. Times are medians of ``--runs``.

Usage: ``python bench/scale.py [--files N] [--co-hooks N] [--print-mb N] [--runs N]
[--json] [--keep]``. Stdlib only (and pytest-hookrun, installed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

CONFIG = ".pre-commit-config.yaml"

# (id, language, entry, keys): the 15 hooks of the large repository
HOOKS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("no-breakpoint", "pygrep", r"breakpoint\(", {"types": ["python"]}),
    ("markdown", "system", "true", {"types": ["markdown"]}),
    ("text-not-python", "system", "true", {"types": ["text"], "exclude_types": ["python"]}),
    ("json", "system", "true", {"types": ["json"]}),
    ("yaml", "system", "true", {"files": r"\.ya?ml$", "types": ["yaml"]}),
    ("c", "system", "true", {"types_or": ["c", "c++"]}),
    ("executables", "system", "true", {"types": ["executable", "text"]}),
    ("scripts", "pygrep", "TODO", {"types": ["python"], "files": "^pkg1/"}),
    ("binary", "system", "true", {"types": ["binary"]}),
    ("images", "system", "true", {"types": ["image"]}),
    ("pkg0", "system", "true", {"files": "^pkg0/", "exclude": r"\.md$"}),
    ("all-text", "system", "true", {"types": ["text"]}),
    ("no-sub1x", "system", "true", {"exclude": r"/sub1\d/"}),
    ("shell", "system", "true", {"types_or": ["shell", "python"]}),
    ("conflict", "pygrep", "^<<<<<<< ", {"types": ["text"]}),
]

PYTEST = [sys.executable, "-m", "pytest", "-p", "pytest_hookrun.plugin"]
PYTEST_ENV = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_ADDOPTS": ""}

RSS_WRAPPER = textwrap.dedent(
    """\
    import resource, subprocess, sys
    proc = subprocess.run(sys.argv[1:], capture_output=True)
    cut = b"[output cut" in proc.stdout
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, proc.returncode, cut)
    """
)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ("git", "-c", "user.email=bench@example.com", "-c", "user.name=bench", *args),
        cwd=root,
        check=True,
        capture_output=True,
    )


def hook_yaml(hook_id: str, language: str, entry: str, keys: dict[str, Any]) -> str:
    lines = [f"  - id: {hook_id}", f"    name: {hook_id}", f"    entry: {json.dumps(entry)}"]
    lines.append(f"    language: {language}")
    lines += [f"    {key}: {json.dumps(value)}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


def write_config(root: Path, hooks: Sequence[tuple[str, str, str, dict[str, Any]]]) -> None:
    text = "repos:\n- repo: local\n  hooks:\n" + "".join(hook_yaml(*h) for h in hooks)
    (root / CONFIG).write_text(text)


def init_repo(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    git(root, "config", "commit.gpgsign", "false")


def commit_all(root: Path) -> None:
    git(root, "add", ".")
    git(root, "commit", "-q", "--no-verify", "-m", "bench")


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def build_large(root: Path, count: int) -> None:
    """``count`` files of a dozen kinds, 100 per directory, 2,000 per package."""
    init_repo(root)
    kinds = ["py", "py", "py", "md", "txt", "json", "yaml", "c", "h", "png", "script", "js"]
    for i in range(count):
        kind = kinds[i % len(kinds)]
        folder = root / f"pkg{i // 2000}" / f"sub{i // 100}"
        if i % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        if kind == "png":
            (folder / f"image{i}.png").write_bytes(PNG)
        elif kind == "script":
            path = folder / f"tool{i}"  # no extension: identify reads the shebang
            path.write_text("#!/usr/bin/env python3\nprint('tool')\n")
            path.chmod(0o755)
        else:
            (folder / f"f{i}.{kind}").write_text(f"# file {i}\nvalue = {i}\n")
    write_config(root, HOOKS)
    commit_all(root)


def build_many_hooks(root: Path, count: int) -> None:
    init_repo(root)
    (root / "a.py").write_text("x = 1\n")
    hooks = [
        (f"hook{i}", "pygrep", "forbidden", {"files": r"\.py$"})
        if i % 2
        else (f"hook{i}", "system", "true", {"types": ["python"]})
        for i in range(count)
    ]
    write_config(root, hooks)
    commit_all(root)


def build_loud(root: Path, megabytes: int) -> None:
    init_repo(root)
    (root / "a.txt").write_text("a\n")
    line = "'x' * 1023 + '\\n'"
    loud = f"import sys; line = {line}; [sys.stdout.write(line) for _ in range({megabytes * 1024})]"
    write_config(
        root,
        [
            ("loud", "system", f"{sys.executable} -c {json.dumps(loud + '; sys.exit(1)')}",
             {"pass_filenames": False}),
            ("quiet", "system", f"{sys.executable} -c pass", {"pass_filenames": False}),
        ],
    )  # fmt: skip
    commit_all(root)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time of this process and its waited-for children (git): on a shared machine
    it moves less with the load than the wall time does."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- 1: in-process


def in_process(root: Path, runs: int) -> dict[str, Any]:
    """make_jobs as the run calls it, with the tag cache kept in a file as the plugin
    keeps it (pytest_hookrun.cachefile)."""
    from pytest_hookrun import cachefile
    from pytest_hookrun.config import load_config
    from pytest_hookrun.files import Classifier, tracked_files
    from pytest_hookrun.history import History
    from pytest_hookrun.jobs import SelectedHook, make_jobs
    from pytest_hookrun.settings import Settings
    from pytest_hookrun.tagcache import TagCache

    config = load_config(root / CONFIG)
    settings = Settings(
        enabled=True, config_path=root / CONFIG, jobs=2, timeout=600.0, kill_grace=2.0,
        serial=False, fail_fast=False, stage="pre-commit", files=None, from_ref=None,
        to_ref=None, plan_format="json",
    )  # fmt: skip
    selected = [
        SelectedHook(f"{CONFIG}::{h.id}", h, config, priority=None, depends_on=())
        for h in config.hooks
    ]
    store = root.parent / "tags"

    def load() -> object:
        return cachefile.read(store)

    def save(tags: TagCache) -> None:
        if tags.changed:
            cachefile.write(store, tags.to_json())

    def make_jobs_once() -> tuple[float, float, int, int]:
        tags = TagCache(load)
        cpu, start = cpu_seconds(), time.perf_counter()
        jobs = make_jobs(settings, selected, History(), tags=tags)[0]
        save(tags)
        elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        assert all(j.error_reason is None for j in jobs)
        return elapsed, cpu, tags.hits, tags.misses

    def stages() -> dict[str, float]:
        out: dict[str, float] = {}
        start = time.perf_counter()
        names = tracked_files(root)
        out["git ls-files"] = time.perf_counter() - start
        tags = TagCache(load)
        out["cache load"] = timed(tags.load)
        start = time.perf_counter()
        classifier = Classifier(root, names, config, tags=tags)
        for hook in config.hooks:
            classifier.for_hook(hook)
        out["classify (lstat, cache, identify, 15 hooks)"] = time.perf_counter() - start
        out["cache save"] = timed(lambda: save(tags))
        return out

    result: dict[str, Any] = {"cold": [], "warm": [], "cold stages": [], "warm stages": []}
    for _ in range(runs):
        store.unlink(missing_ok=True)
        result["cold"].append(make_jobs_once())
        result["warm"].append(make_jobs_once())
        store.unlink(missing_ok=True)
        result["cold stages"].append(stages())
        result["warm stages"].append(stages())
    return result


# --------------------------------------------------------------------------- 2-4: pytest


def run_pytest(root: Path, *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [*PYTEST, *args], cwd=root, env=PYTEST_ENV, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 5):  # 5: nothing collected (the baselines)
        raise SystemExit(f"pytest {' '.join(args)} failed in {root}:\n{proc.stdout[-3000:]}")
    return elapsed


def end_to_end(root: Path, runs: int) -> dict[str, list[float]]:
    plan = ("--hooks", "--hooks-plan", "json", "-q", CONFIG)
    one = next(p for p in sorted((root / "pkg0" / "sub0").iterdir()))
    out: dict[str, list[float]] = {"cold": [], "warm": [], "baseline": []}
    for _ in range(runs):
        shutil.rmtree(root / ".pytest_cache", ignore_errors=True)
        out["cold"].append(run_pytest(root, *plan))
        out["warm"].append(run_pytest(root, *plan))
        out["baseline"].append(run_pytest(root, *plan, "--hooks-files", str(one.relative_to(root))))
    return out


def reruns(root: Path, runs: int) -> dict[str, list[float]]:
    """``pytest --hooks`` with its result cache: nothing changed since the last run; one
    Python file edited; and a commit's run (``--hooks-staged``) with one file staged and
    another edited but not staged. Each edit is undone after its run."""
    run = ("--hooks", "-q", CONFIG)
    py = sorted((root / "pkg0" / "sub0").glob("*.py"))
    edited, unstaged = py[0], py[1]
    out: dict[str, list[float]] = {"nothing changed": [], "one file edited": [], "commit": []}
    run_pytest(root, *run)  # the result cache of every hook as it is now
    for number in range(runs):
        out["nothing changed"].append(run_pytest(root, *run))
        with open(edited, "a") as f:
            f.write(f"\nedited_{number} = 1\n")
        out["one file edited"].append(run_pytest(root, *run))
        with open(edited, "a") as f:
            f.write(f"\ncommitted_{number} = 1\n")
        subprocess.run(["git", "add", "--", str(edited)], cwd=root, check=True)
        with open(unstaged, "a") as f:
            f.write("\n# not staged\n")
        out["commit"].append(run_pytest(root, *run, "--hooks-staged"))
        subprocess.run(["git", "reset", "-q"], cwd=root, check=True)
        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
        run_pytest(root, *run)  # back to the cached state of the committed tree
    return out


def against_others(root: Path, runs: int, home: Path) -> dict[str, list[float]]:
    """A full run over every file, no result cache, beside pre-commit's and prek's
    ``run --all-files`` (each skipped when not installed), in turns; one untimed round
    first (pre-commit and prek set up their stores)."""
    tools = {
        "pytest --hooks --hooks-no-cache": [*PYTEST, "--hooks", "-q", "--hooks-no-cache", CONFIG],
        "pre-commit run --all-files": ["pre-commit", "run", "--all-files"],
        "prek run --all-files": ["prek", "run", "--all-files"],
    }
    env = {**PYTEST_ENV, "PRE_COMMIT_HOME": str(home / "pc"), "PREK_HOME": str(home / "prek")}
    found = {name: argv for name, argv in tools.items() if shutil.which(argv[0])}
    out: dict[str, list[float]] = {name: [] for name in found}
    for round_ in range(runs + 1):
        for name, argv in found.items():
            start = time.perf_counter()
            proc = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit(f"{name} failed in {root}:\n{proc.stdout[-3000:]}")
            if round_:
                out[name].append(elapsed)
    return out


def collect_only(root: Path, runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"hooks": [], "baseline": []}
    for _ in range(runs):
        out["hooks"].append(run_pytest(root, "--hooks", "--co", "-q"))
        out["baseline"].append(run_pytest(root, "--co", "-q"))
    return out


def peak_rss(root: Path, hook_id: str) -> tuple[int, int, bool]:
    """(max RSS in KiB of pytest or anything it waited for, exit code, output cut)."""
    argv = [*PYTEST, "--hooks", "-q", "-p", "no:cacheprovider", "-k", hook_id]
    out = subprocess.run(
        [sys.executable, "-c", RSS_WRAPPER, *argv],
        cwd=root,
        env=PYTEST_ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1]), out[2] == "True"


# --------------------------------------------------------------------------- main


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "load average at start": load,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--co-hooks", type=int, default=300)
    parser.add_argument("--print-mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="results as JSON on stdout")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hookrun-scale-"))
    results: dict[str, Any] = {"machine": machine(), "files": args.files}
    try:
        large, many, loud = tmp / "large", tmp / "many-hooks", tmp / "loud"
        log(f"building {args.files} files in {large} ...")
        build_large(large, args.files)
        build_many_hooks(many, args.co_hooks)
        build_loud(loud, args.print_mb)
        time.sleep(2.0)  # files younger than 2 s are not cached (racy): let the last settle

        log("1/6 listing, filtering, typing in-process ...")
        results["in-process"] = in_process(large, args.runs)
        log("2/6 the same through pytest --hooks-plan json ...")
        results["end-to-end"] = end_to_end(large, args.runs)
        log("3/6 reruns: nothing changed, one file edited, a commit ...")
        results["reruns"] = reruns(large, args.runs)
        log("4/6 a full run beside pre-commit and prek ...")
        results["full run"] = against_others(large, args.runs, tmp)
        log(f"5/6 --co with {args.co_hooks} hooks ...")
        results["collect-only"] = collect_only(many, args.runs)
        log(f"6/6 peak RSS with a hook printing {args.print_mb} MB ...")
        results["rss"] = {"quiet": peak_rss(loud, "quiet"), "loud": peak_rss(loud, "loud")}
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    if args.json:
        print(json.dumps(results, indent=2))
        return
    report(results, args)


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    m = results["machine"]
    print(f"{m['date']}, {m['cpus']} CPUs, load average {m['load average at start']}, "
          f"Python {m['python']}, {m['platform']}")  # fmt: skip
    ip = results["in-process"]
    print(f"\nListing + filtering + typing, {args.files} files, 15 hooks "
          f"(in-process: jobs.make_jobs; medians of {args.runs}):")  # fmt: skip
    for which in ("cold", "warm"):
        times, cpu = [r[0] for r in ip[which]], [r[1] for r in ip[which]]
        hits, misses = ip[which][-1][2:]
        print(f"  {which}: {median(times):.2f} s (min {min(times):.2f}; CPU {median(cpu):.2f} s; "
              f"identify asked {misses}, cache answered {hits})")  # fmt: skip
    for which in ("cold stages", "warm stages"):
        names = list(ip[which][0])
        parts = ", ".join(f"{n} {median([s[n] for s in ip[which]]):.3f}" for n in names)
        print(f"  {which}: {parts}")
    e2e = results["end-to-end"]
    base = median(e2e["baseline"])
    print("\nThe same end to end, pytest --hooks --hooks-plan json "
          f"(baseline: one file given, {base:.2f} s):")  # fmt: skip
    for which in ("cold", "warm"):
        print(f"  {which}: {median(e2e[which]):.2f} s, {median(e2e[which]) - base:.2f} s "
              "over the baseline")  # fmt: skip
    print(f"\nReruns, pytest --hooks with its result cache (medians of {args.runs}):")
    for which, times in results["reruns"].items():
        print(f"  {which}: {median(times):.2f} s")
    full = {name: median(times) for name, times in results["full run"].items()}
    ours = full.get("pytest --hooks --hooks-no-cache")
    print(f"\nA full run over every file, no result cache (medians of {args.runs}):")
    for name, value in full.items():
        mine = ours is None or name.startswith("pytest")
        ratio = "" if ours is None or mine else f" (pytest-hookrun / this: {ours / value:.2f})"
        print(f"  {name}: {value:.2f} s{ratio}")
    co = results["collect-only"]
    hooks, empty = median(co["hooks"]), median(co["baseline"])
    print(f"\n--co with {args.co_hooks} hooks: {hooks:.2f} s; without --hooks {empty:.2f} s; "
          f"difference {hooks - empty:.2f} s")  # fmt: skip
    quiet, loud = results["rss"]["quiet"], results["rss"]["loud"]
    print(f"\nPeak RSS, a hook printing {args.print_mb} MB: {loud[0] / 1024:.0f} MiB "
          f"(exit {loud[1]}, output cut: {loud[2]}); "
          f"a quiet hook: {quiet[0] / 1024:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
