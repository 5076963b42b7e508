"""What bench/run.py and bench/remote.py share: repository generation, git, the reset and
hash of a work tree, timed runs with CPU accounting, parsing the tools' verdicts, the
checks of a run against a reference, and the output (Markdown tables, versions, JSON).

Each benchmark is a script (``python bench/run.py``), so this module is imported as the
top-level module ``_common`` from the directory of the script.  Stdlib only.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from random import Random
from typing import Any

CONFIG = ".pre-commit-config.yaml"
# What the git hooks `hookrun install` writes start pytest with (pytest_hookrun.githooks:
# PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 and LEAN_PLUGIN_ARGS; tests/test_githooks.py checks
# that the two agree): the "lean start" rows.
LEAN_START = (
    "--disable-plugin-autoload",
    *("-p", "pytest_hookrun.plugin"),
    *("-p", "no:unraisableexception", "-p", "no:threadexception"),
    *("-p", "no:monkeypatch", "-p", "no:recwarn", "-p", "no:legacypath", "-p", "no:unittest"),
    "--assert=plain",
)

# Variables that would change how a tool installs, schedules or reports: the benchmarks
# set their own (stores, caches) or none.
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
    "HOOKRUN_NO_CACHE",
    "HOOKRUN_ORDER",
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
    "BLACK_CACHE_DIR",
    # With it, pytest cannot cache its assertion-rewritten plugin modules and rewrites
    # them (hypothesis: ~2.5 s here) on every run: not how a developer's pytest runs.
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


def git(cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """Run git in cwd (no signing, no hooks, a fixed identity); its stdout."""
    argv = ["git", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", *args]
    done = subprocess.run(
        argv,
        cwd=cwd,
        env={**os.environ, **GIT_ENV, **(env or {})},
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def commit_all(root: Path, message: str) -> None:
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", message)


# --------------------------------------------------------------------------- environment


def interpreter_path() -> str:
    """PATH with the running interpreter's bin/ first: `python`/`python3` in hooks and the
    tools' own launchers are then found directly, not through version-manager shims."""
    bindir = str(Path(sys.executable).parent)
    return os.pathsep.join([bindir, os.environ.get("PATH", "")])


def bench_env(path: str) -> dict[str, str]:
    """os.environ without SCRUBBED_ENV, plus the git identity, no colour and ``path``."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(GIT_ENV)
    env.update(PATH=path, PREK_COLOR="never", NO_COLOR="1")
    # No download but from the package registries: never a Python build from GitHub
    # (uv would try when it found no interpreter); prek gets uv from pip if it needs one.
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    env.setdefault("PREK_UV_SOURCE", "pip")
    return env


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


class Generator:
    """Deterministic, plausible file contents; a few files carry what the hooks look for.

    With ``defects=False`` it draws the same random numbers but leaves every defect out:
    the same files, clean.  Subclasses set the defects' odds and add their file kinds.
    """

    TRAILING_WHITESPACE = 0.08  # odds of a file with trailing blanks
    # one draw for the end of a file: below the first, no final newline; below the
    # second, extra blank lines
    END_DEFECTS = (0.04, 0.07)

    def __init__(self, rng: Random, stats: RepoStats, defects: bool = True) -> None:
        self.rng = rng
        self.stats = stats
        self.defects = defects

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

    def function(
        self,
        indent: str,
        method: bool,
        quote: str = "'",
        *,
        long_signature: str = "wrap",
        shadowing: bool = True,
    ) -> list[str]:
        """A function of a module or class, with a docstring, loops and comments.

        ``quote`` quotes its string literals; a signature over 100 characters is wrapped
        one parameter a line (``"wrap"``) or loses parameters until it fits (``"drop"``);
        ``shadowing=False`` keeps loop variables from shadowing a parameter (PLR1704).
        """
        rng = self.rng
        fname = f"{rng.choice(VERBS)}_{self.name()}"
        params = list(dict.fromkeys(self.name() for _ in range(rng.randint(0, 3))))
        parts = (["self"] if method else []) + [f"{p}: int = 0" for p in params]
        body = indent + "    "

        def signature() -> str:
            return f"{indent}def {fname}({', '.join(parts)}) -> dict[str, int]:"

        if long_signature == "drop":
            while len(signature()) > 100:
                parts.pop()
        sig = signature()
        if long_signature == "wrap" and len(sig) > 99:
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
            key = f"{quote}{self.name()}{quote}"
            var = self.name()
            while not shadowing and var in params:
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
                words = ", ".join(f"{quote}{w}{quote}" for w in rng.sample(WORDS, 3))
                out.append(f"{body}{var} = [len(w) for w in ({words})]")
                out.append(f"{body}result[{key}] = sum({var})")
            elif choice < 0.9:
                out.append(f"{body}# {self.sentence(rng.randint(5, 10))}")
                out.append(f"{body}result[{key}] = {rng.randint(0, 99)} * len(result)")
            else:
                out.append(f"{body}# TODO(#{rng.randint(100, 9999)}): {self.sentence(5)}")
        out.append(f"{body}return result")
        return out

    def prose_lines(self, suffix: str) -> list[str]:
        """A page of Markdown (.md), reST (.rst) or text, wrapped at 79 columns."""
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
            line = ""
            for word in paragraph.split():
                if len(line) + len(word) + 1 > 79:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            lines += [line, ""]
        return lines[:-1]

    def prose(self, suffix: str) -> str:
        return self.finish(self.prose_lines(suffix))

    def more_defects(self, lines: list[str]) -> None:
        """A subclass's own defects, drawn after the trailing blanks (none here)."""

    def finish(self, lines: list[str]) -> str:
        """Sprinkle the defects the two fixers fix (trailing blanks, the end of file)."""
        rng = self.rng
        if rng.random() < self.TRAILING_WHITESPACE:
            self.stats.trailing_whitespace_files += self.defects
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(lines))
                if lines[i] and len(lines[i]) < 90:
                    blank = rng.choice([" ", "  ", "\t", "    "])
                    if self.defects:
                        lines[i] += blank
        self.more_defects(lines)
        text = "\n".join(lines)
        end = rng.random()
        no_newline, extra_newlines = self.END_DEFECTS
        if end < extra_newlines and self.defects:
            self.stats.end_of_file_files += 1
            return text if end < no_newline else text + "\n\n\n"
        return text + "\n"


def source_layout(rng: Random) -> tuple[list[str], list[str], dict[str, str]]:
    """Nested package directories under src/app, doc directories, and the packages'
    ``__init__.py`` files: (module dirs, doc dirs, {path: text})."""
    packages = [f"src/app/{rng.choice(WORDS)}_{i}" for i in range(12)]
    dirs: list[str] = []
    for pkg in packages:
        for j in range(rng.randint(2, 5)):
            sub = f"{pkg}/{rng.choice(WORDS)}_{j}"
            dirs += [sub] + [f"{sub}/{rng.choice(WORDS)}_{k}" for k in range(rng.randint(0, 3))]
    doc_dirs = [f"docs/{w}" for w in rng.sample(WORDS, 6)]
    doc_dirs += [f"{d}/{rng.choice(WORDS)}" for d in doc_dirs]
    package_dirs = {"src/app"}
    for d in dirs:
        parts = d.split("/")
        package_dirs.update("/".join(parts[:i]) for i in range(3, len(parts) + 1))
    inits = {f"{d}/__init__.py": '"""Package."""\n' for d in sorted(package_dirs)}
    return dirs, doc_dirs, inits


def write_files(
    root: Path, files: Mapping[str, str], stats: RepoStats, executable: Iterable[str] = ()
) -> None:
    """Write every file (executable ones mode 755) and count them in stats."""
    executable = set(executable)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if path in executable:
            target.chmod(0o755)
        stats.files += 1
        stats.bytes += len(text.encode())
        stats.lines += text.count("\n")
        suffix = Path(path).suffix
        stats.by_suffix[suffix] = stats.by_suffix.get(suffix, 0) + 1


# --------------------------------------------------------------------------- work trees


def reset(repo: Path, ignored: bool = False, keep: Sequence[str] = ()) -> None:
    """Back to the commit: ``git reset -q && git checkout -- . && git clean -fdq`` (the
    index too: a staged edit goes); ``ignored`` adds -x (.ruff_cache, .pytest_cache go
    too), but for the names in ``keep``."""
    git(repo, "reset", "-q")
    git(repo, "checkout", "--", ".")
    flags = "-fdxq" if ignored else "-fdq"
    git(repo, "clean", flags, *(f"--exclude={name}" for name in keep))


def tree_files(repo: Path, exclude_ignored: bool = False) -> dict[str, str]:
    """Tracked and untracked files (``exclude_ignored``: not the ignored ones):
    path -> exec bit and sha256 of the contents."""
    args = ["ls-files", "-z", "--cached", "--others"]
    out = git(repo, *args, *(["--exclude-standard"] if exclude_ignored else []))
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


@dataclass
class Reference:
    """The reference run's final tree, with the contents of the files it changed."""

    files: dict[str, str]
    changed: dict[str, bytes]

    @classmethod
    def capture(cls, repo: Path, files: dict[str, str], exclude_ignored: bool = False) -> Reference:
        args = ["ls-files", "-z", "--modified", "--others"]
        out = git(repo, *args, *(["--exclude-standard"] if exclude_ignored else []))
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


# --------------------------------------------------------------------------- timing


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
class Measured:
    seconds: float  # wall clock, from process start to exit
    cpu_seconds: float  # user + system of the command and every process it waited for
    other_cpu_seconds: float | None  # CPU that other processes on the machine used meanwhile
    returncode: int
    output: str  # stdout and stderr


def measure(argv: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float) -> Measured:
    own_before, busy_before = own_cpu_seconds(), busy_cpu_seconds()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=timeout,
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
    return Measured(seconds, cpu, other, done.returncode, output)


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the tool and every process it waited for
    exit_code: int
    tree: str
    hooks: dict[str, str]  # hook id -> passed / failed / skipped / error
    files: dict[str, str] = field(repr=False, compare=False)
    other_cpu_seconds: float | None = None  # CPU that other processes used meanwhile
    diffs: list[str] = field(default_factory=list)  # vs the reference, when trees differ

    def json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "exit_code": self.exit_code,
            "tree": self.tree,
            "hooks": self.hooks,
            "other_cpu_seconds": None
            if self.other_cpu_seconds is None
            else round(self.other_cpu_seconds, 3),
            "diffs_vs_reference": self.diffs,
        }


@dataclass
class Row:
    """One tool's runs (of one scenario): an untimed warm-up and the timed runs."""

    tool: Any
    runs: list[Any] = field(default_factory=list)
    warmup: Any = None

    @property
    def median(self) -> float:
        return float(statistics.median(r.seconds for r in self.runs))

    @property
    def best(self) -> float:
        return float(min(r.seconds for r in self.runs))

    @property
    def cpu(self) -> float:
        return float(statistics.median(r.cpu_seconds for r in self.runs))

    @property
    def all_runs(self) -> list[tuple[str, Any]]:
        """The warm-up and the timed runs, named: all of them count for the checks."""
        named = [(f"run {i}", r) for i, r in enumerate(self.runs, start=1)]
        return ([("warm-up", self.warmup)] if self.warmup else []) + named


def other_cpu_share(runs: Iterable[Run]) -> float:
    """How many CPUs other processes kept busy on average during these runs."""
    runs = list(runs)
    seconds = sum(r.seconds for r in runs)
    return sum(r.other_cpu_seconds or 0.0 for r in runs) / seconds if seconds else 0.0


# --------------------------------------------------------------------------- verdicts

STATUS_LINE = re.compile(  # pre-commit's lines; prek may prefix them with a box drawing
    r"^\s*[\u250c\u2502\u2514]?\s*(?P<name>\S.*?)\.{2,}"
    r"(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)\s*$"
)
PYTEST_LINE = re.compile(  # -rp/-rf lines; "PASSED (cached)", "PASSED (12 files cached)"
    r"^(?P<status>PASSED|FAILED|MODIFIED|ERROR|SKIPPED)(?P<cached>\s+\((?:\d+ files )?cached\))?"
    r"\s+(?:\[\d+\]\s+)?\S*?::(?P<id>[\w.-]+)"
)
PYTEST_SKIP_LINE = re.compile(  # -rs: "SKIPPED [1] .pre-commit-config.yaml:12: reason"
    r"^SKIPPED\s+\[\d+\]\s+\S*?" + re.escape(CONFIG) + r":(?P<line>\d+):\s*(?P<reason>.*)$"
)


@dataclass
class Verdicts:
    hooks: dict[str, str]  # hook id -> passed / failed / skipped / error, in pre-commit's words
    unsupported: list[str]  # pytest-hookrun: skipped as "not supported"
    cached: list[str]  # pytest-hookrun: passed on every file without running (cached)


def parse_statuses(
    kind: str, output: str, names: Mapping[str, str], id_lines: Mapping[int, str] | None = None
) -> Verdicts:
    """Each hook's verdict from a tool's output: ``kind`` "status-lines" (pre-commit's and
    prek's lines, matched by hook name: ``names`` maps name -> id) or "pytest"
    (``-rfEsp`` summary lines; a skip line is matched to its hook by the config line of
    its ``- id:``, ``id_lines``)."""
    found: dict[str, str] = {}
    unsupported: list[str] = []
    cached: list[str] = []
    for line in output.splitlines():
        if kind == "pytest":
            m = PYTEST_LINE.match(line)
            if m:  # pre-commit's words: a hook that modified files has failed
                status = m["status"].lower()
                found[m["id"]] = "failed" if status == "modified" else status
                if m["cached"] and "files" not in m["cached"]:
                    cached.append(m["id"])
                continue
            m = PYTEST_SKIP_LINE.match(line)
            if m and id_lines and int(m["line"]) in id_lines:
                hook_id = id_lines[int(m["line"])]
                found[hook_id] = "skipped"
                if "not supported" in m["reason"]:
                    unsupported.append(hook_id)
        else:
            m = STATUS_LINE.match(line)
            if m and m["name"] in names:
                found[names[m["name"]]] = m["status"].lower()
    return Verdicts(found, unsupported, cached)


def compare_run(
    label: str, run: Run, ref: Run, ref_label: str, hook_ids: Iterable[str], output_tail: str = ""
) -> list[str]:
    """How a run differs from the reference run: the tree (which files, with diffs),
    pass/fail, hooks without a verdict, and each hook's verdict."""
    problems: list[str] = []
    if run.tree != ref.tree:
        changed = sorted(
            k for k in ref.files.keys() | run.files.keys() if ref.files.get(k) != run.files.get(k)
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
            f"{label}: exit code {run.exit_code}, {ref_label}: {ref.exit_code} (pass/fail differs)"
        )
    missing = sorted(set(hook_ids) - run.hooks.keys())
    if missing:
        tail = "".join("\n      " + x for x in output_tail.splitlines())
        problems.append(
            f"{label}: no verdict found for {', '.join(missing)}"
            + (f"; output ends:{tail}" if tail else "")
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


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "-"


def markdown_table(header: Sequence[str], body: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """A Markdown table padded to its columns: the ``numeric`` ones right-aligned."""
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


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def tool_version(argv: Sequence[str]) -> str:
    """``--version``'s first line without the tool's name: "pre-commit 4.7.0" -> "4.7.0"."""
    done = subprocess.run([*argv, "--version"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return "?"
    line = (done.stdout or done.stderr).strip().splitlines()[0]
    name = Path(argv[0]).name
    return line[len(name) :].strip() if line.startswith(name + " ") else line


def hookrun_version() -> str:
    """The installed version; for a source checkout also its commit, "+dirty" when the
    package's files have uncommitted changes (what an editable install runs)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pytest-hookrun")
    except PackageNotFoundError:
        return "?"
    package = hookrun_package_dir()
    if package is None:
        return found
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


def hookrun_package_dir() -> Path | None:
    """Where the installed pytest_hookrun package is (found, not imported)."""
    from importlib.util import find_spec

    spec = find_spec("pytest_hookrun")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).resolve().parent


def json_header(versions: Mapping[str, str], runs: int, seed: int) -> dict[str, Any]:
    """The first keys of a benchmark's JSON: when, where, which versions, how many runs."""
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "versions": dict(versions),
        "runs": runs,
        "seed": seed,
    }


def finish_tmp(tmp: Path, keep: bool, log: Any) -> None:
    """Keep the benchmark's temporary directory (say where) or delete it."""
    if keep:
        log(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
