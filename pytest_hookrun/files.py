"""Which files each hook gets: git listing, pre-commit's filters, identify types, batches."""

from __future__ import annotations

import itertools
import os
import random
import re
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from identify.identify import tags_from_path

from .config import Config, Hook
from .tagcache import TagCache


class GitError(Exception):
    """A git command failed; the message names the command and git's own words."""


def git(root: Path, *args: str) -> bytes:
    """Run git in ``root`` and return stdout; stdin is closed, errors become GitError."""
    try:
        proc = subprocess.run(
            ("git", *args),
            cwd=root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (not found on PATH)") from None
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(
            f"`git {' '.join(args)}` failed: {message[-1] if message else proc.returncode}"
        )
    return proc.stdout


def _zsplit(out: bytes) -> list[str]:
    return [name for name in os.fsdecode(out).split("\0") if name]


def repo_root(start: Path) -> Path:
    out = git(start, "rev-parse", "--show-toplevel")
    return Path(os.fsdecode(out).strip())


def repo_dirs(start: Path) -> tuple[Path, Path | None]:
    """The work tree's top and, from the same git call, its git directory (None when a
    newline in a path makes the answer ambiguous: ask for it alone then)."""
    lines = os.fsdecode(git(start, "rev-parse", "--show-toplevel", "--absolute-git-dir"))
    parts = lines.split("\n")
    if len(parts) == 3 and parts[2] == "":
        return Path(parts[0]), Path(parts[1])
    return repo_root(start), None


def tracked_files(root: Path) -> list[str]:
    """Every tracked file (pre-commit's ``--all-files``)."""
    return _zsplit(git(root, "ls-files", "-z", "--"))


def untracked_files(root: Path) -> list[str]:
    """Files git does not track and does not ignore."""
    return _zsplit(git(root, "ls-files", "-z", "--others", "--exclude-standard"))


def staged_files(root: Path) -> list[str]:
    return _zsplit(
        git(
            root, "diff", "--staged", "--name-only", "--no-ext-diff", "-z", "--diff-filter=ACMRTUXB"
        )
    )


def changed_files(root: Path, from_ref: str, to_ref: str) -> list[str]:
    """Files changed between two refs, as pre-commit's ``--from-ref/--to-ref``."""
    try:
        out = git(root, "diff", "--name-only", "--no-ext-diff", "-z", f"{from_ref}...{to_ref}")
    except GitError:
        # no merge base (unrelated histories): fall back to a plain two-dot diff
        out = git(root, "diff", "--name-only", "--no-ext-diff", "-z", f"{from_ref}..{to_ref}")
    return _zsplit(out)


def given_files(root: Path, paths: Iterable[str], cwd: Path) -> list[str]:
    """``--hooks-files``: paths as the user typed them, made relative to the repo root."""
    out = []
    for name in paths:
        full = (cwd / name).resolve() if not os.path.isabs(name) else Path(name).resolve()
        try:
            out.append(full.relative_to(root.resolve()).as_posix())
        except ValueError:
            out.append(name)  # outside the repo: kept, and dropped later if missing
    return out


def _matches_nothing(pattern: str) -> bool:
    """True for the default exclude ``^$``, which only the names "" and "\\n" match."""
    return pattern == "^$"


def filter_by_include_exclude(names: Iterable[str], include: str, exclude: str) -> list[str]:
    """pre-commit's filter; the default patterns ("" and "^$") skip the regex."""
    out = list(names)
    if include:  # "" matches every name
        out = list(filter(re.compile(include).search, out))
    if not _matches_nothing(exclude):
        out = list(itertools.filterfalse(re.compile(exclude).search, out))
    elif "" in out or "\n" in out:
        out = [n for n in out if n not in ("", "\n")]
    return out


def _plain(name: str) -> bool:
    """``name`` joins to the root by concatenation exactly as pathlib would join it."""
    padded = f"/{name}/"
    return "//" not in padded and "/./" not in padded


class Classifier:
    """pre-commit's classifier: top-level filters once, then per-hook regexes and types.

    Built for 50,000 files: one lstat per listed file (strings, no Path objects),
    identify's answers from ``tags`` (a TagCache) while a file's stat is unchanged,
    and type filters decided once per distinct tag set rather than once per file.
    Give ``tags`` only with the whole listing: the cache forgets files not in it.
    """

    def __init__(
        self,
        root: Path,
        names: Iterable[str],
        config: Config,
        *,
        tags: TagCache | None = None,
    ) -> None:
        self.root = root
        base = str(root)
        prefix = base if base.endswith(os.sep) else base + os.sep
        self._cache = tags
        self._now = time.time_ns()
        self._paths: dict[str, str] = {}  # name -> the path identify gets
        self._tags: dict[str, frozenset[str]] = {}
        self._interned: dict[frozenset[str], frozenset[str]] = {}
        self._memo: dict[tuple[object, ...], list[str]] = {}
        lstat, paths = os.lstat, self._paths
        existing, stats = [], []
        for name in filter_by_include_exclude(names, config.files, config.exclude):
            path = prefix + name if _plain(name) else str(root / name)
            try:
                st = lstat(path)
            except (OSError, ValueError):  # as os.path.lexists
                continue
            existing.append(name)
            stats.append(st)
            paths[name] = path
        self.filenames = existing
        # keys for identify's answers, and the content cache's first look at each file
        self.stats = dict(zip(existing, stats, strict=True))
        if tags is not None:
            tags.listing(set(existing))
            for known in tags.sets:
                self._interned.setdefault(known, known)
            self._tags.update(tags.lookup(existing, stats))

    def tags(self, name: str) -> frozenset[str]:
        found = self._tags.get(name)
        if found is None:
            found = self._tags[name] = self._identify(name)
        return found

    def _identify(self, name: str) -> frozenset[str]:
        path = self._paths.get(name) or str(self.root / name)
        tags = frozenset(tags_from_path(path))
        st = self.stats.get(name)
        if self._cache is not None and st is not None:
            self._cache.put(name, st, tags, self._now)
        # one object per distinct set: by_types decides each set once
        return self._interned.setdefault(tags, tags)

    def by_types(
        self,
        names: Iterable[str],
        types: Iterable[str],
        types_or: Iterable[str],
        exclude_types: Iterable[str],
    ) -> list[str]:
        want, any_of, unwanted = frozenset(types), frozenset(types_or), frozenset(exclude_types)
        names = names if isinstance(names, list) else list(names)
        known = self._tags
        for name in list(itertools.filterfalse(known.__contains__, names)):
            known[name] = self._identify(name)
        # every tag set is interned: decide each once, then pick the names in C loops
        verdicts = {
            tags: bool(tags >= want and (not any_of or tags & any_of) and not tags & unwanted)
            for tags in self._interned
        }
        return list(
            itertools.compress(names, map(verdicts.__getitem__, map(known.__getitem__, names)))
        )

    def for_hook(self, hook: Hook) -> list[str]:
        """The hook's files; hooks with the same filters share one computation."""
        key = (hook.files, hook.exclude, hook.types, hook.types_or, hook.exclude_types)
        found = self._memo.get(key)
        if found is None:
            names = self._filtered(hook.files, hook.exclude)
            types, types_or, exclude_types = hook.types, hook.types_or, hook.exclude_types
            found = self._memo[key] = self.by_types(names, types, types_or, exclude_types)
        return list(found)

    def _filtered(self, include: str, exclude: str) -> list[str]:
        key = ("re", include, exclude)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = filter_by_include_exclude(self.filenames, include, exclude)
        return found


# --------------------------------------------------------------------------- batches


def _environ_size(env: Mapping[str, str] | None = None) -> int:
    environ = os.environ if env is None else env
    return sum(len(k) + len(v) + 2 + 8 for k, v in environ.items())


def max_command_length() -> int:
    """The OS limit for one command line, with pre-commit's headroom."""
    if os.name == "posix":
        limit = os.sysconf("SC_ARG_MAX") - 2048 - _environ_size()
        return max(min(limit, 2**17), 2**12)
    return 2**15 - 2048  # pragma: no cover (windows)


def _length(args: Sequence[str]) -> int:
    """Bytes of ``args`` on a command line (each NUL-terminated)."""
    return sum(len(os.fsencode(a)) + 1 for a in args)


@dataclass(frozen=True)
class Batch:
    argv: tuple[str, ...]
    files: tuple[str, ...]
    helper: bool = False  # a hook's fast path on these files in the run's helper process


# pre-commit's seed for the order in which a hook that may run in parallel gets its files
_SHUFFLE_SEED = 1542676187


def shuffled(files: Sequence[str]) -> list[str]:
    """``files`` in pre-commit's deterministic shuffle (``lang_base._shuffled``), which it
    applies to every hook that is not ``require_serial``: the batches then mix the
    repository's directories and file kinds, so they take about the same time, and a
    hook sees its files in the order pre-commit gives them."""
    out = list(files)
    rng = random.Random()
    rng.seed(_SHUFFLE_SEED, version=1)
    rng.shuffle(out)
    return out


def batches(
    command: Sequence[str],
    files: Sequence[str],
    *,
    parts: int = 1,
    max_length: int | None = None,
) -> list[Batch]:
    """Split ``files`` over commands, as pre-commit's xargs does.

    ``parts`` is the number of batches to aim for (the job budget; 1 for
    ``require_serial``), with at least 4 files in each (as pre-commit: a process per
    file or two costs more than it gains); each command line also stays under the OS
    limit.
    """
    limit = max_command_length() if max_length is None else max_length
    base = _length(command)
    if not files:
        return [Batch(tuple(command), ())]
    lengths = [len(os.fsencode(name)) + 1 for name in files]  # as _length, once each
    if base + max(lengths) > limit:
        raise ArgumentTooLong(f"a file name is too long for one command line: {command[0]}")
    chunk = max(4, -(-len(files) // max(parts, 1)))
    out: list[Batch] = []
    current: list[str] = []
    size = base
    for name, extra in zip(files, lengths, strict=True):
        if current and (size + extra > limit or len(current) >= chunk):
            out.append(Batch((*command, *current), tuple(current)))
            current, size = [], base
        current.append(name)
        size += extra
    out.append(Batch((*command, *current), tuple(current)))
    return out


class ArgumentTooLong(Exception):
    pass
