#!/usr/bin/env python3
"""Wall-clock benchmark: pre-commit vs prek vs ``pytest --hooks`` on one realistic repo.

Builds, in a temporary directory, a git repository of 2,000 (``--files``) Python and
text files in nested directories and a ``.pre-commit-config.yaml`` of local hooks only (no
network): two writers (trailing-whitespace and end-of-file fixers) followed by read-only
checkers (pygrep checks and Python scripts), as a real project lists them.  Every hook
gets ``priority: 0`` (prek runs hooks of equal priority concurrently) and every checker
``read_only: true`` (pytest-hookrun's key); pre-commit and prek ignore the keys they do
not know, with a warning.

Each tool runs on its own copy of the repository, reset with
``git checkout -- . && git clean -fdq`` before every run so every run does the same
work.  Each tool is warmed once, then the tools take turns, ``--runs`` rounds.  After
each run the script records the exit code, the verdict of every hook and a hash of the
working tree, and reports every run (warm-ups too) whose results differ from those of
pre-commit's first run, the serial reference; the script then exits 1.

Usage: ``python bench/run.py [--runs N] [--files N] [--json] [--keep]``.
Stdlib only; see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common  # bench/_common.py, next to this file

RUN_TIMEOUT = 600.0

# --------------------------------------------------------------------------- hook scripts

LINE_LENGTH_SCRIPT = '''\
#!/usr/bin/env python3
"""Fail on lines longer than --max characters (trailing whitespace counts)."""

import argparse
import sys


def main() -> int:
    """Check every file given on the command line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=100)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    status = 0
    for name in args.files:
        with open(name, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                length = len(line.rstrip("\\r\\n"))
                if length > args.max:
                    print(f"{name}:{number}: line too long ({length} > {args.max})")
                    status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
'''

DOCSTRINGS_SCRIPT = '''\
#!/usr/bin/env python3
"""Fail on public modules, classes and functions without a docstring."""

import ast
import sys


def missing(tree: ast.Module) -> list[tuple[int, str]]:
    """Return (line, name) of every public definition without a docstring."""
    found = []
    if ast.get_docstring(tree) is None:
        found.append((1, "<module>"))
    for node in ast.walk(tree):
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        if isinstance(node, kinds) and not node.name.startswith("_"):
            if ast.get_docstring(node) is None:
                found.append((node.lineno, node.name))
    return found


def main() -> int:
    """Check every file given on the command line."""
    status = 0
    for name in sys.argv[1:]:
        with open(name, "rb") as f:
            tree = ast.parse(f.read(), filename=name)
        for line, what in missing(tree):
            print(f"{name}:{line}: {what} has no docstring")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
'''

TRAILING_WHITESPACE_SCRIPT = '''\
#!/usr/bin/env python3
"""Strip trailing whitespace in place (as pre-commit-hooks' trailing-whitespace does)."""

import sys


def fix(name: str) -> bool:
    """Rewrite the file without trailing whitespace; True when it changed."""
    with open(name, "rb") as f:
        lines = f.readlines()
    fixed = []
    for line in lines:
        end = b"\\r\\n" if line.endswith(b"\\r\\n") else b"\\n" if line.endswith(b"\\n") else b""
        fixed.append(line[: len(line) - len(end)].rstrip(b" \\t") + end)
    if fixed == lines:
        return False
    with open(name, "wb") as f:
        f.writelines(fixed)
    return True


def main() -> int:
    """Fix every file given on the command line."""
    status = 0
    for name in sys.argv[1:]:
        if fix(name):
            print(f"Fixing {name}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
'''

END_OF_FILE_SCRIPT = '''\
#!/usr/bin/env python3
"""Make every file end in exactly one newline (as pre-commit-hooks' end-of-file-fixer)."""

import sys


def fix(name: str) -> bool:
    """Rewrite the file's end; True when it changed."""
    with open(name, "rb") as f:
        data = f.read()
    if not data:
        return False
    fixed = data.rstrip(b"\\r\\n") + b"\\n"
    if fixed == data:
        return False
    with open(name, "wb") as f:
        f.write(fixed)
    return True


def main() -> int:
    """Fix every file given on the command line."""
    status = 0
    for name in sys.argv[1:]:
        if fix(name):
            print(f"Fixing {name}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
'''

SCRIPTS = {
    "tools/check_line_length.py": LINE_LENGTH_SCRIPT,
    "tools/check_docstrings.py": DOCSTRINGS_SCRIPT,
    "tools/fix_trailing_whitespace.py": TRAILING_WHITESPACE_SCRIPT,
    "tools/fix_end_of_file.py": END_OF_FILE_SCRIPT,
}

SYNTAX_ENTRY = (
    "python -c \"import sys; [compile(open(f, 'rb').read(), f, 'exec') for f in sys.argv[1:]]\""
)
JSON_ENTRY = "python -c \"import json, sys; [json.load(open(f, 'rb')) for f in sys.argv[1:]]\""


@dataclass(frozen=True)
class HookSpec:
    id: str
    name: str
    entry: str
    language: str
    types: tuple[str, ...]
    writer: bool
    args: tuple[str, ...] = ()


HOOKS: tuple[HookSpec, ...] = (
    HookSpec(
        "fix-trailing-whitespace",
        "trim trailing whitespace",
        "tools/fix_trailing_whitespace.py",
        "script",
        ("text",),
        writer=True,
    ),
    HookSpec(
        "fix-end-of-file",
        "fix end of files",
        "tools/fix_end_of_file.py",
        "script",
        ("text",),
        writer=True,
    ),
    HookSpec("check-syntax", "python syntax", SYNTAX_ENTRY, "system", ("python",), False),
    HookSpec(
        "check-docstrings",
        "public docstrings",
        "tools/check_docstrings.py",
        "script",
        ("python",),
        False,
    ),
    HookSpec(
        "check-line-length",
        "line length",
        "tools/check_line_length.py",
        "script",
        ("python",),
        False,
        ("--max=100",),
    ),
    HookSpec(
        "no-debug-statements",
        "no debugger calls",
        r"(^|\s)(breakpoint\(\)|import i?pdb|i?pdb\.set_trace\(\))",
        "pygrep",
        ("python",),
        False,
    ),
    HookSpec(
        "todo-needs-issue",
        "TODOs name an issue",
        r"#\s*(TODO|FIXME)(?!\(#\d+\))",
        "pygrep",
        ("python",),
        False,
    ),
    HookSpec(
        "check-merge-conflict",
        "no merge conflict markers",
        r"^(<<<<<<<|>>>>>>>)( |$)",
        "pygrep",
        ("text",),
        False,
    ),
    HookSpec("check-json", "json parses", JSON_ENTRY, "system", ("json",), False),
)


def _yaml_str(value: str) -> str:
    """A single-quoted YAML scalar (no escapes but doubled single quotes)."""
    return "'" + value.replace("'", "''") + "'"


def config_text(hooks: Sequence[HookSpec]) -> str:
    lines = [
        "# Local hooks only: runs without network.",
        "# priority: prek runs hooks of equal priority concurrently.",
        "# read_only: pytest-hookrun may run a checker alongside other readers.",
        "repos:",
        "  - repo: local",
        "    hooks:",
    ]
    for hook in hooks:
        lines.append(f"      - id: {hook.id}")
        lines.append(f"        name: {_yaml_str(hook.name)}")
        lines.append(f"        entry: {_yaml_str(hook.entry)}")
        lines.append(f"        language: {hook.language}")
        lines.append(f"        types: [{', '.join(hook.types)}]")
        if hook.args:
            lines.append(f"        args: [{', '.join(_yaml_str(a) for a in hook.args)}]")
        lines.append("        priority: 0")
        if not hook.writer:
            lines.append("        read_only: true")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the repository


@dataclass
class LocalRepoStats(common.RepoStats):
    python_files: int = 0
    long_line_files: int = 0


class LocalGenerator(common.Generator):
    """Python modules and prose as the local hooks see them; JSON data; rarely a long line."""

    stats: LocalRepoStats

    def python_module(self) -> str:
        rng = self.rng
        lines = [
            f'"""{self.sentence(rng.randint(5, 10))}"""',
            "",
            "from __future__ import annotations",
        ]
        lines += ["", "import collections", "import itertools", ""]
        for _ in range(rng.randint(1, 4)):
            lines.append(f"{self.name().upper()} = {rng.randint(0, 10_000)}")
        for _ in range(rng.randint(1, 4)):
            lines += ["", "", *self.function("", method=False)]
        for _ in range(rng.randint(0, 1)):
            cname = "".join(w.title() for w in self.name().split("_"))
            lines += ["", "", f"class {cname}:", f'    """{self.sentence(rng.randint(4, 8))}"""']
            for _ in range(rng.randint(1, 3)):
                lines += ["", *self.function("    ", method=True)]
        return self.finish(lines)

    def json_doc(self) -> str:
        rng = self.rng
        doc = {
            self.name(): {
                "enabled": rng.random() < 0.5,
                "limit": rng.randint(0, 1000),
                "tags": rng.sample(common.WORDS, 3),
            }
            for _ in range(rng.randint(3, 15))
        }
        return json.dumps(doc, indent=2) + "\n"

    def more_defects(self, lines: list[str]) -> None:
        """Rarely, one line over 100 characters (check-line-length fails on it)."""
        rng = self.rng
        if rng.random() < 0.002 and lines[0].startswith('"""'):
            self.stats.long_line_files += 1
            lines.insert(1, "# " + " ".join(rng.choice(common.WORDS) for _ in range(24)))


def build_repo(root: Path, n_files: int, seed: int) -> LocalRepoStats:
    rng = random.Random(seed)
    stats = LocalRepoStats()
    gen = LocalGenerator(rng, stats)
    root.mkdir(parents=True)
    dirs, doc_dirs, files = common.source_layout(rng)
    data_dirs = [f"config/{w}" for w in rng.sample(common.WORDS, 4)]
    fixed = len(files) + len(SCRIPTS) + 3  # + README.md, pyproject.toml, the config
    n_python = int(n_files * 0.75) - len(files)
    n_json = max(1, n_files // 20)
    n_prose = n_files - fixed - n_python - n_json
    if min(n_python, n_prose) < 1:
        raise ValueError(f"{n_files} files are too few")
    for i in range(n_python):
        files[f"{rng.choice(dirs)}/{gen.name()}_{i}.py"] = gen.python_module()
    for i in range(n_prose):
        suffix = rng.choice([".md", ".md", ".rst", ".txt"])
        files[f"{rng.choice(doc_dirs)}/{gen.name()}_{i}{suffix}"] = gen.prose(suffix)
    for i in range(n_json):
        files[f"{rng.choice(data_dirs)}/{gen.name()}_{i}.json"] = gen.json_doc()
    files["README.md"] = "# Benchmark repository\n\nGenerated by bench/run.py.\n"
    files["pyproject.toml"] = '[project]\nname = "app"\nversion = "0.1.0"\n'
    files[common.CONFIG] = config_text(HOOKS)
    files.update(SCRIPTS)
    common.write_files(root, files, stats, executable=SCRIPTS)
    stats.python_files = stats.by_suffix.get(".py", 0)
    common.commit_all(root, "Generated benchmark repository")
    return stats


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    argv: tuple[str, ...]
    parse: str  # "status-lines" (pre-commit, prek) or "pytest"


def run_once(
    tool: Tool, repo: Path, env: Mapping[str, str], reference: common.Reference | None
) -> tuple[common.Run, str]:
    common.reset(repo)
    done = common.measure(tool.argv, repo, env, RUN_TIMEOUT)
    hooks = common.parse_statuses(tool.parse, done.output, {h.name: h.id for h in HOOKS}).hooks
    files = common.tree_files(repo)
    run = common.Run(
        done.seconds,
        done.cpu_seconds,
        done.returncode,
        common.tree_hash(files),
        hooks,
        files,
        done.other_cpu_seconds,
    )
    if reference is not None and files != reference.files:
        run.diffs = reference.diffs(repo, files)
    return run, done.output


def make_tools(python: str, pre_commit: str, prek: str) -> list[Tool]:
    pytest_argv = (python, "-m", "pytest", "--hooks", common.CONFIG, "-q", "-p", "no:cacheprovider")
    report = ("-rfEsp",)  # one PASSED/FAILED/... line per hook, for the verdict check
    lean = (python, "-m", "pytest", *common.LEAN_START)
    return [
        Tool(
            "pre-commit",
            "pre-commit",
            (pre_commit, "run", "--all-files", "--color", "never"),
            "status-lines",
        ),
        Tool("prek", "prek", (prek, "run", "--all-files", "--color", "never"), "status-lines"),
        Tool("pytest", "pytest --hooks", (*pytest_argv, *report), "pytest"),
        Tool(
            "pytest-serial",
            "pytest --hooks --hooks-serial",
            (*pytest_argv, "--hooks-serial", *report),
            "pytest",
        ),
        # no other installed plugin loaded: what the git hooks `hookrun install` writes run
        Tool(
            "pytest-lean",
            "pytest --hooks, lean start",
            (*lean, *pytest_argv[3:], *report),
            "pytest",
        ),
    ]


# --------------------------------------------------------------------------- checks


def check_results(rows: Sequence[common.Row]) -> list[str]:
    """Differences in final tree, pass/fail and per-hook verdicts; empty when all agree.

    The reference is pre-commit's first run: hooks one at a time in config order.  Every
    run of every tool, warm-ups included, is compared with it.
    """
    problems: list[str] = []
    ref_name, ref = rows[0].all_runs[0]
    ref_label = f"{rows[0].tool.label} {ref_name}"
    for row in rows:
        for name, run in row.all_runs:
            if run is not ref:
                label = f"{row.tool.label} {name}"
                problems += common.compare_run(label, run, ref, ref_label, (h.id for h in HOOKS))
    return problems


# --------------------------------------------------------------------------- output


def table(rows: Sequence[common.Row]) -> str:
    """A Markdown table: one row per tool; text columns left, numbers right."""
    base = {row.tool.key: row.median for row in rows}
    header = ("tool", "median s", "min s", "vs pre-commit", "vs prek", "cpu s", "exit", "tree")
    body = [
        (
            row.tool.label,
            f"{row.median:.2f}",
            f"{row.best:.2f}",
            common.ratio(base["pre-commit"], row.median),
            common.ratio(base["prek"], row.median),
            f"{row.cpu:.1f}",
            "/".join(sorted({str(r.exit_code) for r in row.runs})),
            "/".join(sorted({r.tree[:8] for r in row.runs})),
        )
        for row in rows
    ]
    return common.markdown_table(header, body, {1, 2, 3, 4, 5})


def hook_table(rows: Sequence[common.Row]) -> str:
    lines = ["hook verdicts (first timed run): " + ", ".join(r.tool.label for r in rows)]
    for hook in HOOKS:
        verdicts = [row.runs[0].hooks.get(hook.id, "?") for row in rows]
        kind = "writer" if hook.writer else "read-only"
        lines.append(f"  {hook.id:<24} {kind:<9} " + " ".join(f"{v:<8}" for v in verdicts))
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    parser.add_argument("--files", type=int, default=2000, help="files in the repo (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the generated repo")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--show-output", action="store_true", help="print each tool's output of its warm-up run"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.files < 200:
        parser.error("--runs must be at least 1 and --files at least 200")

    path = common.interpreter_path()
    pre_commit = shutil.which("pre-commit", path=path)
    prek = shutil.which("prek", path=path)
    if pre_commit is None or prek is None:
        print("bench: pre-commit and prek must be on PATH", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="hookrun-bench-"))
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else print
    try:
        started = time.perf_counter()
        source = tmp / "source"
        stats = build_repo(source, args.files, args.seed)
        log(
            f"repo: {stats.files} files ({stats.python_files} Python), {stats.lines} lines, "
            f"{stats.bytes / 1e6:.1f} MB; to fix: {stats.trailing_whitespace_files} with "
            f"trailing whitespace, {stats.end_of_file_files} with a bad end of file; "
            f"{stats.long_line_files} with a long line"
        )
        # prek finds Python for pygrep hooks with uv: one on PATH, else it installs one
        # into PREK_HOME on its first (warm-up) run; through pip (bench_env), not its
        # download list.
        env = common.bench_env(path)
        env.update(PRE_COMMIT_HOME=str(tmp / "pre-commit-home"), PREK_HOME=str(tmp / "prek-home"))
        tools = make_tools(sys.executable, pre_commit, prek)
        rows = [common.Row(tool) for tool in tools]
        repos: dict[str, Path] = {}
        reference: common.Reference | None = None  # pre-commit's warm-up: the first run of all
        for row in rows:
            repo = tmp / row.tool.key
            shutil.copytree(source, repo, symlinks=True)
            repos[row.tool.key] = repo
            row.warmup, output = run_once(row.tool, repo, env, reference)
            if reference is None:
                reference = common.Reference.capture(repo, row.warmup.files)
            log(
                f"warm-up {row.tool.label}: {row.warmup.seconds:.2f} s, exit {row.warmup.exit_code}"
            )
            if args.show_output:
                log(output)
        for i in range(args.runs):
            for row in rows:
                run, _ = run_once(row.tool, repos[row.tool.key], env, reference)
                row.runs.append(run)
            log(
                f"round {i + 1}/{args.runs}: "
                + ", ".join(f"{row.tool.label} {row.runs[-1].seconds:.2f}s" for row in rows)
            )
        problems = check_results(rows)
        total = time.perf_counter() - started
        other_share = common.other_cpu_share(r for row in rows for r in row.runs)
        versions = {
            "pre-commit": common.tool_version([pre_commit]),
            "prek": common.tool_version([prek]),
            "python": platform.python_version(),
            "pytest-hookrun": common.hookrun_version(),
        }
        if args.json:
            doc = _as_json(rows, problems, stats, versions, args, total, other_share)
            print(json.dumps(doc, indent=2))
        else:
            print()
            print(table(rows))
            print()
            print(hook_table(rows))
            print()
            print(
                f"{common.utc_now()}; {args.runs} timed runs per tool after one warm-up; "
                f"{os.cpu_count()} CPUs; total {total:.0f} s"
            )
            print(
                f"other processes on the machine kept {other_share:.2f} CPUs busy on average "
                "during the timed runs"
            )
            print("; ".join(f"{k} {v}" for k, v in versions.items()))
            print(
                "vs X: X's median / this median (above 1: faster than X); cpu s: median "
                "user+system seconds of the tool and all its processes"
            )
            if problems:
                print("\nDIFFERENCES:")
                for p in problems:
                    print(f"  - {p}")
            else:
                print("all tools left identical trees and the same verdicts")
        return 1 if problems else 0
    finally:
        common.finish_tmp(tmp, args.keep, log)


def _as_json(
    rows: Sequence[common.Row],
    problems: Sequence[str],
    stats: common.RepoStats,
    versions: Mapping[str, str],
    args: argparse.Namespace,
    total: float,
    other_share: float,
) -> dict[str, Any]:
    base = {row.tool.key: row.median for row in rows}
    return {
        **common.json_header(versions, args.runs, args.seed),
        "repo": asdict(stats),
        "hooks": [asdict(h) for h in HOOKS],
        "total_seconds": round(total, 2),
        "other_processes_cpus_busy": round(other_share, 3),
        "results": [
            {
                "tool": row.tool.label,
                "argv": [Path(row.tool.argv[0]).name, *row.tool.argv[1:]],
                "median_s": round(row.median, 3),
                "min_s": round(row.best, 3),
                "speedup_vs_pre_commit": round(base["pre-commit"] / row.median, 3),
                "speedup_vs_prek": round(base["prek"] / row.median, 3),
                "cpu_median_s": round(row.cpu, 3),
                "runs": [r.json() for r in row.runs],
                "warmup": row.warmup.json() if row.warmup else None,
            }
            for row in rows
        ],
        "problems": list(problems),
        "consistent": not problems,
    }


if __name__ == "__main__":
    sys.exit(main())
