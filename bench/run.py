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
import difflib
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

CONFIG = ".pre-commit-config.yaml"
RUN_TIMEOUT = 600.0

# Variables that would change how a tool schedules or reports: the benchmark sets its own.
SCRUBBED_ENV = (
    "PRE_COMMIT_HOME",
    "PRE_COMMIT_NO_CONCURRENCY",
    "PRE_COMMIT_COLOR",
    "SKIP",
    "PREK_HOME",
    "PREK_SKIP",
    "PREK_NO_CONCURRENCY",
    "PREK_MAX_CONCURRENCY",
    "PREK_QUIET",
    "PREK_NO_FAST_PATH",
    "HOOKRUN_JOBS",
    "HOOKRUN_TIMEOUT",
    "PYTEST_ADDOPTS",
    "PYTEST_PLUGINS",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
    # With it, pytest cannot cache its assertion-rewritten plugin modules and rewrites
    # them (hypothesis: ~2.5 s here) on every run: not how a developer's pytest runs.
    "PYTHONDONTWRITEBYTECODE",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
)

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

_NOUNS = """
account cache client config record event handler index job ledger message node order packet
query queue report request route schema session shard signal store stream table task token
user value window worker batch buffer channel cursor entry filter group limit metric option
policy rule snapshot source target
"""
_VERBS = """
load save parse build check merge split fetch apply render resolve update compute collect
encode decode flush index normalize validate
"""
WORDS: list[str] = _NOUNS.split()
VERBS: list[str] = _VERBS.split()


@dataclass
class RepoStats:
    files: int = 0
    python_files: int = 0
    bytes: int = 0
    lines: int = 0
    trailing_whitespace_files: int = 0
    end_of_file_files: int = 0
    long_line_files: int = 0
    by_suffix: dict[str, int] = field(default_factory=dict)


class Generator:
    """Deterministic, plausible file contents; a few files carry what the hooks look for."""

    def __init__(self, rng: random.Random, stats: RepoStats) -> None:
        self.rng = rng
        self.stats = stats

    def name(self) -> str:
        return f"{self.rng.choice(WORDS)}_{self.rng.choice(WORDS)}"

    def sentence(self, words: int, limit: int = 72) -> str:
        chosen: list[str] = []
        for _ in range(words):
            word = self.rng.choice(WORDS + VERBS)
            if len(" ".join([*chosen, word])) >= limit:
                break
            chosen.append(word)
        text = " ".join(chosen)
        return text[0].upper() + text[1:] + "."

    def function(self, indent: str, method: bool) -> list[str]:
        rng = self.rng
        fname = f"{rng.choice(VERBS)}_{self.name()}"
        params = list(dict.fromkeys(self.name() for _ in range(rng.randint(0, 3))))
        parts = (["self"] if method else []) + [f"{p}: int = 0" for p in params]
        body = indent + "    "
        sig = f"{indent}def {fname}({', '.join(parts)}) -> dict[str, int]:"
        if len(sig) > 99:
            sig = "\n".join(
                [f"{indent}def {fname}("]
                + [f"{body}{part}," for part in parts]
                + [f"{indent}) -> dict[str, int]:"]
            )
        out = [
            sig,
            f'{body}"""{self.sentence(rng.randint(4, 9))}',
            "",
            f"{body}{self.sentence(rng.randint(6, 12))}",
            f'{body}"""',
            f"{body}result: dict[str, int] = {{}}",
        ]
        for _ in range(rng.randint(2, 6)):
            key, var = self.name(), self.name()
            choice = rng.random()
            if choice < 0.3:
                out += [
                    f"{body}for {var} in range({rng.randint(2, 50)}):",
                    f"{body}    result[{key!r}] = result.get({key!r}, 0) + {var}",
                ]
            elif choice < 0.55:
                out += [
                    f"{body}if len(result) > {rng.randint(1, 9)}:",
                    f"{body}    result[{key!r}] = {rng.randint(0, 999)}",
                    f"{body}else:",
                    f"{body}    result.pop({key!r}, None)",
                ]
            elif choice < 0.75:
                words = ", ".join(repr(w) for w in rng.sample(WORDS, 3))
                out.append(f"{body}{var} = [len(w) for w in ({words})]")
                out.append(f"{body}result[{key!r}] = sum({var})")
            elif choice < 0.9:
                out.append(f"{body}# {self.sentence(rng.randint(5, 10))}")
                out.append(f"{body}result[{key!r}] = {rng.randint(0, 99)} * len(result)")
            else:
                out.append(f"{body}# TODO(#{rng.randint(100, 9999)}): {self.sentence(5)}")
        out.append(f"{body}return result")
        return out

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

    def prose(self, suffix: str) -> str:
        rng = self.rng
        lines: list[str] = []
        title = self.sentence(rng.randint(2, 5)).rstrip(".")
        if suffix == ".rst":
            lines += [title, "=" * len(title), ""]
        elif suffix == ".md":
            lines += [f"# {title}", ""]
        for _ in range(rng.randint(4, 20)):
            paragraph = " ".join(
                self.sentence(rng.randint(6, 14)) for _ in range(rng.randint(2, 6))
            )
            words = paragraph.split()
            line = ""
            for word in words:
                if len(line) + len(word) + 1 > 79:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            lines += [line, ""]
        return self.finish(lines[:-1])

    def json_doc(self) -> str:
        rng = self.rng
        doc = {
            self.name(): {
                "enabled": rng.random() < 0.5,
                "limit": rng.randint(0, 1000),
                "tags": rng.sample(WORDS, 3),
            }
            for _ in range(rng.randint(3, 15))
        }
        return json.dumps(doc, indent=2) + "\n"

    def finish(self, lines: list[str]) -> str:
        """Sprinkle the defects the writers fix and, rarely, one long line."""
        rng = self.rng
        if rng.random() < 0.08:
            self.stats.trailing_whitespace_files += 1
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(lines))
                if lines[i] and len(lines[i]) < 90:
                    lines[i] += rng.choice([" ", "  ", "\t", "    "])
        if rng.random() < 0.002 and lines[0].startswith('"""'):
            self.stats.long_line_files += 1
            lines.insert(1, "# " + " ".join(rng.choice(WORDS) for _ in range(24)))
        text = "\n".join(lines)
        end = rng.random()
        if end < 0.04:
            self.stats.end_of_file_files += 1
            return text  # no final newline
        if end < 0.07:
            self.stats.end_of_file_files += 1
            return text + "\n\n\n"
        return text + "\n"


def build_repo(root: Path, n_files: int, seed: int) -> RepoStats:
    rng = random.Random(seed)
    stats = RepoStats()
    gen = Generator(rng, stats)
    root.mkdir(parents=True)
    files: dict[str, str] = {}
    packages = [f"src/app/{rng.choice(WORDS)}_{i}" for i in range(12)]
    dirs: list[str] = []
    for pkg in packages:
        for j in range(rng.randint(2, 5)):
            sub = f"{pkg}/{rng.choice(WORDS)}_{j}"
            dirs += [sub] + [f"{sub}/{rng.choice(WORDS)}_{k}" for k in range(rng.randint(0, 3))]
    doc_dirs = [f"docs/{w}" for w in rng.sample(WORDS, 6)]
    doc_dirs += [f"{d}/{rng.choice(WORDS)}" for d in doc_dirs]
    data_dirs = [f"config/{w}" for w in rng.sample(WORDS, 4)]
    packages_dirs = {"src/app"}
    for d in dirs:
        parts = d.split("/")
        packages_dirs.update("/".join(parts[:i]) for i in range(3, len(parts) + 1))
    for d in packages_dirs:
        files[f"{d}/__init__.py"] = '"""Package."""\n'
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
    files[CONFIG] = config_text(HOOKS)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        stats.files += 1
        stats.bytes += len(text.encode())
        stats.lines += text.count("\n")
        suffix = Path(path).suffix
        stats.by_suffix[suffix] = stats.by_suffix.get(suffix, 0) + 1
        stats.python_files += suffix == ".py"
    for path, text in SCRIPTS.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        target.chmod(0o755)
        stats.files += 1
        stats.python_files += 1
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Generated benchmark repository")
    return stats


# --------------------------------------------------------------------------- running

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    argv = ["git", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", *args]
    done = subprocess.run(
        argv, cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, check=True
    )
    return done.stdout.decode()


def reset(repo: Path) -> None:
    git(repo, "checkout", "--", ".")
    git(repo, "clean", "-fdq")


def tree_files(repo: Path) -> dict[str, str]:
    """Every tracked and untracked file: path -> exec bit and sha256 of its contents."""
    out = git(repo, "ls-files", "-z", "--cached", "--others")
    files: dict[str, str] = {}
    for name in sorted(set(filter(None, out.split("\0")))):
        path = repo / name
        if not path.exists():
            files[name] = "<missing>"
            continue
        mode = "x" if os.access(path, os.X_OK) else "-"
        files[name] = mode + hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def tree_hash(files: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{files[name]}\0".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    argv: tuple[str, ...]
    parse: str  # "status-lines" (pre-commit, prek) or "pytest"


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the tool and every process it waited for
    exit_code: int
    tree: str
    hooks: dict[str, str]
    files: dict[str, str] = field(repr=False, compare=False)
    other_cpu_seconds: float | None = None  # CPU that other processes used meanwhile
    diffs: list[str] = field(default_factory=list)  # vs the reference, when trees differ


@dataclass
class Row:
    tool: Tool
    runs: list[Run] = field(default_factory=list)
    warmup: Run | None = None

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def all_runs(self) -> list[tuple[str, Run]]:
        """The warm-up and the timed runs, named: all of them count for the checks."""
        named = [(f"run {i}", r) for i, r in enumerate(self.runs, start=1)]
        return ([("warm-up", self.warmup)] if self.warmup else []) + named

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)


STATUS_LINE = re.compile(  # pre-commit's lines; prek may prefix them with a box drawing
    r"^\s*[\u250c\u2502\u2514]?\s*(?P<name>\S.*?)\.{2,}"
    r"(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)\s*$"
)
PYTEST_LINE = re.compile(
    r"^(?P<status>PASSED|FAILED|MODIFIED|ERROR|SKIPPED)\s+(?:\[\d+\]\s+)?\S*?::(?P<id>[\w.-]+)"
)


def parse_statuses(kind: str, output: str) -> dict[str, str]:
    by_name = {h.name: h.id for h in HOOKS}
    found: dict[str, str] = {}
    for line in output.splitlines():
        if kind == "pytest":
            m = PYTEST_LINE.match(line)
            if m:  # pre-commit's words: a hook that modified files has failed
                status = m["status"].lower()
                found[m["id"]] = "failed" if status == "modified" else status
        else:
            m = STATUS_LINE.match(line)
            if m and m["name"] in by_name:
                found[by_name[m["name"]]] = m["status"].lower()
    return found


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # guest time is already inside user time
    return busy / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


@dataclass
class Reference:
    """The reference run's final tree, with the contents of the files it changed."""

    files: dict[str, str]
    changed: dict[str, bytes]

    @classmethod
    def capture(cls, repo: Path, files: dict[str, str]) -> Reference:
        out = git(repo, "ls-files", "-z", "--modified", "--others")
        names = sorted(set(filter(None, out.split("\0"))))
        return cls(files, {n: (repo / n).read_bytes() for n in names if (repo / n).is_file()})

    def content(self, repo: Path, name: str) -> bytes:
        if name in self.changed:
            return self.changed[name]
        done = subprocess.run(
            ["git", "show", f"HEAD:{name}"], cwd=repo, capture_output=True, check=False
        )
        return done.stdout

    def diffs(self, repo: Path, files: Mapping[str, str], limit: int = 3) -> list[str]:
        """Short unified diffs (reference -> this run) of the first files that differ."""
        names = sorted(
            k for k in self.files.keys() | files.keys() if self.files.get(k) != files.get(k)
        )
        out = []
        for name in names[:limit]:
            path = repo / name
            ours = path.read_bytes() if path.is_file() else b""
            lines = difflib.unified_diff(
                [repr(x) for x in self.content(repo, name).splitlines(keepends=True)],
                [repr(x) for x in ours.splitlines(keepends=True)],
                f"reference/{name}",
                f"this-run/{name}",
                n=1,
                lineterm="",
            )
            out.append("\n".join(list(lines)[:14]))
        return out


def run_once(
    tool: Tool, repo: Path, env: Mapping[str, str], reference: Reference | None
) -> tuple[Run, str]:
    reset(repo)
    own_before, busy_before = own_cpu_seconds(), busy_cpu_seconds()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        tool.argv,
        cwd=repo,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_after, busy_after = own_cpu_seconds(), busy_cpu_seconds()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    other = None
    if busy_before is not None and busy_after is not None:
        other = max(0.0, (busy_after - busy_before) - (own_after - own_before))
    output = done.stdout.decode(errors="replace")
    hooks = parse_statuses(tool.parse, output)
    files = tree_files(repo)
    run = Run(seconds, cpu, done.returncode, tree_hash(files), hooks, files, other)
    if reference is not None and files != reference.files:
        run.diffs = reference.diffs(repo, files)
    return run, output


def make_tools(python: str, pre_commit: str, prek: str) -> list[Tool]:
    pytest_argv = (python, "-m", "pytest", "--hooks", CONFIG, "-q", "-p", "no:cacheprovider")
    report = ("-rfEsp",)  # one PASSED/FAILED/... line per hook, for the verdict check
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
    ]


def tool_version(argv: Sequence[str]) -> str:
    done = subprocess.run([*argv, "--version"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


# --------------------------------------------------------------------------- checks


def check_results(rows: Sequence[Row]) -> list[str]:
    """Differences in final tree, pass/fail and per-hook verdicts; empty when all agree.

    The reference is pre-commit's first run: hooks one at a time in config order.  Every
    run of every tool, warm-ups included, is compared with it.
    """
    problems: list[str] = []
    ref_name, ref = rows[0].all_runs[0]
    ref_label = f"{rows[0].tool.label} {ref_name}"
    for row in rows:
        for name, run in row.all_runs:
            label = f"{row.tool.label} {name}"
            if run is ref:
                continue
            if run.tree != ref.tree:
                changed = sorted(
                    k
                    for k in ref.files.keys() | run.files.keys()
                    if ref.files.get(k) != run.files.get(k)
                )
                shown = ", ".join(changed[:5]) + (
                    f" and {len(changed) - 5} more" if len(changed) > 5 else ""
                )
                problems.append(
                    f"{label}: tree {run.tree[:8]} differs from {ref_label}'s {ref.tree[:8]} "
                    f"in {len(changed)} files: {shown}"
                    + "".join("\n" + textwrap.indent(d, "      ") for d in run.diffs)
                )
            if (run.exit_code != 0) != (ref.exit_code != 0):
                problems.append(
                    f"{label}: exit code {run.exit_code}, {ref_label}: {ref.exit_code} "
                    "(pass/fail differs)"
                )
            missing = sorted({h.id for h in HOOKS} - run.hooks.keys())
            if missing:
                problems.append(f"{label}: no verdict found for {', '.join(missing)}")
            diff = {
                k: (ref.hooks.get(k), v)
                for k, v in run.hooks.items()
                if ref.hooks.get(k) != v and not (v == "error" and ref.hooks.get(k) == "failed")
            }
            if diff:
                shown = ", ".join(f"{k} {v} (not {a})" for k, (a, v) in sorted(diff.items()))
                problems.append(f"{label}: hook verdicts differ: {shown}")
    return problems


# --------------------------------------------------------------------------- output


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "-"


def table(rows: Sequence[Row]) -> str:
    """A Markdown table: one row per tool; text columns left, numbers right."""
    base = {row.tool.key: row.median for row in rows}
    header = ("tool", "median s", "min s", "vs pre-commit", "vs prek", "cpu s", "exit", "tree")
    numeric = {1, 2, 3, 4, 5}
    body = [
        (
            row.tool.label,
            f"{row.median:.2f}",
            f"{row.best:.2f}",
            ratio(base["pre-commit"], row.median),
            ratio(base["prek"], row.median),
            f"{row.cpu:.1f}",
            "/".join(sorted({str(r.exit_code) for r in row.runs})),
            "/".join(sorted({r.tree[:8] for r in row.runs})),
        )
        for row in rows
    ]
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            c.rjust(w) if j in numeric else c.ljust(w)
            for j, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join("-" * (w + 1) + (":" if j in numeric else "-") for j, w in enumerate(widths))
        + "|"
    )
    return "\n".join([line(header), rule, *(line(r) for r in body)])


def hook_table(rows: Sequence[Row]) -> str:
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

    # The benchmark's interpreter first on PATH: `python`/`python3` in hooks and the tools'
    # own launchers are then found directly, not through version-manager shims.
    bindir = str(Path(sys.executable).parent)
    path = os.pathsep.join([bindir, os.environ.get("PATH", "")])
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
        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
        env.update(GIT_ENV)
        env.update(
            PATH=path,
            PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
            PREK_HOME=str(tmp / "prek-home"),
            PREK_COLOR="never",
            NO_COLOR="1",
        )
        # prek finds Python for pygrep hooks with uv: one on PATH, else it installs one
        # into PREK_HOME on its first (warm-up) run; through pip, not its download list.
        env.setdefault("PREK_UV_SOURCE", "pip")
        tools = make_tools(sys.executable, pre_commit, prek)
        rows = [Row(tool) for tool in tools]
        repos: dict[str, Path] = {}
        reference: Reference | None = None  # pre-commit's warm-up: the first run of all
        for row in rows:
            repo = tmp / row.tool.key
            shutil.copytree(source, repo, symlinks=True)
            repos[row.tool.key] = repo
            row.warmup, output = run_once(row.tool, repo, env, reference)
            if reference is None:
                reference = Reference.capture(repo, row.warmup.files)
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
        timed = [r for row in rows for r in row.runs]
        other = sum(r.other_cpu_seconds or 0.0 for r in timed)
        other_share = other / sum(r.seconds for r in timed)
        versions = {
            "pre-commit": tool_version([pre_commit]),
            "prek": tool_version([prek]),
            "python": platform.python_version(),
            "pytest-hookrun": _hookrun_version(),
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
            date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            print(
                f"{date}; {args.runs} timed runs per tool after one warm-up; "
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
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _hookrun_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pytest-hookrun")
    except PackageNotFoundError:
        return "?"


def _run_json(run: Run) -> dict[str, Any]:
    return {
        "seconds": round(run.seconds, 3),
        "cpu_seconds": round(run.cpu_seconds, 3),
        "exit_code": run.exit_code,
        "tree": run.tree,
        "hooks": run.hooks,
        "other_cpu_seconds": None
        if run.other_cpu_seconds is None
        else round(run.other_cpu_seconds, 3),
        "diffs_vs_reference": run.diffs,
    }


def _as_json(
    rows: Sequence[Row],
    problems: Sequence[str],
    stats: RepoStats,
    versions: Mapping[str, str],
    args: argparse.Namespace,
    total: float,
    other_share: float,
) -> dict[str, Any]:
    base = {row.tool.key: row.median for row in rows}
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "versions": dict(versions),
        "runs": args.runs,
        "seed": args.seed,
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
                "runs": [_run_json(r) for r in row.runs],
                "warmup": _run_json(row.warmup) if row.warmup else None,
            }
            for row in rows
        ],
        "problems": list(problems),
        "consistent": not problems,
    }


if __name__ == "__main__":
    sys.exit(main())
