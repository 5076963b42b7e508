#!/usr/bin/env python3
"""Remote hook repos, four scenarios: pre-commit vs prek vs ``pytest --hooks``.

Builds local git mirrors of real hook repositories (bench/mirrors.py, from PyPI alone:
pre-commit-hooks, ruff-pre-commit, black-pre-commit-mirror, isort, codespell, yamllint),
a generated repository of 3,000 (``--files``) Python, YAML, TOML and Markdown files in
two variants (one with defects that the hooks fix or report, one clean that every hook
passes), and a ``.pre-commit-config.yaml`` of 12 hooks from those mirrors
(``repo: file:///...`` at a tag).  Then each tool, with its store (``PRE_COMMIT_HOME``,
``PREK_HOME``, ``HOOKRUN_HOME``) in a new directory each round, runs:

- **cold**: empty store: clone, build the hook environments, run every hook (defects);
- **full**: the filled store, every hook again on the reset tree; pytest-hookrun with
  ``--hooks-no-cache`` (its result cache must not help);
- **no change**: the clean variant, run once untimed, then the timed rerun with nothing
  changed (pytest-hookrun with its result cache, as a developer runs it);
- **one file changed**: then one Python file gets a new function and the tools run
  again (pytest-hookrun reruns the file-local hooks on that one file);
- **commit**: what the installed git hook runs: that file gets a second new function
  and is staged, another module gets an edit left unstaged, and each tool runs on the
  staged file (``pre-commit run``, ``prek run``, ``pytest --hooks --hooks-staged``),
  putting the unstaged edit aside and back.

One untimed warm-up round fills the package caches (pip's, uv's, virtualenv's: in the
benchmark's own directory) and gives each scenario its reference (pre-commit's run);
then ``--runs`` timed rounds.  After every run the script records the exit code, each
hook's verdict and a hash of the work tree, and reports loudly every run whose results
differ from the reference, and a pytest-hookrun whose result cache did not do what the
scenario expects.

Usage: ``python bench/remote.py [--runs N] [--scenarios cold,full,nochange,onefile,commit]
[--files N] [--json] [--mirrors DIR] [--keep]``.  Stdlib only; see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common  # bench/_common.py, next to this file
import mirrors  # bench/mirrors.py, next to this file

RUN_TIMEOUT = 900.0

# --------------------------------------------------------------------------- the config


@dataclass(frozen=True)
class HookSpec:
    id: str
    name: str  # as the upstream manifest names it: pre-commit's and prek's status lines
    repo: str  # upstream owner/name, a key of mirrors.build_all()
    writer: bool
    extra: tuple[str, ...] = ()  # more keys for the config, as YAML lines


PCH = "pre-commit/pre-commit-hooks"
ISORT = "pycqa/isort"
RUFF = "astral-sh/ruff-pre-commit"
BLACK = "psf/black-pre-commit-mirror"
CODESPELL = "codespell-project/codespell"
YAMLLINT = "adrienverge/yamllint"
# In the order a project lists them: the fixers, the checks, imports sorted before the
# linter and the formatters (ruff-format and black agree at line length 100), spelling,
# YAML style.
HOOKS: tuple[HookSpec, ...] = (
    HookSpec("trailing-whitespace", "trim trailing whitespace", PCH, True),
    HookSpec("end-of-file-fixer", "fix end of files", PCH, True),
    HookSpec("check-yaml", "check yaml", PCH, False),
    HookSpec("check-toml", "check toml", PCH, False),
    HookSpec("check-merge-conflict", "check for merge conflicts", PCH, False),
    HookSpec("check-added-large-files", "check for added large files", PCH, False),
    HookSpec("isort", "isort", ISORT, True),
    HookSpec("ruff-check", "ruff check", RUFF, False),
    HookSpec("ruff-format", "ruff format", RUFF, True),
    HookSpec("black", "black", BLACK, True),
    HookSpec("codespell", "codespell", CODESPELL, False),
    HookSpec("yamllint", "yamllint", YAMLLINT, False, ("args: [--strict]",)),
)
# --light: the hooks of these repos only
LIGHT_REPOS = frozenset({PCH, RUFF})
PRETTIER = "pre-commit/mirrors-prettier"
# --node: one node hook as well, as many projects configure prettier
NODE_HOOKS: tuple[HookSpec, ...] = (
    HookSpec("prettier", "prettier", PRETTIER, True, ("types_or: [markdown, yaml]",)),
)


def config_text(
    mirror_map: Mapping[str, mirrors.Mirror], hooks: Sequence[HookSpec]
) -> tuple[str, dict[int, str]]:
    """The config (yamllint-clean), and the 1-based line of each hook's ``- id:``
    (pytest's skip lines name it)."""
    lines = [
        "---",
        "# Remote hook repos (local mirrors of the real ones, see bench/mirrors.py).",
        "repos:",
    ]
    id_lines: dict[int, str] = {}
    for repo in dict.fromkeys(h.repo for h in hooks):
        mirror = mirror_map[repo]
        lines += [f"  # {repo}", f"  - repo: {mirror.url}", f"    rev: {mirror.rev}", "    hooks:"]
        for hook in hooks:
            if hook.repo == repo:
                lines.append(f"      - id: {hook.id}")
                id_lines[len(lines)] = hook.id
                lines += [f"        {extra}" for extra in hook.extra]
    return "\n".join(lines) + "\n", id_lines


# --------------------------------------------------------------------------- the repository

PYPROJECT = """\
[project]
name = "app"
version = "0.1.0"
description = "Generated by bench/remote.py."
requires-python = ">=3.11"

[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[tool.black]
line-length = 100
target-version = ["py311"]

[tool.isort]
profile = "black"
line_length = 100

[tool.ruff]
line-length = 100
target-version = "py311"

[tool.ruff.lint]
select = ["E", "F", "W", "B", "UP"]

[tool.codespell]
skip = "*.lock,*.svg"
"""

YAMLLINT_CONFIG = """\
---
extends: default

rules:
  line-length:
    max: 100
    allow-non-breakable-inline-mappings: true
"""

GITIGNORE = ".ruff_cache/\n.pytest_cache/\n__pycache__/\n*.egg-info/\n"

# Misspellings in codespell's dictionary, put in a few files of the variant with defects.
TYPOS = ("recieve", "seperate", "occured", "adress", "untill", "accross", "wich", "enviroment")

# What the "one file changed" scenario appends to one module: clean for every hook.
EDIT = '''

def benchmark_edit(count: int = 0) -> dict[str, int]:
    """Return what the one-file edit of the benchmark adds."""
    return {"count": count}
'''

# What the "commit" scenario appends to the same module before staging it, and the edit
# it leaves unstaged in another (every tool must put that one back as it was).
COMMIT_EDIT = '''

def benchmark_commit(count: int = 0) -> int:
    """Return what the commit of the benchmark adds."""
    return count + 1
'''
UNSTAGED_EDIT = "\n# an edit the commit leaves unstaged\n"


@dataclass
class RemoteRepoStats(common.RepoStats):
    unformatted_python_files: int = 0  # ruff format rewrites them (single quotes)
    unsorted_import_files: int = 0  # isort rewrites them
    lint_python_files: int = 0  # ruff check fails on them (an unused import)
    typo_files: int = 0  # codespell fails on them
    bad_yaml_files: int = 0  # check-yaml and yamllint fail on them (a duplicate key)


class RemoteGenerator(common.Generator):
    """Python that ``ruff format`` and black (line length 100) leave as it is and that
    ``ruff check`` and isort (profile black) accept; YAML that yamllint accepts; TOML;
    prose.  With defects: a few files of each kind are given what one hook fixes or
    reports.  Every random draw happens with or without defects: the clean variant has
    the same files."""

    TRAILING_WHITESPACE = 0.06
    END_DEFECTS = (0.03, 0.05)
    stats: RemoteRepoStats

    def typo(self, odds: float) -> str | None:
        """A misspelling, at these odds (drawn either way), when defects are on."""
        hit = self.rng.random() < odds
        word = self.rng.choice(TYPOS)
        if hit and self.defects:
            self.stats.typo_files += 1
            return word
        return None

    def python_module(self) -> str:
        rng = self.rng
        lint = rng.random() < 0.006  # ruff check: F401 `os` imported but unused
        imports = rng.random() < 0.25  # import os, sys and use them
        unsorted = rng.random() < 0.05  # isort: the two imports the other way round
        typo = self.typo(0.004)
        doc = self.sentence(rng.randint(5, 10))
        lines = [f'"""{typo.title() + " " if typo else ""}{doc}"""', ""]
        lines.append("from __future__ import annotations")
        if lint and not imports and self.defects:
            self.stats.lint_python_files += 1
            lines += ["", "import os"]
        if imports:
            order = ["os", "sys"]
            if unsorted and self.defects:
                self.stats.unsorted_import_files += 1
                order.reverse()
            lines += ["", *(f"import {m}" for m in order)]
        lines.append("")
        for _ in range(rng.randint(1, 4)):
            lines.append(f"{self.name().upper()} = {rng.randint(0, 10_000)}")
        if imports:
            lines.append("RUNTIME = (os.sep, sys.platform)")
        # ruff format: single-quoted strings become double-quoted
        single = rng.random() < 0.03 and self.defects
        self.stats.unformatted_python_files += single
        quote = "'" if single else '"'
        for _ in range(rng.randint(1, 4)):
            lines += ["", ""]
            lines += self.function("", False, quote, long_signature="drop", shadowing=False)
        for _ in range(rng.randint(0, 1)):
            cname = "".join(w.title() for w in self.name().split("_"))
            lines += ["", "", f"class {cname}:", f'    """{self.sentence(rng.randint(4, 8))}"""']
            for _ in range(rng.randint(1, 3)):
                lines.append("")
                lines += self.function("    ", True, '"', long_signature="drop", shadowing=False)
        return self.finish(lines)

    def page(self, suffix: str) -> str:
        lines = self.prose_lines(suffix)
        typo = self.typo(0.02)
        i = self.rng.randrange(len(lines))
        if typo and lines[i]:
            lines[i] += f" The {typo}."
        elif typo:
            lines[i] = f"The {typo}."
        return self.finish(lines)

    def yaml_doc(self, duplicate_key: bool = False) -> str:
        rng = self.rng
        lines = ["---", f"# {self.sentence(rng.randint(4, 9))}", f"name: {self.name()}"]
        lines.append("version: 1")
        for section in self.distinct_names(rng.randint(2, 6)):  # a repeated key is invalid
            lines.append(f"{section}:")
            lines.append(f"  enabled: {rng.choice(['true', 'false'])}")
            lines.append(f"  limit: {rng.randint(0, 1000)}")
            lines.append("  tags:")
            lines += [f"    - {w}" for w in rng.sample(common.WORDS, rng.randint(1, 4))]
        if duplicate_key and self.defects:  # check-yaml (ruamel.yaml) rejects it
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
            tags = ", ".join(f'"{w}"' for w in rng.sample(common.WORDS, rng.randint(1, 4)))
            lines.append(f"tags = [{tags}]")
        return self.finish(lines)


def build_repo(
    root: Path, n_files: int, seed: int, config: str, defects: bool = True
) -> tuple[RemoteRepoStats, str]:
    """The generated repository, one commit; its stats and the module EDIT goes to."""
    rng = random.Random(seed)
    stats = RemoteRepoStats()
    gen = RemoteGenerator(rng, stats, defects)
    root.mkdir(parents=True)
    dirs, doc_dirs, files = common.source_layout(rng)
    conf_dirs = [f"config/{w}" for w in rng.sample(common.WORDS, 5)]
    conf_dirs += [f"{d}/{rng.choice(common.WORDS)}" for d in conf_dirs]
    fixed = len(files) + 5  # + README.md, pyproject.toml, .gitignore, .yamllint.yaml, config
    n_python = int(n_files * 0.6) - len(files)
    n_yaml = max(2, n_files // 10)
    n_toml = max(1, n_files // 20)
    n_prose = n_files - fixed - n_python - n_yaml - n_toml
    if min(n_python, n_prose) < 1:
        raise ValueError(f"{n_files} files are too few")
    modules = []
    for i in range(n_python):
        modules.append(f"{rng.choice(dirs)}/{gen.name()}_{i}.py")
        files[modules[-1]] = gen.python_module()
    for i in range(n_prose):
        suffix = rng.choice([".md", ".md", ".md", ".txt"])
        files[f"{rng.choice(doc_dirs)}/{gen.name()}_{i}{suffix}"] = gen.page(suffix)
    bad_yaml = {rng.randrange(n_yaml)}
    for i in range(n_yaml):
        suffix = rng.choice([".yaml", ".yml"])
        doc = gen.yaml_doc(duplicate_key=i in bad_yaml)
        files[f"{rng.choice(conf_dirs)}/{gen.name()}_{i}{suffix}"] = doc
    for i in range(n_toml):
        files[f"{rng.choice(conf_dirs)}/{gen.name()}_{i}.toml"] = gen.toml_doc()
    files["README.md"] = "# Benchmark repository\n\nGenerated by bench/remote.py.\n"
    files["pyproject.toml"] = PYPROJECT
    files[".gitignore"] = GITIGNORE
    files[".yamllint.yaml"] = YAMLLINT_CONFIG
    files[common.CONFIG] = config
    common.write_files(root, files, stats)
    common.commit_all(root, "Generated benchmark repository")
    return stats, rng.choice(modules)


# --------------------------------------------------------------------------- running

# The scenarios of the table, and the steps of a round (prime: the untimed run on the
# clean variant that comes before "no change"; it is checked like the others).
SCENARIOS = ("cold", "full", "nochange", "onefile", "commit")
STEPS = ("cold", "full", "prime", "nochange", "onefile", "commit")
LABELS = {
    "cold": "cold: empty store, install + full run",
    "full": "warm: full run, no result cache",
    "prime": "warm: clean variant, first run (untimed)",
    "nochange": "warm: rerun, nothing changed",
    "onefile": "warm: rerun, one file changed",
    "commit": "warm: commit, one file staged (git hook)",
}
SHORT = {
    "cold": "cold",
    "full": "full",
    "prime": "prime",
    "nochange": "no change",
    "onefile": "one file",
    "commit": "commit",
}
CLEAN_STEPS = ("prime", "nochange", "onefile", "commit")  # on the clean variant


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    argv: tuple[str, ...]
    store_var: str  # the environment variable naming the tool's store
    parse: str  # "status-lines" (pre-commit, prek) or "pytest"
    env: tuple[tuple[str, str], ...] = ()  # set for this tool only
    full_args: tuple[str, ...] = ()  # added to the cold and full runs
    keep_for_full: tuple[str, ...] = ()  # kept from the cold run for the full run

    def command(self, step: str, junit: Path | None) -> tuple[str, ...]:
        argv = self.argv + (self.full_args if step in ("cold", "full") else ())
        if step == "commit":  # the staged files, as each tool's git hook runs it
            argv = tuple(a for a in argv if a != "--all-files")
            argv += ("--hooks-staged",) if self.parse == "pytest" else ()
        return argv + ((f"--junitxml={junit}",) if junit else ())


def make_tools(python: str, pre_commit: str | None, prek: str | None) -> list[Tool]:
    tools = []
    if pre_commit:
        argv = (pre_commit, "run", "--all-files", "--color", "never")
        tools.append(Tool("pre-commit", "pre-commit", argv, "PRE_COMMIT_HOME", "status-lines"))
    if prek:
        argv = (prek, "run", "--all-files", "--color", "never")
        tools.append(Tool("prek", "prek", argv, "PREK_HOME", "status-lines"))
    pytest_argv: tuple[str, ...] = (python, "-m", "pytest", "--hooks", "-q", "-p", "no:randomly")
    pytest_argv += ("-rfEsp", common.CONFIG)  # -rfEsp: one summary line per hook
    no_cache = ("--hooks-no-cache",)
    store = "HOOKRUN_HOME"
    tools.append(Tool("pytest", "pytest --hooks", pytest_argv, store, "pytest", (), no_cache))
    # pytest-hookrun's fallback when uv is not found: venv + pip (as pre-commit installs)
    no_uv = (("HOOKRUN_UV", "0"),)
    label = "pytest --hooks, venv+pip"
    tools.append(Tool("pytest-pip", label, pytest_argv, store, "pytest", no_uv, no_cache))
    # Every hook as its own processes: no in-process fast path for pre-commit-hooks' hooks
    nofast = (*pytest_argv, "--hooks-no-fast-path")
    label = "pytest --hooks, no fast path"
    tools.append(Tool("pytest-nofast", label, nofast, store, "pytest", (), no_cache))
    # No other installed plugin loaded (what the git hooks `hookrun install` writes do)
    lean: tuple[str, ...] = (python, "-m", "pytest", *common.LEAN_START)
    lean += ("--hooks", "-q", "-rfEsp", common.CONFIG)
    label = "pytest --hooks, lean start"
    tools.append(Tool("pytest-lean", label, lean, store, "pytest", (), no_cache))
    # The full run keeps the cold run's .pytest_cache, where pytest-hookrun records the
    # hooks that passed (its result cache), and runs without --hooks-no-cache.
    label = "pytest --hooks, result cache kept"
    keep = (".pytest_cache",)
    tools.append(Tool("pytest-cached", label, pytest_argv, store, "pytest", keep_for_full=keep))
    return tools


@dataclass
class RemoteRun(common.Run):
    step: str = ""
    store_bytes: int = 0
    unsupported: list[str] = field(default_factory=list)  # hooks skipped "not supported"
    cached: list[str] = field(default_factory=list)  # pytest-hookrun: passed (cached)
    # pytest-hookrun (its JUnit XML): hook id -> [files given, files it ran on]
    ran: dict[str, list[int]] = field(default_factory=dict)
    output_tail: str = field(default="", repr=False)

    def json(self) -> dict[str, Any]:
        doc = super().json()
        doc.update(
            store_bytes=self.store_bytes,
            unsupported=self.unsupported,
            cached=self.cached,
            files_run=self.ran,
        )
        return doc


@dataclass
class ScenarioRow(common.Row):
    step: str = ""


def read_junit(path: Path) -> dict[str, list[int]]:
    """Per hook from pytest-hookrun's JUnit XML: [files given, files run on] (a hook
    cached whole ran on none; one cached per file on those not cached)."""
    ran: dict[str, list[int]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        props = {p.get("name"): p.get("value") or "" for p in case.iter("property")}
        if "hook_id" not in props:
            continue
        files = int(props.get("files") or 0)
        cached = props.get("cached", "no")
        skipped = props.get("outcome") == "skipped"
        if cached == "all" or skipped:
            run_on = 0
        elif cached.endswith(" files"):
            run_on = files - int(cached.split()[0])
        else:
            run_on = files
        ran[props["hook_id"]] = [files, run_on]
    return ran


def edit_one_file(repo: Path, module: str, text: str = EDIT) -> None:
    with open(repo / module, "a", encoding="utf-8") as f:
        f.write(text)


@dataclass
class Context:
    """What every run of a benchmark shares."""

    env: Mapping[str, str]
    hooks: Sequence[HookSpec]
    id_lines: Mapping[int, str]
    junit_dir: Path
    edited: str  # the module "one file changed" edits (and "commit" stages)
    unstaged: str  # the module "commit" edits without staging it
    black_caches: Path  # black's own caches (BLACK_CACHE_DIR), one per tool and variant


def caches(where: Path) -> dict[str, str]:
    """The package caches (pip's, uv's, virtualenv's, npm's) kept under ``where``."""
    return {
        "PIP_CACHE_DIR": str(where / "pip"),
        "UV_CACHE_DIR": str(where / "uv"),
        "VIRTUALENV_OVERRIDE_APP_DATA": str(where / "virtualenv"),
        "npm_config_cache": str(where / "npm"),
    }


def run_once(
    tool: Tool,
    step: str,
    repo: Path,
    store: Path,
    env: Mapping[str, str],
    ctx: Context,
    reference: common.Reference | None,
) -> tuple[RemoteRun, str]:
    variant = "clean" if step in CLEAN_STEPS else "dirty"
    black_cache = ctx.black_caches / f"{tool.key}-{variant}"
    keep = tool.keep_for_full if step == "full" else ()
    if step in ("cold", "full", "prime"):  # -x: .ruff_cache and .pytest_cache go too
        common.reset(repo, ignored=True, keep=keep)
    if step in ("cold", "full") and not keep:  # and black's cache, which lives outside
        shutil.rmtree(black_cache, ignore_errors=True)
    elif step == "onefile":
        edit_one_file(repo, ctx.edited)
    elif step == "commit":  # after "one file changed": a new edit of that file, staged
        edit_one_file(repo, ctx.edited, COMMIT_EDIT)
        common.git(repo, "add", "--", ctx.edited)
        edit_one_file(repo, ctx.unstaged, UNSTAGED_EDIT)
    junit = ctx.junit_dir / f"{tool.key}-{step}.xml" if tool.parse == "pytest" else None
    if junit is not None:
        junit.unlink(missing_ok=True)
    env = {**env, **dict(tool.env), tool.store_var: str(store), "BLACK_CACHE_DIR": str(black_cache)}
    done = common.measure(tool.command(step, junit), repo, env, RUN_TIMEOUT)
    names = {h.name: h.id for h in ctx.hooks}
    verdicts = common.parse_statuses(tool.parse, done.output, names, ctx.id_lines)
    files = common.tree_files(repo, exclude_ignored=True)
    run = RemoteRun(
        done.seconds,
        done.cpu_seconds,
        done.returncode,
        common.tree_hash(files),
        verdicts.hooks,
        files,
        done.other_cpu_seconds,
        step=step,
        store_bytes=common.dir_size(store),
        unsupported=verdicts.unsupported,
        cached=verdicts.cached,
        ran=read_junit(junit) if junit is not None and junit.is_file() else {},
        output_tail="\n".join(done.output.splitlines()[-15:]),
    )
    if reference is not None and files != reference.files:
        run.diffs = reference.diffs(repo, files)
    return run, done.output


def export_hookrun(rev: str, dest: Path) -> tuple[Path, str]:
    """``git archive REV pytest_hookrun`` of this checkout into dest; (dest, a version)."""
    checkout = Path(__file__).resolve().parent.parent
    commit = common.git(checkout, "rev-parse", "--short", f"{rev}^{{commit}}").strip()
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "pytest_hookrun"],
        cwd=checkout,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest, f"commit {commit} of pytest_hookrun/ (git archive, on PYTHONPATH)"


def filelocal_hooks(package: Path | None) -> set[str]:
    """The hook ids pytest-hookrun caches per file (its filelocal_hooks.txt)."""
    if package is None or not (package / "filelocal_hooks.txt").is_file():
        return set()
    text = (package / "filelocal_hooks.txt").read_text(encoding="utf-8")
    return {line.split("#")[0].strip() for line in text.splitlines()} - {""}


# --------------------------------------------------------------------------- checks


def wide_filelocal(run: RemoteRun, filelocal: set[str]) -> dict[str, int]:
    """File-local hooks that ran on more than one file: hook id -> files."""
    return {h: n for h, (_files, n) in run.ran.items() if h in filelocal and n > 1}


def check_results(
    rows: Mapping[tuple[str, str], ScenarioRow], hooks: Sequence[HookSpec]
) -> list[str]:
    """Differences in final tree, pass/fail and per-hook verdicts; empty when all agree.

    Each step's reference is pre-commit's warm-up run of it (hooks one at a time in
    config order; cold and full share cold's); every run of every tool, warm-ups
    included, is compared with it.  The clean variant's references must pass.
    """
    problems: list[str] = []
    hook_ids = [h.id for h in hooks]
    steps = list(dict.fromkeys(step for _, step in rows))
    for step in steps:
        ref_step = "cold" if step == "full" else step
        ref_row = rows.get(("pre-commit", ref_step))
        if ref_row is None or ref_row.warmup is None:
            continue
        ref = ref_row.warmup
        ref_label = f"pre-commit {SHORT[ref_step]} warm-up"
        # a commit's hooks without a staged file of theirs are skipped
        fine = {"passed", "skipped"} if step == "commit" else {"passed"}
        if step in CLEAN_STEPS and (
            ref.exit_code != 0 or any(v not in fine for v in ref.hooks.values())
        ):
            failed = sorted(k for k, v in ref.hooks.items() if v not in fine)
            problems.append(
                f"{ref_label}: the clean variant does not pass (exit {ref.exit_code}; "
                f"{', '.join(failed) or 'no hook failed'}): the benchmark's generator is off"
            )
        for (_key, row_step), row in rows.items():
            if row_step != step:
                continue
            unsupported = sorted({h for _, run in row.all_runs for h in run.unsupported})
            if unsupported:
                problems.append(
                    f"{row.tool.label} {SHORT[step]}: {len(unsupported)} hooks skipped as not "
                    f"supported ({', '.join(unsupported)}): its times do not include them"
                )
                continue
            for name, run in row.all_runs:
                if run is not ref:
                    label = f"{row.tool.label} {SHORT[step]} {name}"
                    problems += common.compare_run(
                        label, run, ref, ref_label, hook_ids, run.output_tail
                    )
    return problems


def check_cache(
    rows: Mapping[tuple[str, str], ScenarioRow], filelocal: set[str], hooks: Sequence[HookSpec]
) -> list[str]:
    """pytest-hookrun's result cache in the warm scenarios: after no change it runs no
    hook; after one file changed (or staged), a file-local hook runs on that file at most."""
    problems: list[str] = []
    for (_key, step), row in rows.items():
        if row.tool.parse != "pytest" or step not in ("nochange", "onefile", "commit"):
            continue
        for name, run in row.all_runs:
            label = f"{row.tool.label} {SHORT[step]} {name}"
            if not run.ran:
                problems.append(f"{label}: no JUnit XML: what it ran is unknown")
                continue
            ran = {h: n for h, (_files, n) in run.ran.items() if n}
            if step == "nochange" and ran:
                shown = ", ".join(f"{h} on {n} files" for h, n in ran.items())
                problems.append(f"{label}: nothing changed, yet it ran {shown}")
            wide = wide_filelocal(run, filelocal)
            if step in ("onefile", "commit") and wide:
                shown = ", ".join(f"{h} on {n} files" for h, n in wide.items())
                problems.append(f"{label}: file-local hooks ran beyond the edited file: {shown}")
    return problems


# --------------------------------------------------------------------------- output


def ran_summary(run: RemoteRun, filelocal: set[str], hooks: Sequence[HookSpec]) -> str:
    """What pytest-hookrun ran: "9 of 12 hooks ran: 6 on 1 file (...), 3 on all ..."."""
    one, all_, none = [], [], []
    for hook in hooks:
        files, n = run.ran.get(hook.id, [0, 0])
        if n == 0:
            none.append(hook.id)
        elif n == 1 and files > 1:
            one.append(hook.id)
        else:
            all_.append(f"{hook.id} ({n}{'' if hook.id in filelocal else ', cached whole'})")
    parts = []
    if one:
        parts.append(f"{len(one)} on the 1 changed file ({', '.join(one)})")
    if all_:
        parts.append(f"{len(all_)} on all their files ({', '.join(all_)})")
    if none:
        parts.append(f"{len(none)} not at all (cached: {', '.join(none)})")
    return f"{len(one) + len(all_)} of {len(hooks)} hooks ran: " + "; ".join(parts)


@dataclass
class Target:
    text: str
    met: bool | None  # None: no target


def target(scenario: str, mine: float, pre_commit: float | None, prek: float | None) -> Target:
    if scenario == "full" and pre_commit and prek:
        a, b = mine / pre_commit, mine / prek
        return Target("<= 0.90x pre-commit, <= 1.20x prek", a <= 0.9 and b <= 1.2)
    if scenario == "nochange" and prek:
        return Target("<= 0.40x prek (2.5x faster)", mine / prek <= 0.4)
    return Target("-", None)


def summary(
    rows: Mapping[tuple[str, str], ScenarioRow],
    tools: Sequence[Tool],
    scenarios: Sequence[str],
    onefile_ok: bool | None,
) -> tuple[str, list[dict[str, Any]]]:
    """The main table: one row per scenario, one column per tool (median seconds), the
    time ratios of pytest --hooks to pre-commit and to prek, and the targets."""
    has_prek = any(t.key == "prek" for t in tools)
    # the lean start is what the installed git hooks run: judged too, in its own column
    has_lean = any(t.key == "pytest-lean" for t in tools)
    header = ["scenario", *(t.label for t in tools), "pytest / pre-commit"]
    header += ["pytest / prek"] if has_prek else []
    header += ["target (pytest)", "met"] + (["met (lean start)"] if has_lean else [])
    body, doc = [], []
    for scenario in scenarios:
        medians = {t.key: rows[(t.key, scenario)].median for t in tools}
        mine, base, fast = medians.get("pytest"), medians["pre-commit"], medians.get("prek")
        cells = [LABELS[scenario], *(f"{medians[t.key]:.2f} s" for t in tools)]
        cells.append(f"{mine / base:.2f}" if mine else "-")
        if has_prek:
            cells.append(f"{mine / fast:.2f}" if mine and fast else "-")
        goal = target(scenario, mine, base, fast) if mine else Target("-", None)
        if scenario == "onefile" and mine:
            goal = Target("file-local hooks on the changed file only", onefile_ok)
        words = {True: "yes", False: "no", None: "-"}
        cells += [goal.text, words[goal.met]]
        lean = medians.get("pytest-lean")
        lean_goal = target(scenario, lean, base, fast) if lean else Target("-", None)
        if scenario == "onefile" and lean:
            lean_goal = Target(goal.text, onefile_ok)
        if has_lean:
            cells.append(words[lean_goal.met])
        body.append(cells)
        doc.append(
            {
                "scenario": scenario,
                "label": LABELS[scenario],
                "median_s": {t.label: round(medians[t.key], 3) for t in tools},
                "pytest_over_pre_commit": round(mine / base, 3) if mine else None,
                "pytest_over_prek": round(mine / fast, 3) if mine and fast else None,
                "target": goal.text,
                "met": goal.met,
                "met_lean_start": lean_goal.met if has_lean else None,
            }
        )
    numeric = set(range(1, len(tools) + 2 + has_prek))
    return common.markdown_table(header, body, numeric), doc


def detail_table(rows: Sequence[ScenarioRow]) -> str:
    """One row per (scenario, tool): times, speedups, CPU, store size, exit codes, trees."""
    base = {(row.step, row.tool.key): row.median for row in rows}
    header: tuple[str, ...] = ("scenario", "tool", "median s", "min s", "vs pre-commit")
    header += ("vs prek", "cpu s", "cpu floor s", "store MB", "exit", "tree")
    body = [
        (
            SHORT[row.step],
            row.tool.label
            + (" (hooks unsupported!)" if any(r.unsupported for r in row.runs) else ""),
            f"{row.median:.2f}",
            f"{row.best:.2f}",
            common.ratio(base.get((row.step, "pre-commit")), row.median),
            common.ratio(base.get((row.step, "prek")), row.median),
            f"{row.cpu:.1f}",
            f"{cpu_floor(row):.2f}",
            f"{statistics.median(r.store_bytes for r in row.runs) / 1e6:.0f}",
            "/".join(sorted({str(r.exit_code) for r in row.runs})),
            "/".join(sorted({r.tree[:8] for r in row.runs})),
        )
        for row in rows
    ]
    return common.markdown_table(header, body, {2, 3, 4, 5, 6, 7, 8})


def cpu_floor(row: ScenarioRow) -> float:
    """The shortest wall time the row's CPU seconds allow on this machine's CPUs: no
    schedule of the same work on as many cores can end sooner."""
    return row.cpu / (os.cpu_count() or 1)


def floor_notes(rows: Mapping[tuple[str, str], ScenarioRow], tools: Sequence[Tool]) -> list[str]:
    """For the full run, how close each pytest-hookrun variant is to its CPU floor and
    which ratio to pre-commit the floor itself allows: a target below that ratio asks
    for less CPU (less work), not for a better schedule."""
    base = rows.get(("pre-commit", "full"))
    if base is None or not base.runs:
        return []
    notes = []
    for tool in tools:
        row = rows.get((tool.key, "full"))
        if tool.key.startswith("pytest") and row is not None and row.runs:
            floor = cpu_floor(row)
            notes.append(
                f"full run: {tool.label}: {row.cpu:.1f} CPU s on {os.cpu_count()} CPUs, floor "
                f"{floor:.2f} s = {floor / base.median:.2f}x pre-commit's time; it ran at "
                f"{floor / row.median:.0%} of the floor's speed"
            )
            paired = round_ratios(row, base)
            if len(paired) > 1:
                notes.append(
                    f"full run: {tool.label} / pre-commit, round by round: "
                    + " ".join(f"{r:.2f}" for r in paired)
                    + f" (median {statistics.median(paired):.2f}): the machine's speed drifts"
                    " between rounds, so medians of the tools' times can disagree with it"
                )
    return notes


def round_ratios(row: ScenarioRow, base: ScenarioRow) -> list[float]:
    """``row``'s time over ``base``'s, per timed round (the tools ran one after the other
    in each round, so a slow spell of the machine weighs on both sides of a ratio)."""
    return [r.seconds / b.seconds for r, b in zip(row.runs, base.runs, strict=False) if b.seconds]


def hook_table(rows: Sequence[ScenarioRow], hooks: Sequence[HookSpec]) -> str:
    """Each hook's verdict per scenario and tool (first timed run); pytest-hookrun's
    cached ones marked *, with the files it ran on (of the files given) in the warm
    scenarios."""
    tools = list(dict.fromkeys(row.tool for row in rows))
    steps = list(dict.fromkeys(row.step for row in rows))
    by = {(row.step, row.tool.key): row for row in rows}
    width = 9 * len(tools) + 2
    lines = [
        "hook verdicts (first timed run), per scenario: " + ", ".join(t.label for t in tools),
        " " * 26 + "".join(f"{SHORT[s]:<{width}}" for s in steps),
    ]
    for hook in hooks:
        cells = []
        for step in steps:
            verdicts = []
            for tool in tools:
                run = by[(step, tool.key)].runs[0]
                mark = "*" if hook.id in run.cached else ""
                verdicts.append(f"{run.hooks.get(hook.id, '?') + mark:<8}")
            cells.append((" ".join(verdicts)).ljust(width))
        lines.append(f"  {hook.id:<24}" + "".join(cells).rstrip())
    lines.append("  *: passed (cached): pytest-hookrun did not run it again")
    return "\n".join(lines)


def files_run_table(rows: Sequence[ScenarioRow], hooks: Sequence[HookSpec]) -> str:
    """pytest --hooks: on how many files each hook ran, of those it was given."""
    shown = [r for r in rows if r.tool.key == "pytest" and r.runs and r.runs[0].ran]
    if not shown:
        return ""
    lines = ["pytest --hooks: files each hook ran on / files given (first timed run)"]
    lines.append(" " * 26 + "".join(f"{SHORT[r.step]:<14}" for r in shown))
    for hook in hooks:
        cells = []
        for row in shown:
            files, n = row.runs[0].ran.get(hook.id, [0, 0])
            cells.append(f"{n}/{files}".ljust(14))
        lines.append(f"  {hook.id:<24}" + "".join(cells).rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--files", type=int, default=3000, help="files in the repo (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the generated repo")
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated, of {','.join(SCENARIOS)} (default all; the cold run "
        "always happens, it fills the store, but is shown only when asked for)",
    )
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
        "HOOKRUN_UV=0: venv+pip),pytest-cached (the full run keeps the cold run's "
        ".pytest_cache: pytest-hookrun's result cache),pytest-nofast (--hooks-no-fast-path: "
        "pre-commit-hooks' hooks as processes, not in-process),pytest-lean (--disable-plugin-"
        "autoload -p pytest_hookrun.plugin: no other plugin); default pre-commit,prek,pytest",
    )
    versions = {
        "pre-commit-hooks": mirrors.PRE_COMMIT_HOOKS_VERSION,
        "ruff": mirrors.RUFF_VERSION,
        "black": mirrors.BLACK_VERSION,
        "isort": mirrors.ISORT_VERSION,
        "codespell": mirrors.CODESPELL_VERSION,
        "yamllint": mirrors.YAMLLINT_VERSION,
        "prettier": mirrors.PRETTIER_VERSION,
    }
    for name, default in versions.items():
        parser.add_argument(f"--{name}-version", default=default, metavar="V")
    parser.add_argument(
        "--hookrun-rev",
        metavar="REV",
        help="run pytest-hookrun as committed at REV of this checkout (git archive of "
        "pytest_hookrun/ put first on PYTHONPATH), not the installed one: other work in a "
        "shared work tree then does not leak into the numbers",
    )
    parser.add_argument(
        "--light",
        action="store_true",
        help="a light config: only the 8 hooks of pre-commit-hooks and ruff (no black, isort, "
        "codespell, yamllint), where start-up and bookkeeping weigh more than the hooks' work",
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
    args.tool_keys = set(args.tools.split(","))
    known = {"pre-commit", "prek", "pytest", "pytest-pip", "pytest-cached", "pytest-nofast"}
    known.add("pytest-lean")
    if not args.tool_keys <= known or "pre-commit" not in args.tool_keys:
        parser.error(f"--tools: of {','.join(sorted(known))}, with pre-commit")
    args.scenario_list = [s for s in SCENARIOS if s in args.scenarios.split(",")]
    if set(args.scenarios.split(",")) - set(SCENARIOS) or not args.scenario_list:
        parser.error(f"--scenarios: of {','.join(SCENARIOS)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = args.tool_keys
    path = common.interpreter_path()
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
            black_version=args.black_version,
            isort_version=args.isort_version,
            codespell_version=args.codespell_version,
            yamllint_version=args.yamllint_version,
        )
        base = tuple(h for h in HOOKS if h.repo in LIGHT_REPOS) if args.light else HOOKS
        hooks = base + (NODE_HOOKS if args.node else ())
        config, id_lines = config_text(mirror_map, hooks)
        stats, edited = build_repo(tmp / "dirty", args.files, args.seed, config)
        build_repo(tmp / "clean", args.files, args.seed, config, defects=False)
        log(
            f"repo: {stats.files} files "
            + ", ".join(f"{n} {s or 'other'}" for s, n in sorted(stats.by_suffix.items()))
            + f"; {stats.lines} lines, {stats.bytes / 1e6:.1f} MB"
        )
        log(
            f"  with defects: to fix: {stats.trailing_whitespace_files} trailing whitespace, "
            f"{stats.end_of_file_files} end of file, {stats.unsorted_import_files} unsorted "
            f"imports, {stats.unformatted_python_files} unformatted Python; to fail: "
            f"{stats.lint_python_files} ruff check, {stats.typo_files} codespell, "
            f"{stats.bad_yaml_files} yaml; clean variant: the same files without them"
        )
        log(f"  one file changed: {edited}; commit: it staged, another edited unstaged")
        used = {h.repo for h in hooks}
        log(
            "mirrors: "
            + ", ".join(f"{m.name}@{m.rev}" for m in mirror_map.values() if m.name in used)
        )
        if uv is None:
            log("note: no uv on PATH: prek installs its own (through pip), pytest-hookrun uses pip")

        env = common.bench_env(path)

        shared_caches = caches(tmp / "caches")
        tools = [t for t in make_tools(sys.executable, pre_commit, prek) if t.key in wanted]
        hookrun_said = common.hookrun_version()
        package = common.hookrun_package_dir()
        if args.hookrun_rev:  # that commit's pytest_hookrun first on sys.path
            source_dir, hookrun_said = export_hookrun(args.hookrun_rev, tmp / "hookrun-src")
            package = source_dir / "pytest_hookrun"
            pythonpath = os.pathsep.join(filter(None, [str(source_dir), env.get("PYTHONPATH")]))
            tools = [
                replace(t, env=(*t.env, ("PYTHONPATH", pythonpath)))
                if t.key.startswith("pytest")
                else t
                for t in tools
            ]
        filelocal = filelocal_hooks(package)
        scenarios = args.scenario_list
        steps = [s for s in STEPS if s == "cold" or s in scenarios]
        if {"nochange", "onefile", "commit"} & set(scenarios):
            steps.insert(steps.index("full") + 1 if "full" in steps else 1, "prime")
        rows = {(t.key, s): ScenarioRow(t, step=s) for s in steps for t in tools}
        repos: dict[tuple[str, str], Path] = {}
        for tool in tools:
            for variant in ("dirty", "clean"):
                repos[(tool.key, variant)] = tmp / "repos" / f"{tool.key}-{variant}"
                shutil.copytree(tmp / variant, repos[(tool.key, variant)], symlinks=True)
        (tmp / "junit").mkdir()
        unstaged = next(
            name
            for name in common.git(tmp / "clean", "ls-files", "*.py").split()
            if name != edited and not name.endswith("__init__.py")
        )
        ctx = Context(env, hooks, id_lines, tmp / "junit", edited, unstaged, tmp / "black-cache")
        references: dict[str, common.Reference] = {}

        def round_(label: str, number: int) -> None:
            for step in steps:
                variant = "clean" if step in CLEAN_STEPS else "dirty"
                times = []
                for tool in tools:
                    store = tmp / "stores" / f"{tool.key}-{number}"
                    cache_env = shared_caches
                    if args.cold_caches and number > 0:  # empty for the cold run, then filled
                        cache_env = caches(tmp / "caches" / f"{tool.key}-{number}")
                    repo = repos[(tool.key, variant)]
                    ref_key = "cold" if step == "full" else step
                    run, output = run_once(
                        tool,
                        step,
                        repo,
                        store,
                        {**env, **cache_env},
                        ctx,
                        references.get(ref_key),
                    )
                    row = rows[(tool.key, step)]
                    if number == 0:
                        row.warmup = run
                        if tool.key == "pre-commit":
                            references[step] = common.Reference.capture(repo, run.files, True)
                        if args.show_output:
                            log(f"--- {tool.label} {SHORT[step]} warm-up output:\n{output}")
                    else:
                        row.runs.append(run)
                    times.append(f"{tool.label} {run.seconds:.1f}")
                log(f"{label}: {SHORT[step]}: " + ", ".join(times) + " s")
            for tool in tools:
                shutil.rmtree(tmp / "stores" / f"{tool.key}-{number}", ignore_errors=True)
                shutil.rmtree(tmp / "caches" / f"{tool.key}-{number}", ignore_errors=True)

        round_("warm-up (untimed)", 0)
        for i in range(1, args.runs + 1):
            round_(f"round {i}/{args.runs}", i)

        problems = check_results(rows, hooks)
        cache_problems = check_cache(rows, filelocal, hooks)
        total = time.perf_counter() - started
        shown_rows = [rows[(t.key, s)] for s in scenarios for t in tools]
        other_share = common.other_cpu_share(r for row in rows.values() for r in row.runs)
        onefile_runs = rows[("pytest", "onefile")].runs if ("pytest", "onefile") in rows else []
        onefile_said = ran_summary(onefile_runs[0], filelocal, hooks) if onefile_runs else ""
        onefile_ok = (
            all(r.ran and not wide_filelocal(r, filelocal) for r in onefile_runs)
            if onefile_runs
            else None
        )
        table, summary_doc = summary(rows, tools, scenarios, onefile_ok)
        versions = {
            "pre-commit": common.tool_version([pre_commit]),
            **({"prek": common.tool_version([prek])} if prek else {}),
            "uv": common.tool_version([uv]) if uv else "none",
            "python": platform.python_version(),
            "pytest-hookrun": hookrun_said,
        }
        caches_said = "empty for every cold run" if args.cold_caches else "warm"
        report = [
            "",
            table,
            "",
            f"{len(hooks)} hooks from {len(used)} repos; medians of {args.runs} timed rounds; "
            "pytest / X: pytest --hooks's median time over X's (below 1: pytest --hooks "
            "is faster)",
        ]
        if onefile_said:
            report.append(f"one file changed: pytest --hooks: {onefile_said}")
        report += floor_notes(rows, tools)
        report += [
            "",
            detail_table(shown_rows),
            "",
            hook_table(shown_rows, hooks),
            "",
            files_run_table(shown_rows, hooks),
            "",
            f"{common.utc_now()}; {args.runs} timed rounds (every scenario per tool) after one "
            f"warm-up round; {os.cpu_count()} CPUs; package caches {caches_said}; "
            f"total {total:.0f} s",
            f"other processes on the machine kept {other_share:.2f} CPUs busy on average "
            "during the timed runs",
            "; ".join(f"{k} {v}" for k, v in versions.items()),
            "vs X: X's median / this median (above 1: faster than X); cpu s: median "
            "user+system seconds of the tool and all its processes; cpu floor s: cpu s "
            "over the CPUs (no schedule of that work ends sooner); store MB: the "
            "tool's store after the run",
        ]
        if problems or cache_problems:
            report += ["", "!" * 78]
            if problems:
                report.append("DISAGREEMENT between the tools (or a tool did not run every hook):")
                report += [f"  - {p}" for p in problems]
            if cache_problems:
                report.append("pytest-hookrun's result cache did not do what the scenario expects:")
                report += [f"  - {p}" for p in cache_problems]
            report.append("!" * 78)
        else:
            report.append("all tools left identical trees and the same verdicts in every scenario")
        if args.json:  # the JSON on stdout, the report on stderr
            doc = {
                **common.json_header(versions, args.runs, args.seed),
                "cold_caches": args.cold_caches,
                "scenarios": scenarios,
                "mirrors": {k: {"rev": m.rev, "url": m.url} for k, m in mirror_map.items()},
                "repo": asdict(stats),
                "edited_file": edited,
                "hooks": [asdict(h) for h in hooks],
                "total_seconds": round(total, 2),
                "other_processes_cpus_busy": round(other_share, 3),
                "summary": summary_doc,
                "onefile_pytest_ran": onefile_said,
                "results": [_row_json(row) for row in rows.values() if row.runs],
                "problems": list(problems),
                "cache_problems": list(cache_problems),
                "consistent": not problems,
            }
            print(json.dumps(doc, indent=2))
        log("\n".join(report))
        return 1 if problems or cache_problems else 0
    finally:
        common.finish_tmp(tmp, args.keep, log)


def _row_json(row: ScenarioRow) -> dict[str, Any]:
    return {
        "tool": row.tool.label,
        "scenario": row.step,
        "argv": [Path(row.tool.argv[0]).name, *row.tool.command(row.step, None)[1:]],
        "median_s": round(row.median, 3),
        "min_s": round(row.best, 3),
        "cpu_median_s": round(row.cpu, 3),
        "cpu_floor_s": round(cpu_floor(row), 3),
        "runs": [r.json() for r in row.runs],
        "warmup": row.warmup.json() if row.warmup else None,
    }


if __name__ == "__main__":
    sys.exit(main())
