#!/usr/bin/env python3
"""What one more hook costs each tool, beyond starting the hook's process.

Two repositories of one file each: one with a single ``language: system`` hook running
``true``, one with ``--hooks`` (default 100) such hooks.  Each tool runs both (medians
of ``--runs``); a hook's cost is the difference divided by the hooks added.  The cost of
starting ``true`` itself is measured apart (spawned from Python, the way each tool starts
a process) and subtracted: what is left is the tool's own overhead per hook, the
scheduling, bookkeeping and reporting around each process.

Usage: ``python bench/overhead.py [--hooks N] [--runs N] [--json]``.  Needs ``pre-commit``
and ``prek`` on PATH for their rows (missing tools are left out).  Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # bench/_common.py, next to this file
    LEAN_START,
    bench_env,
    commit_all,
    interpreter_path,
    markdown_table,
    measure,
    tool_version,
    utc_now,
)

TIMEOUT = 300.0


def config(n: int) -> str:
    lines = ["repos:", "  - repo: local", "    hooks:"]
    for i in range(n):
        lines += [
            f"      - id: t{i}",
            f"        name: t{i}",
            "        entry: 'true'",
            "        language: system",
        ]
    return "\n".join(lines) + "\n"


def build(root: Path, n: int) -> Path:
    root.mkdir(parents=True)
    (root / "a.txt").write_text("x\n")
    (root / ".pre-commit-config.yaml").write_text(config(n))
    commit_all(root, "hooks")
    return root


def spawn_seconds(runs: int = 200) -> float:
    """Median wall time of starting and waiting for ``true``."""
    true = shutil.which("true") or "/bin/true"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([true, "a.txt"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tools(python: str) -> dict[str, list[str]]:
    pytest = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hooks-no-cache"]
    found = {
        "pytest --hooks": [*pytest, "--hooks", ".pre-commit-config.yaml"],
        "pytest --hooks (lean)": [*pytest, *LEAN_START, "--hooks", ".pre-commit-config.yaml"],
    }
    for name in ("pre-commit", "prek"):
        exe = shutil.which(name)
        if exe:
            found[name] = [exe, "run", "--all-files", "--color", "never"]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--hooks", type=int, default=100, help="hooks in the big config")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool and config")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    env = bench_env(interpreter_path())
    spawn = spawn_seconds()
    rows: list[list[str]] = []
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="hookrun-overhead-") as tmp:
        small, big = build(Path(tmp) / "one", 1), build(Path(tmp) / "many", args.hooks)
        home = {
            "PRE_COMMIT_HOME": str(Path(tmp) / "pc"),
            "PREK_HOME": str(Path(tmp) / "prek"),
            "HOOKRUN_HOME": str(Path(tmp) / "hookrun"),
        }
        for name, cmd in tools(sys.executable).items():
            times: dict[str, list[float]] = {"one": [], "many": []}
            for round_ in range(args.runs + 1):  # the first round warms up, untimed
                for label, repo in (("one", small), ("many", big)):
                    got = measure(cmd, repo, {**env, **home}, TIMEOUT)
                    if got.returncode != 0:
                        print(f"{name} failed in {repo}:\n{got.output}", file=sys.stderr)
                        return 1
                    if round_:
                        times[label].append(got.seconds)
            one, many = statistics.median(times["one"]), statistics.median(times["many"])
            per_hook = (many - one) / (args.hooks - 1)
            results[name] = {"one": one, "many": many, "per_hook": per_hook}
            rows.append(
                [
                    name,
                    f"{one:.2f} s",
                    f"{many:.2f} s",
                    f"{per_hook * 1000:.1f} ms",
                    f"{(per_hook - spawn) * 1000:.1f} ms",
                ]
            )
    if args.json:
        versions = {n: tool_version([n]) for n in ("pre-commit", "prek") if shutil.which(n)}
        print(json.dumps({"spawn": spawn, "versions": versions, "tools": results}, indent=2))
        return 0
    print(f"{utc_now()}; starting `true`: {spawn * 1000:.1f} ms; medians of {args.runs}\n")
    header = ["tool", "1 hook", f"{args.hooks} hooks", "per hook", "per hook beyond its process"]
    print(markdown_table(header, rows, {1, 2, 3, 4}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
