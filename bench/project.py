#!/usr/bin/env python3
"""A real project's own config on its own sources: pre-commit vs prek vs ``pytest --hooks``.

bench/remote.py runs a config of this project's choosing on generated files. This script
runs a real project's ``.pre-commit-config.yaml``, unmodified but for where its hook
repos live, on that project's real sources:

- the sources: the project's sdist from PyPI (``--sdist``, default flask 3.1.3), unpacked
  into a new git repository;
- the config: ``--config`` (default flask's, from ../shared/corpus/precommit-configs/),
  each remote repo pointed at its local mirror (bench/mirrors.py, built from PyPI) at the
  mirror's tag. A hook whose repo has no mirror, or whose id the mirror's manifest lacks,
  is left out and named (flask's uv-lock: ``uv lock`` resolves against the network);
- the tree is settled first: pre-commit runs on it until it changes nothing more, and
  the result is committed (the hooks' newer releases differ from the project's pins), so
  a run is what a developer of the project sees on a clean checkout.

After one untimed warm-up run per tool (each builds its store in the benchmark's own
directory), ``--runs`` rounds run every tool's full run, ``run --all-files`` (pytest-hookrun
with ``--hooks-no-cache``, in the lean start its git hooks use), on a reset tree. The
tools' order turns from round to round, so a slow spell of the machine does not fall on
one tool. Every run's exit status and resulting tree must be pre-commit's.

Usage: ``python bench/project.py [--runs 7] [--sdist flask==3.1.3] [--config PATH]
[--mirrors DIR] [--hookrun-rev REV] [--keep]``. Needs pre-commit and prek on PATH,
pytest-hookrun installed (PyYAML comes with it) and the package index.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common  # bench/_common.py, next to this file
import mirrors  # bench/mirrors.py, next to this file
import remote  # bench/remote.py: the tools' commands, and --hookrun-rev

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "precommit-configs"
RUN_TIMEOUT = 600.0
TOOLS = ("pre-commit", "prek", "pytest-lean")
PIP_DOWNLOAD = (sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:")


@dataclass
class Timed:
    """One tool's runs: wall and CPU seconds, and whether each matched pre-commit's."""

    tool: remote.Tool
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)


def download_sdist(requirement: str, dest: Path, env: Mapping[str, str]) -> Path:
    """The project's sources: its sdist from the package index, unpacked in ``dest``."""
    downloads = dest.parent / "sdist"
    subprocess.run(
        [*PIP_DOWNLOAD, "-d", str(downloads), requirement],
        check=True,
        env=dict(env),
        stdout=subprocess.DEVNULL,
    )
    (archive,) = downloads.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(downloads, filter="data")
    (top,) = (p for p in downloads.iterdir() if p.is_dir())
    shutil.move(str(top), dest)
    return dest


def mirrored_config(
    text: str, mirror_map: Mapping[str, mirrors.Mirror]
) -> tuple[dict[str, Any], list[str]]:
    """The config with each remote repo at its mirror; (config, what was left out)."""
    by_name = {name.lower(): m for name, m in mirror_map.items()}
    config = yaml.safe_load(text)
    left_out: list[str] = []
    repos = []
    for repo in config.get("repos", []):
        url = str(repo.get("repo", ""))
        if url in ("local", "meta"):
            repos.append(repo)
            continue
        name = url.removeprefix("https://github.com/").removesuffix(".git").lower()
        mirror = by_name.get(name)
        if mirror is None:
            left_out += [f"{h['id']} ({name}: no mirror)" for h in repo.get("hooks", [])]
            continue
        manifest = yaml.safe_load(
            common.git(mirror.path, "show", f"{mirror.rev}:.pre-commit-hooks.yaml")
        )
        known = {h["id"] for h in manifest}
        hooks = [h for h in repo.get("hooks", []) if h["id"] in known]
        left_out += [f"{h['id']} (not in {name}'s mirror)" for h in repo["hooks"] if h not in hooks]
        if hooks:
            repos.append({**repo, "repo": mirror.url, "rev": mirror.rev, "hooks": hooks})
    config["repos"] = repos
    return config, left_out


def settle(repo: Path, pre_commit: str, env: Mapping[str, str]) -> int:
    """Run pre-commit until it changes nothing, then commit: the project's clean state
    under these hook releases. Returns how many runs changed files."""
    changed = 0
    for _ in range(4):
        before = common.tree_hash(common.tree_files(repo, exclude_ignored=True))
        common.measure((pre_commit, "run", "--all-files"), repo, env, RUN_TIMEOUT)
        if common.tree_hash(common.tree_files(repo, exclude_ignored=True)) == before:
            break
        changed += 1
    common.commit_all(repo, "settled by the hooks")
    return changed


def run_tool(tool: remote.Tool, repo: Path, env: Mapping[str, str]) -> common.Measured:
    common.reset(repo, ignored=True)
    return common.measure(tool.command("full", None), repo, {**env, **dict(tool.env)}, RUN_TIMEOUT)


def summary(rows: Sequence[Timed]) -> list[str]:
    base = {row.tool.key: statistics.median(row.seconds) for row in rows}
    header = ("tool", "median s", "min s", "cpu s", "vs pre-commit", "vs prek")
    body = []
    for row in rows:
        mine = statistics.median(row.seconds)
        body.append(
            (
                row.tool.label,
                f"{mine:.3f}",
                f"{min(row.seconds):.3f}",
                f"{statistics.median(row.cpu):.2f}",
                f"{mine / base['pre-commit']:.2f}x",
                f"{mine / base['prek']:.2f}x" if "prek" in base else "-",
            )
        )
    lines = [common.markdown_table(header, body, numeric={1, 2, 3, 4, 5}), ""]
    lines.append("vs X: this median over X's (below 1: faster than X)")
    by_key = {row.tool.key: row for row in rows}
    lean = by_key.get("pytest-lean")
    for other in ("pre-commit", "prek"):
        if lean is None or other not in by_key:
            continue
        paired = [a / b for a, b in zip(lean.seconds, by_key[other].seconds, strict=True)]
        lines.append(
            f"lean start / {other}, round by round: "
            + " ".join(f"{r:.2f}" for r in paired)
            + f" (median {statistics.median(paired):.2f})"
        )
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument("--sdist", default="flask==3.1.3", help="the project's sources")
    parser.add_argument("--config", type=Path, default=CORPUS / "pallets__flask.yaml")
    parser.add_argument("--mirrors", type=Path, help="build the mirrors here and keep them")
    parser.add_argument("--hookrun-rev", help="pytest_hookrun as committed at REV")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    path = common.interpreter_path()
    pre_commit, prek = shutil.which("pre-commit", path=path), shutil.which("prek", path=path)
    if pre_commit is None or prek is None:
        print("bench: pre-commit and prek must be on PATH", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="hookrun-project-bench-"))
    try:
        env = common.bench_env(path)
        env.update(remote.caches(tmp / "caches"))
        mirror_map = mirrors.build_all(args.mirrors or tmp / "mirrors")
        config, left_out = mirrored_config(args.config.read_text(encoding="utf-8"), mirror_map)
        repo = download_sdist(args.sdist, tmp / "repo", env)
        (repo / common.CONFIG).write_text(yaml.safe_dump(config, sort_keys=False))
        common.commit_all(repo, f"{args.sdist} and {args.config.name}")
        tools = [t for t in remote.make_tools(sys.executable, pre_commit, prek) if t.key in TOOLS]
        hookrun_said = common.hookrun_version()
        if args.hookrun_rev:
            source, hookrun_said = remote.export_hookrun(args.hookrun_rev, tmp / "hookrun-src")
            pythonpath = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
            tools = [
                replace(t, env=(*t.env, ("PYTHONPATH", pythonpath))) if t.parse == "pytest" else t
                for t in tools
            ]
        env = {**env, **{t.store_var: str(tmp / "stores" / t.key) for t in tools}}
        changed = settle(repo, pre_commit, env)
        files = common.git(repo, "ls-files").splitlines()
        hooks = [h["id"] for r in config["repos"] for h in r["hooks"]]
        print(f"sources: {args.sdist}, {len(files)} files; settled in {changed} run(s)")
        print(f"config: {args.config.name}: {len(hooks)} hooks: {', '.join(hooks)}")
        if left_out:
            print(f"  left out: {', '.join(left_out)}")
        reference = run_tool(tools[0], repo, env)  # also each tool's warm-up
        tree = common.tree_hash(common.tree_files(repo, exclude_ignored=True))
        rows = [Timed(t) for t in tools]
        for row in rows[1:]:
            run_tool(row.tool, repo, env)
        for number in range(args.runs):
            turn = number % len(rows)
            for row in rows[turn:] + rows[:turn]:
                done = run_tool(row.tool, repo, env)
                row.seconds.append(done.seconds)
                row.cpu.append(done.cpu_seconds)
                now = common.tree_hash(common.tree_files(repo, exclude_ignored=True))
                if done.returncode != reference.returncode or now != tree:
                    row.mismatches.append(
                        f"round {number + 1}: exit {done.returncode}, tree {now[:8]}\n"
                        + done.output[-2000:]
                    )
            print(
                f"round {number + 1}/{args.runs}: "
                + ", ".join(f"{r.tool.key} {r.seconds[-1]:.3f}" for r in rows),
                flush=True,
            )
        print()
        print("\n".join(summary(rows)))
        print(
            f"\n{common.utc_now()}; {args.runs} rounds after one warm-up run per tool; "
            f"{os.cpu_count()} CPUs; pre-commit exit {reference.returncode} (every tool "
            f"must match it and its tree); "
            + "; ".join(f"{t.key} {common.tool_version(t.argv[:1])}" for t in tools[:2])
            + f"; pytest-hookrun {hookrun_said}"
        )
        mismatched = [row for row in rows if row.mismatches]
        for row in mismatched:
            print(f"\n{row.tool.label} differs from pre-commit:\n" + "\n".join(row.mismatches))
        return 1 if mismatched else 0
    finally:
        common.finish_tmp(tmp, args.keep, print)


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)
    sys.exit(code)
