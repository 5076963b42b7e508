#!/usr/bin/env python3
"""Cold install and warm run of remote hook repos: pre-commit vs prek vs ``pytest --hooks``.

Builds local git mirrors of real hook repositories (bench/mirrors.py: pre-commit-hooks
from its PyPI sdist, ruff-pre-commit as a pyproject pinning ruff), a generated repository
of 3,000 (``--files``) Python, YAML, TOML and Markdown files, and a
``.pre-commit-config.yaml`` of 8 hooks from those mirrors (``repo: file:///...`` at a
tag).  Then, for each tool, with the tool's store (``PRE_COMMIT_HOME``, ``PREK_HOME``,
``HOOKRUN_HOME``) in a fresh directory:

- **cold**: the store is empty: clone, build the hook environments, run every hook;
- **warm**: the same store, filled: run every hook again.

The work tree is reset (``git checkout -- . && git clean -fdxq``) before every run, so
every run does the same work.  One untimed warm-up round (cold + warm per tool) fills the
package caches the tools share (pip's, uv's, virtualenv's: in the benchmark's own
directory) and gives the reference; then ``--runs`` timed rounds.  After every run the
script records the exit code, each hook's verdict and a hash of the work tree, and
reports loudly every run whose results differ from pre-commit's first (cold) run.

Usage: ``python bench/remote.py [--runs N] [--files N] [--json] [--mirrors DIR] [--keep]``.
Stdlib only; see bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
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
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mirrors  # bench/mirrors.py, next to this file

CONFIG = ".pre-commit-config.yaml"
RUN_TIMEOUT = 900.0

# Variables that would change how a tool installs, schedules or reports: the benchmark
# sets its own (the stores and caches below) or none.
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
    "HOOKRUN_HOME",
    "HOOKRUN_JOBS",
    "HOOKRUN_TIMEOUT",
    "HOOKRUN_UV",
    "PYTEST_ADDOPTS",
    "PYTEST_PLUGINS",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
    "PIP_CACHE_DIR",
    "PIP_NO_CACHE_DIR",
    "UV_CACHE_DIR",
    "UV_NO_CACHE",
    "VIRTUALENV_OVERRIDE_APP_DATA",
    "npm_config_cache",
    "NPM_CONFIG_CACHE",
    "VIRTUAL_ENV",
    # With it, pytest cannot cache its assertion-rewritten plugin modules and rewrites
    # them on every run (see bench/README.md): not how a developer's pytest runs.
    "PYTHONDONTWRITEBYTECODE",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
)

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


# --------------------------------------------------------------------------- the config


@dataclass(frozen=True)
class HookSpec:
    id: str
    name: str  # as the upstream manifest names it: pre-commit's and prek's status lines
    repo: str  # upstream owner/name, a key of mirrors.build_all()
    writer: bool
    extra: tuple[str, ...] = ()  # more keys for the config, as YAML lines


PCH = "pre-commit/pre-commit-hooks"
RUFF = "astral-sh/ruff-pre-commit"
HOOKS: tuple[HookSpec, ...] = (
    HookSpec("trailing-whitespace", "trim trailing whitespace", PCH, True),
    HookSpec("end-of-file-fixer", "fix end of files", PCH, True),
    HookSpec("check-yaml", "check yaml", PCH, False),
    HookSpec("check-toml", "check toml", PCH, False),
    HookSpec("check-merge-conflict", "check for merge conflicts", PCH, False),
    HookSpec("check-added-large-files", "check for added large files", PCH, False),
    HookSpec("ruff-check", "ruff check", RUFF, False),
    HookSpec("ruff-format", "ruff format", RUFF, True),
)
PRETTIER = "pre-commit/mirrors-prettier"
# --node: one node hook as well, as many projects configure prettier
NODE_HOOKS: tuple[HookSpec, ...] = (
    HookSpec("prettier", "prettier", PRETTIER, True, ("types_or: [markdown, yaml]",)),
)


def config_text(
    mirror_map: Mapping[str, mirrors.Mirror], hooks: Sequence[HookSpec]
) -> tuple[str, dict[int, str]]:
    """The config, and the 1-based line of each hook's ``- id:`` (pytest's skip lines)."""
    lines = [
        "# Remote hook repos (local mirrors of the real ones, see bench/mirrors.py).",
        "repos:",
    ]
    id_lines: dict[int, str] = {}
    for repo in dict.fromkeys(h.repo for h in hooks):
        mirror = mirror_map[repo]
        lines += [f"  - repo: {mirror.url} # {repo}", f"    rev: {mirror.rev}", "    hooks:"]
        for hook in hooks:
            if hook.repo == repo:
                lines.append(f"      - id: {hook.id}")
                id_lines[len(lines)] = hook.id
                lines += [f"        {extra}" for extra in hook.extra]
    return "\n".join(lines) + "\n", id_lines


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
    bytes: int = 0
    lines: int = 0
    by_suffix: dict[str, int] = field(default_factory=dict)
    trailing_whitespace_files: int = 0
    end_of_file_files: int = 0
    unformatted_python_files: int = 0  # ruff format rewrites them
    lint_python_files: int = 0  # ruff check fails on them (an unused import)
    bad_yaml_files: int = 0  # check-yaml fails on them (a duplicate key)


class Generator:
    """Deterministic, plausible files; a few carry what the hooks look for.

    The Python it writes is what ``ruff format`` (line length 100) leaves as it is and
    ``ruff check`` accepts, except in the few files given a defect on purpose.
    """

    def __init__(self, rng: random.Random, stats: RepoStats) -> None:
        self.rng = rng
        self.stats = stats

    def name(self) -> str:
        return f"{self.rng.choice(WORDS)}_{self.rng.choice(WORDS)}"

    def distinct_names(self, n: int) -> list[str]:
        found: dict[str, None] = {}
        while len(found) < n:
            found[self.name()] = None
        return list(found)

    def sentence(self, words: int, limit: int = 72) -> str:
        chosen: list[str] = []
        for _ in range(words):
            word = self.rng.choice(WORDS + VERBS)
            if len(" ".join([*chosen, word])) >= limit:
                break
            chosen.append(word)
        text = " ".join(chosen)
        return text[0].upper() + text[1:] + "."

    def function(self, indent: str, method: bool, quote: str) -> list[str]:
        rng = self.rng
        fname = f"{rng.choice(VERBS)}_{self.name()}"
        params = list(dict.fromkeys(self.name() for _ in range(rng.randint(0, 3))))
        parts = (["self"] if method else []) + [f"{p}: int = 0" for p in params]
        while len(f"{indent}def {fname}({', '.join(parts)}) -> dict[str, int]:") > 100:
            parts.pop()
        body = indent + "    "
        out = [
            f"{indent}def {fname}({', '.join(parts)}) -> dict[str, int]:",
            f'{body}"""{self.sentence(rng.randint(4, 9))}',
            "",
            f"{body}{self.sentence(rng.randint(6, 12))}",
            f'{body}"""',
            f"{body}result: dict[str, int] = {{}}",
        ]
        for _ in range(rng.randint(2, 6)):
            key = f"{quote}{self.name()}{quote}"
            var = self.name()
            while var in params:  # PLR1704: a loop variable that shadows an argument
                var = self.name()
            choice = rng.random()
            if choice < 0.3:
                out += [
                    f"{body}for {var} in range({rng.randint(2, 50)}):",
                    f"{body}    result[{key}] = result.get({key}, 0) + {var}",
                ]
            elif choice < 0.55:
                out += [
                    f"{body}if len(result) > {rng.randint(1, 9)}:",
                    f"{body}    result[{key}] = {rng.randint(0, 999)}",
                    f"{body}else:",
                    f"{body}    result.pop({key}, None)",
                ]
            elif choice < 0.75:
                words = ", ".join(f'"{w}"' for w in rng.sample(WORDS, 3))
                out.append(f"{body}{var} = [len(w) for w in ({words})]")
                out.append(f"{body}result[{key}] = sum({var})")
            elif choice < 0.9:
                out.append(f"{body}# {self.sentence(rng.randint(5, 10))}")
                out.append(f"{body}result[{key}] = {rng.randint(0, 99)} * len(result)")
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
        if rng.random() < 0.006:  # ruff check: F401 `os` imported but unused
            self.stats.lint_python_files += 1
            lines += ["", "import os"]
        lines.append("")
        for _ in range(rng.randint(1, 4)):
            lines.append(f"{self.name().upper()} = {rng.randint(0, 10_000)}")
        # ruff format: single-quoted strings become double-quoted
        quote = "'" if rng.random() < 0.03 else '"'
        self.stats.unformatted_python_files += quote == "'"
        for _ in range(rng.randint(1, 4)):
            lines += ["", "", *self.function("", method=False, quote=quote)]
        for _ in range(rng.randint(0, 1)):
            cname = "".join(w.title() for w in self.name().split("_"))
            lines += ["", "", f"class {cname}:", f'    """{self.sentence(rng.randint(4, 8))}"""']
            for _ in range(rng.randint(1, 3)):
                lines += ["", *self.function("    ", method=True, quote='"')]
        return self.finish(lines)

    def prose(self, suffix: str) -> str:
        rng = self.rng
        lines: list[str] = []
        title = self.sentence(rng.randint(2, 5)).rstrip(".")
        if suffix == ".md":
            lines += [f"# {title}", ""]
        for _ in range(rng.randint(4, 20)):
            paragraph = " ".join(
                self.sentence(rng.randint(6, 14)) for _ in range(rng.randint(2, 6))
            )
            line = ""
            for word in paragraph.split():
                if len(line) + len(word) + 1 > 79:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            lines += [line, ""]
        return self.finish(lines[:-1])

    def yaml_doc(self, duplicate_key: bool = False) -> str:
        rng = self.rng
        lines = [f"# {self.sentence(rng.randint(4, 9))}", f"name: {self.name()}", "version: 1"]
        for section in self.distinct_names(rng.randint(2, 6)):  # a repeated key is invalid
            lines.append(f"{section}:")
            lines.append(f"  enabled: {rng.choice(['true', 'false'])}")
            lines.append(f"  limit: {rng.randint(0, 1000)}")
            lines.append("  tags:")
            lines += [f"    - {w}" for w in rng.sample(WORDS, rng.randint(1, 4))]
        if duplicate_key:  # check-yaml (ruamel.yaml) rejects a repeated mapping key
            self.stats.bad_yaml_files += 1
            lines.append("version: 2")
        return self.finish(lines)

    def toml_doc(self) -> str:
        rng = self.rng
        lines = [f"# {self.sentence(rng.randint(4, 9))}"]
        for section in self.distinct_names(rng.randint(2, 5)):  # a repeated table is invalid
            lines += ["", f"[{section}]"]
            lines.append(f'name = "{self.name()}"')
            lines.append(f"limit = {rng.randint(0, 1000)}")
            lines.append(f"enabled = {rng.choice(['true', 'false'])}")
            tags = ", ".join(f'"{w}"' for w in rng.sample(WORDS, rng.randint(1, 4)))
            lines.append(f"tags = [{tags}]")
        return self.finish(lines)

    def finish(self, lines: list[str]) -> str:
        """Sprinkle the defects the two fixers fix."""
        rng = self.rng
        if rng.random() < 0.06:
            self.stats.trailing_whitespace_files += 1
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(lines))
                if lines[i] and len(lines[i]) < 90:
                    lines[i] += rng.choice([" ", "  ", "\t", "    "])
        text = "\n".join(lines)
        end = rng.random()
        if end < 0.03:
            self.stats.end_of_file_files += 1
            return text  # no final newline
        if end < 0.05:
            self.stats.end_of_file_files += 1
            return text + "\n\n\n"
        return text + "\n"


def build_repo(root: Path, n_files: int, seed: int, config: str) -> RepoStats:
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
    conf_dirs = [f"config/{w}" for w in rng.sample(WORDS, 5)]
    conf_dirs += [f"{d}/{rng.choice(WORDS)}" for d in conf_dirs]
    package_dirs = {"src/app"}
    for d in dirs:
        parts = d.split("/")
        package_dirs.update("/".join(parts[:i]) for i in range(3, len(parts) + 1))
    for d in sorted(package_dirs):
        files[f"{d}/__init__.py"] = '"""Package."""\n'
    fixed = len(files) + 4  # + README.md, pyproject.toml, .gitignore, the config
    n_python = int(n_files * 0.6) - len(files)
    n_yaml = max(2, n_files // 10)
    n_toml = max(1, n_files // 20)
    n_prose = n_files - fixed - n_python - n_yaml - n_toml
    if min(n_python, n_prose) < 1:
        raise ValueError(f"{n_files} files are too few")
    for i in range(n_python):
        files[f"{rng.choice(dirs)}/{gen.name()}_{i}.py"] = gen.python_module()
    for i in range(n_prose):
        suffix = rng.choice([".md", ".md", ".md", ".txt"])
        files[f"{rng.choice(doc_dirs)}/{gen.name()}_{i}{suffix}"] = gen.prose(suffix)
    bad_yaml = {rng.randrange(n_yaml)}
    for i in range(n_yaml):
        suffix = rng.choice([".yaml", ".yml"])
        doc = gen.yaml_doc(duplicate_key=i in bad_yaml)
        files[f"{rng.choice(conf_dirs)}/{gen.name()}_{i}{suffix}"] = doc
    for i in range(n_toml):
        files[f"{rng.choice(conf_dirs)}/{gen.name()}_{i}.toml"] = gen.toml_doc()
    files["README.md"] = "# Benchmark repository\n\nGenerated by bench/remote.py.\n"
    files["pyproject.toml"] = (
        '[project]\nname = "app"\nversion = "0.1.0"\n\n[tool.ruff]\nline-length = 100\n'
    )
    files[".gitignore"] = ".ruff_cache/\n__pycache__/\n"
    files[CONFIG] = config
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        stats.files += 1
        stats.bytes += len(text.encode())
        stats.lines += text.count("\n")
        suffix = Path(path).suffix
        stats.by_suffix[suffix] = stats.by_suffix.get(suffix, 0) + 1
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Generated benchmark repository")
    return stats


# --------------------------------------------------------------------------- running


def reset(repo: Path, keep: Sequence[str] = ()) -> None:
    """Back to the commit; -x also removes ignored files (.ruff_cache, .pytest_cache), so
    every run of every tool starts from the same bytes; but what ``keep`` names."""
    git(repo, "checkout", "--", ".")
    git(repo, "clean", "-fdxq", *(f"--exclude={name}" for name in keep))


def tree_files(repo: Path) -> dict[str, str]:
    """Tracked and untracked, not ignored, files: path -> exec bit and sha256."""
    out = git(repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
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


def dir_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, names in os.walk(path):
        for name in names:
            with contextlib.suppress(OSError):  # a file removed meanwhile
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle
    return busy / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    argv: tuple[str, ...]
    store_var: str  # the environment variable naming the tool's store
    parse: str  # "status-lines" (pre-commit, prek) or "pytest"
    env: tuple[tuple[str, str], ...] = ()  # set for this tool only
    keep_for_warm: tuple[str, ...] = ()  # kept from the cold run for the warm run


PHASES = ("cold", "warm")
PHASE_LABELS = {"cold": "cold install + run", "warm": "warm run"}


@dataclass
class Run:
    phase: str
    seconds: float
    cpu_seconds: float  # user + system of the tool and every process it waited for
    exit_code: int
    tree: str
    hooks: dict[str, str]
    store_bytes: int
    files: dict[str, str] = field(repr=False, compare=False)
    other_cpu_seconds: float | None = None
    unsupported: list[str] = field(default_factory=list)  # hooks skipped "not supported"
    cached: list[str] = field(default_factory=list)  # pytest-hookrun: passed (cached)
    output_tail: str = ""


@dataclass
class Row:
    tool: Tool
    phase: str
    runs: list[Run] = field(default_factory=list)
    warmup: Run | None = None

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def all_runs(self) -> list[tuple[str, Run]]:
        named = [(f"run {i}", r) for i, r in enumerate(self.runs, start=1)]
        return ([("warm-up", self.warmup)] if self.warmup else []) + named


STATUS_LINE = re.compile(  # pre-commit's lines; prek may prefix them with a box drawing
    r"^\s*[\u250c\u2502\u2514]?\s*(?P<name>\S.*?)\.{2,}"
    r"(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)\s*$"
)
PYTEST_LINE = re.compile(
    r"^(?P<status>PASSED|FAILED|MODIFIED|ERROR|SKIPPED)(?P<cached>\s+\(cached\))?"
    r"\s+(?:\[\d+\]\s+)?\S*?::(?P<id>[\w.-]+)"
)
PYTEST_SKIP_LINE = re.compile(  # -rs: "SKIPPED [1] .pre-commit-config.yaml:12: reason"
    r"^SKIPPED\s+\[\d+\]\s+\S*?" + re.escape(CONFIG) + r":(?P<line>\d+):\s*(?P<reason>.*)$"
)


def parse_statuses(
    kind: str, output: str, hooks: Sequence[HookSpec], id_lines: Mapping[int, str]
) -> tuple[dict[str, str], list[str], list[str]]:
    """Each hook's verdict in pre-commit's words, the hooks skipped as unsupported, and
    those pytest-hookrun did not run again because they passed before (cached)."""
    by_name = {h.name: h.id for h in hooks}
    found: dict[str, str] = {}
    unsupported: list[str] = []
    cached: list[str] = []
    for line in output.splitlines():
        if kind == "pytest":
            m = PYTEST_LINE.match(line)
            if m:  # pre-commit's words: a hook that modified files has failed
                status = m["status"].lower()
                found[m["id"]] = "failed" if status == "modified" else status
                if m["cached"]:
                    cached.append(m["id"])
                continue
            m = PYTEST_SKIP_LINE.match(line)
            if m and int(m["line"]) in id_lines:
                hook_id = id_lines[int(m["line"])]
                found[hook_id] = "skipped"
                if "not supported" in m["reason"]:
                    unsupported.append(hook_id)
        else:
            m = STATUS_LINE.match(line)
            if m and m["name"] in by_name:
                found[by_name[m["name"]]] = m["status"].lower()
    return found, unsupported, cached


def run_once(
    tool: Tool,
    phase: str,
    repo: Path,
    store: Path,
    env: Mapping[str, str],
    hooks: Sequence[HookSpec],
    id_lines: Mapping[int, str],
) -> tuple[Run, str]:
    reset(repo, tool.keep_for_warm if phase == "warm" else ())
    env = {**env, **dict(tool.env), tool.store_var: str(store)}
    own_before, busy_before = own_cpu_seconds(), busy_cpu_seconds()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        tool.argv,
        cwd=repo,
        env=env,
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
    verdicts, unsupported, cached = parse_statuses(tool.parse, output, hooks, id_lines)
    files = tree_files(repo)
    run = Run(
        phase,
        seconds,
        cpu,
        done.returncode,
        tree_hash(files),
        verdicts,
        dir_size(store),
        files,
        other,
        unsupported,
        cached,
        "\n".join(output.splitlines()[-15:]),
    )
    return run, output


def make_tools(python: str, pre_commit: str | None, prek: str | None) -> list[Tool]:
    tools = []
    if pre_commit:
        argv = (pre_commit, "run", "--all-files", "--color", "never")
        tools.append(Tool("pre-commit", "pre-commit", argv, "PRE_COMMIT_HOME", "status-lines"))
    if prek:
        argv = (prek, "run", "--all-files", "--color", "never")
        tools.append(Tool("prek", "prek", argv, "PREK_HOME", "status-lines"))
    pytest_argv = (python, "-m", "pytest", "--hooks", "-q", "-p", "no:randomly")
    pytest_argv += ("-rfEsp", CONFIG)  # -rfEsp: one summary line per hook
    tools.append(Tool("pytest", "pytest --hooks", pytest_argv, "HOOKRUN_HOME", "pytest"))
    # pytest-hookrun's fallback when uv is not found: venv + pip (as pre-commit installs)
    no_uv = (("HOOKRUN_UV", "0"),)
    tools.append(
        Tool("pytest-pip", "pytest --hooks, venv+pip", pytest_argv, "HOOKRUN_HOME", "pytest", no_uv)
    )
    # Every hook as its own processes: no in-process fast path for pre-commit-hooks' hooks
    nofast = (*pytest_argv[:-1], "--hooks-no-fast-path", CONFIG)
    tools.append(
        Tool("pytest-nofast", "pytest --hooks, no fast path", nofast, "HOOKRUN_HOME", "pytest")
    )
    # The warm run keeps the cold run's .pytest_cache, where pytest-hookrun records the
    # hooks that passed (its result cache); every other run starts without one.
    tools.append(
        Tool(
            "pytest-cached",
            "pytest --hooks, result cache kept",
            pytest_argv,
            "HOOKRUN_HOME",
            "pytest",
            keep_for_warm=(".pytest_cache",),
        )
    )
    return tools


def tool_version(argv: Sequence[str]) -> str:
    """``--version``'s first line without the tool's name: "pre-commit 4.7.0" -> "4.7.0"."""
    done = subprocess.run([*argv, "--version"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return "?"
    line = (done.stdout or done.stderr).strip().splitlines()[0]
    name = Path(argv[0]).name
    return line[len(name) :].strip() if line.startswith(name + " ") else line


# --------------------------------------------------------------------------- checks


def check_results(rows: Sequence[Row], hooks: Sequence[HookSpec]) -> list[str]:
    """Differences in final tree, pass/fail and per-hook verdicts; empty when all agree.

    The reference is the first row's (pre-commit's) cold warm-up run: hooks one at a
    time in config order.  Every run of every tool, warm-ups included, is compared.
    """
    problems: list[str] = []
    ref_row = rows[0]
    ref_name, ref = ref_row.all_runs[0]
    ref_label = f"{ref_row.tool.label} {ref_row.phase} {ref_name}"
    for row in rows:
        unsupported = sorted({h for _, run in row.all_runs for h in run.unsupported})
        if unsupported:
            problems.append(
                f"{row.tool.label} {row.phase}: {len(unsupported)} hooks skipped as not "
                f"supported ({', '.join(unsupported)}): its times do not include them"
            )
            continue
        for name, run in row.all_runs:
            label = f"{row.tool.label} {row.phase} {name}"
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
                )
            if (run.exit_code != 0) != (ref.exit_code != 0):
                problems.append(
                    f"{label}: exit code {run.exit_code}, {ref_label}: {ref.exit_code} "
                    "(pass/fail differs)"
                )
            missing = sorted({h.id for h in hooks} - run.hooks.keys())
            if missing:
                problems.append(
                    f"{label}: no verdict found for {', '.join(missing)}; output ends:\n"
                    + "\n".join("      " + x for x in run.output_tail.splitlines())
                )
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


def ratio(a: float | None, b: float) -> str:
    return f"{a / b:.2f}x" if a is not None and b > 0 else "-"


def markdown_table(header: Sequence[str], body: Sequence[Sequence[str]], numeric: set[int]) -> str:
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


def table(rows: Sequence[Row]) -> str:
    """One row per (phase, tool): times, ratios, CPU, store size, exit codes, trees."""
    base = {(row.phase, row.tool.key): row.median for row in rows}
    header = (
        "phase",
        "tool",
        "median s",
        "min s",
        "vs pre-commit",
        "vs prek",
        "cpu s",
        "store MB",
        "exit",
        "tree",
    )
    body = [
        (
            PHASE_LABELS[row.phase],
            row.tool.label
            + (" (hooks unsupported!)" if any(r.unsupported for r in row.runs) else ""),
            f"{row.median:.2f}",
            f"{row.best:.2f}",
            ratio(base.get((row.phase, "pre-commit")), row.median),
            ratio(base.get((row.phase, "prek")), row.median),
            f"{row.cpu:.1f}",
            f"{statistics.median(r.store_bytes for r in row.runs) / 1e6:.0f}",
            "/".join(sorted({str(r.exit_code) for r in row.runs})),
            "/".join(sorted({r.tree[:8] for r in row.runs})),
        )
        for row in sorted(rows, key=lambda r: PHASES.index(r.phase))
    ]
    return markdown_table(header, body, {2, 3, 4, 5, 6, 7})


def side_by_side(rows: Sequence[Row], n_hooks: int) -> str:
    """The README's form: one row per phase, one column per tool (median seconds)."""
    tools = list(dict.fromkeys(row.tool for row in rows))
    by = {(row.phase, row.tool.key): row for row in rows}
    header = [f"{n_hooks} remote hooks", *(t.label for t in tools)]
    hookrun = next((t for t in tools if t.key == "pytest"), None)
    others = [t for t in tools if t.key in ("pre-commit", "prek")]
    if hookrun:
        header += [f"pytest --hooks vs {t.label}" for t in others]
    body = []
    for phase in PHASES:
        cells = [PHASE_LABELS[phase]]
        cells += [f"{by[(phase, t.key)].median:.2f} s" for t in tools]
        if hookrun:
            mine = by[(phase, hookrun.key)].median
            cells += [ratio(by[(phase, t.key)].median, mine) for t in others]
        body.append(cells)
    return markdown_table(header, body, set(range(1, len(header))))


def hook_table(rows: Sequence[Row], hooks: Sequence[HookSpec]) -> str:
    shown = [row for row in rows if row.runs]
    lines = [
        "hook verdicts (first timed run): " + ", ".join(f"{r.tool.label} {r.phase}" for r in shown)
    ]
    for hook in hooks:
        verdicts = [
            row.runs[0].hooks.get(hook.id, "?") + ("*" if hook.id in row.runs[0].cached else "")
            for row in shown
        ]
        lines.append((f"  {hook.id:<24} " + " ".join(f"{v:<8}" for v in verdicts)).rstrip())
    if any(row.runs[0].cached for row in shown):
        lines.append("  *: passed (cached): pytest-hookrun did not run it again")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--files", type=int, default=3000, help="files in the repo (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the generated repo")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--mirrors", type=Path, help="build the hook repo mirrors here and keep them (reused)"
    )
    parser.add_argument(
        "--cold-caches",
        action="store_true",
        help="cold runs also start with empty pip/uv/virtualenv caches (download everything)",
    )
    parser.add_argument(
        "--tools",
        default="pre-commit,prek,pytest",
        help="comma-separated, of pre-commit,prek,pytest,pytest-pip (pytest-hookrun with "
        "HOOKRUN_UV=0: venv+pip),pytest-cached (the warm run keeps the cold run's "
        ".pytest_cache: pytest-hookrun's result cache),pytest-nofast (--hooks-no-fast-path: "
        "pre-commit-hooks' hooks as processes, not in-process); default pre-commit,prek,pytest",
    )
    parser.add_argument(
        "--pre-commit-hooks-version", default=mirrors.PRE_COMMIT_HOOKS_VERSION, metavar="V"
    )
    parser.add_argument("--ruff-version", default=mirrors.RUFF_VERSION, metavar="V")
    parser.add_argument("--prettier-version", default=mirrors.PRETTIER_VERSION, metavar="V")
    parser.add_argument(
        "--hookrun-rev",
        metavar="REV",
        help="run pytest-hookrun as committed at REV of this checkout (git archive of "
        "pytest_hookrun/ put first on PYTHONPATH), not the installed one: other work in a "
        "shared work tree then does not leak into the numbers",
    )
    parser.add_argument(
        "--node",
        action="store_true",
        help="add a node hook: prettier (mirrors-prettier) on Markdown and YAML",
    )
    parser.add_argument(
        "--show-output", action="store_true", help="print each tool's output of its warm-up runs"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.files < 300:
        parser.error("--runs must be at least 1 and --files at least 300")
    wanted = set(args.tools.split(","))
    known = {"pre-commit", "prek", "pytest", "pytest-pip", "pytest-cached", "pytest-nofast"}
    if not wanted <= known or "pre-commit" not in wanted:
        parser.error(f"--tools: of {','.join(sorted(known))}, with pre-commit")

    bindir = str(Path(sys.executable).parent)
    path = os.pathsep.join([bindir, os.environ.get("PATH", "")])
    pre_commit = shutil.which("pre-commit", path=path)
    prek = shutil.which("prek", path=path) if "prek" in wanted else None
    if pre_commit is None or ("prek" in wanted and prek is None):
        print("bench: pre-commit (and prek) must be on PATH", file=sys.stderr)
        return 2
    uv = shutil.which("uv", path=path)
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if args.json else print

    tmp = Path(tempfile.mkdtemp(prefix="hookrun-remote-bench-"))
    try:
        started = time.perf_counter()
        mirror_root = args.mirrors.resolve() if args.mirrors else tmp / "mirrors"
        mirror_map = mirrors.build_all(
            mirror_root,
            pre_commit_hooks_version=args.pre_commit_hooks_version,
            ruff_version=args.ruff_version,
            prettier_version=args.prettier_version,
        )
        hooks = HOOKS + (NODE_HOOKS if args.node else ())
        config, id_lines = config_text(mirror_map, hooks)
        source = tmp / "source"
        stats = build_repo(source, args.files, args.seed, config)
        log(
            f"repo: {stats.files} files "
            + ", ".join(f"{n} {s or 'other'}" for s, n in sorted(stats.by_suffix.items()))
            + f"; {stats.lines} lines, {stats.bytes / 1e6:.1f} MB"
        )
        log(
            f"  to fix: {stats.trailing_whitespace_files} trailing whitespace, "
            f"{stats.end_of_file_files} end of file, {stats.unformatted_python_files} "
            f"unformatted Python; to fail: {stats.lint_python_files} ruff check, "
            f"{stats.bad_yaml_files} yaml"
        )
        used = {h.repo for h in hooks}
        log(
            "mirrors: "
            + ", ".join(f"{m.name}@{m.rev}" for m in mirror_map.values() if m.name in used)
        )
        if uv is None:
            log("note: no uv on PATH: prek installs its own (through pip), pytest-hookrun uses pip")

        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
        env.update(GIT_ENV)
        env.update(PATH=path, PREK_COLOR="never", NO_COLOR="1")
        # No download but from the package registries: never a Python build from GitHub
        # (uv would try when it found no interpreter); prek gets uv from pip if it needs one.
        env.setdefault("UV_PYTHON_DOWNLOADS", "never")
        env.setdefault("PREK_UV_SOURCE", "pip")

        def caches(where: Path) -> dict[str, str]:
            return {
                "PIP_CACHE_DIR": str(where / "pip"),
                "UV_CACHE_DIR": str(where / "uv"),
                "VIRTUALENV_OVERRIDE_APP_DATA": str(where / "virtualenv"),
                "npm_config_cache": str(where / "npm"),
            }

        shared_caches = caches(tmp / "caches")
        tools = make_tools(sys.executable, pre_commit, prek)
        tools = [t for t in tools if t.key in wanted]
        hookrun_version = _hookrun_version()
        if args.hookrun_rev:  # that commit's pytest_hookrun first on sys.path
            source_dir, hookrun_version = export_hookrun(args.hookrun_rev, tmp / "hookrun-src")
            pythonpath = os.pathsep.join(filter(None, [str(source_dir), env.get("PYTHONPATH")]))
            tools = [
                replace(t, env=(*t.env, ("PYTHONPATH", pythonpath)))
                if t.key.startswith("pytest")
                else t
                for t in tools
            ]
        rows = {(t.key, p): Row(t, p) for t in tools for p in PHASES}
        repos: dict[str, Path] = {}
        for tool in tools:
            repos[tool.key] = tmp / "repos" / tool.key
            shutil.copytree(source, repos[tool.key], symlinks=True)

        def round_(label: str, number: int) -> None:
            for tool in tools:
                store = tmp / "stores" / f"{tool.key}-{number}"
                cache_env = shared_caches
                own_caches = tmp / "caches" / f"{tool.key}-{number}"
                if args.cold_caches and number > 0:  # empty for the cold run, then filled
                    cache_env = caches(own_caches)
                for phase in PHASES:
                    run, output = run_once(
                        tool, phase, repos[tool.key], store, {**env, **cache_env}, hooks, id_lines
                    )
                    row = rows[(tool.key, phase)]
                    if number == 0:
                        row.warmup = run
                        if args.show_output:
                            log(f"--- {tool.label} {phase} warm-up output:\n{output}")
                    else:
                        row.runs.append(run)
                shutil.rmtree(store, ignore_errors=True)
                shutil.rmtree(own_caches, ignore_errors=True)
            pairs = []
            for tool in tools:
                done = [rows[(tool.key, p)] for p in PHASES]
                runs = [r.warmup if number == 0 else r.runs[-1] for r in done]
                pairs.append(
                    f"{tool.label} " + "/".join(f"{r.seconds:.1f}" for r in runs if r) + " s"
                )
            log(f"{label}: cold/warm " + ", ".join(pairs))

        round_("warm-up (untimed)", 0)
        for i in range(1, args.runs + 1):
            round_(f"round {i}/{args.runs}", i)

        ordered = [rows[(t.key, p)] for p in PHASES for t in tools]
        problems = check_results(ordered, hooks)
        total = time.perf_counter() - started
        timed = [r for row in ordered for r in row.runs]
        other = sum(r.other_cpu_seconds or 0.0 for r in timed)
        other_share = other / sum(r.seconds for r in timed)
        versions = {
            "pre-commit": tool_version([pre_commit]),
            **({"prek": tool_version([prek])} if prek else {}),
            "uv": tool_version([uv]) if uv else "none",
            "python": platform.python_version(),
            "pytest-hookrun": hookrun_version,
        }
        date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        caches_said = "empty for every cold run" if args.cold_caches else "warm"
        report = [
            "",
            side_by_side(ordered, len(hooks)),
            "",
            table(ordered),
            "",
            hook_table(ordered, hooks),
            "",
            f"{date}; {args.runs} timed rounds (cold + warm per tool) after one warm-up "
            f"round; {os.cpu_count()} CPUs; package caches {caches_said}; total {total:.0f} s",
            f"other processes on the machine kept {other_share:.2f} CPUs busy on average "
            "during the timed runs",
            "; ".join(f"{k} {v}" for k, v in versions.items()),
            "vs X: X's median / this median (above 1: faster than X); cpu s: median "
            "user+system seconds of the tool and all its processes; store MB: the "
            "tool's store after the warm run",
        ]
        if problems:
            report += ["", "!" * 78]
            report.append("DISAGREEMENT between the tools (or a tool did not run every hook):")
            report += [f"  - {p}" for p in problems]
            report.append("!" * 78)
        else:
            report.append("all tools left identical trees and the same verdicts, cold and warm")
        if args.json:  # the JSON on stdout, the report on stderr
            doc = _as_json(
                ordered, problems, stats, versions, args, total, other_share, mirror_map, hooks
            )
            print(json.dumps(doc, indent=2))
        log("\n".join(report))
        return 1 if problems else 0
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def export_hookrun(rev: str, dest: Path) -> tuple[Path, str]:
    """``git archive REV pytest_hookrun`` of this checkout into dest; (dest, a version)."""
    checkout = Path(__file__).resolve().parent.parent
    commit = git(checkout, "rev-parse", "--short", f"{rev}^{{commit}}").strip()
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "pytest_hookrun"],
        cwd=checkout,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest, f"commit {commit} of pytest_hookrun/ (git archive, on PYTHONPATH)"


def _hookrun_version() -> str:
    """The installed version; for a source checkout also its commit, "+dirty" when the
    package's files have uncommitted changes (what an editable install runs)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pytest-hookrun")
    except PackageNotFoundError:
        return "?"
    from importlib.util import find_spec

    spec = find_spec("pytest_hookrun")  # found, not imported
    if spec is None or spec.origin is None:
        return found
    package = Path(spec.origin).resolve().parent
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=package, capture_output=True, text=True
    )
    if head.returncode != 0:
        return found
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "."], cwd=package, capture_output=True, text=True
    )
    dirty = "+dirty" if status.stdout.strip() else ""
    return f"{found} (source at {head.stdout.strip()}{dirty})"


def _run_json(run: Run) -> dict[str, Any]:
    return {
        "seconds": round(run.seconds, 3),
        "cpu_seconds": round(run.cpu_seconds, 3),
        "exit_code": run.exit_code,
        "tree": run.tree,
        "hooks": run.hooks,
        "store_bytes": run.store_bytes,
        "unsupported": run.unsupported,
        "cached": run.cached,
        "other_cpu_seconds": None
        if run.other_cpu_seconds is None
        else round(run.other_cpu_seconds, 3),
    }


def _as_json(
    rows: Sequence[Row],
    problems: Sequence[str],
    stats: RepoStats,
    versions: Mapping[str, str],
    args: argparse.Namespace,
    total: float,
    other_share: float,
    mirror_map: Mapping[str, mirrors.Mirror],
    hooks: Sequence[HookSpec],
) -> dict[str, Any]:
    base = {(row.phase, row.tool.key): row.median for row in rows}

    def speedup(row: Row, key: str) -> float | None:
        other = base.get((row.phase, key))
        return round(other / row.median, 3) if other is not None else None

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "versions": dict(versions),
        "runs": args.runs,
        "seed": args.seed,
        "cold_caches": args.cold_caches,
        "mirrors": {k: {"rev": m.rev, "url": m.url} for k, m in mirror_map.items()},
        "repo": asdict(stats),
        "hooks": [asdict(h) for h in hooks],
        "total_seconds": round(total, 2),
        "other_processes_cpus_busy": round(other_share, 3),
        "results": [
            {
                "tool": row.tool.label,
                "phase": row.phase,
                "argv": [Path(row.tool.argv[0]).name, *row.tool.argv[1:]],
                "median_s": round(row.median, 3),
                "min_s": round(row.best, 3),
                "speedup_vs_pre_commit": speedup(row, "pre-commit"),
                "speedup_vs_prek": speedup(row, "prek"),
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
