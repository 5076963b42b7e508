"""Which files each hook gets: git listing, pre-commit's filters, identify types, batches."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from identify.identify import tags_from_path

from .config import Config, Hook


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


def filter_by_include_exclude(names: Iterable[str], include: str, exclude: str) -> list[str]:
    include_re, exclude_re = re.compile(include), re.compile(exclude)
    return [n for n in names if include_re.search(n) and not exclude_re.search(n)]


class Classifier:
    """pre-commit's classifier: top-level filters once, then per-hook regexes and types."""

    def __init__(self, root: Path, names: Iterable[str], config: Config) -> None:
        self.root = root
        existing = [n for n in names if os.path.lexists(root / n)]
        self.filenames = filter_by_include_exclude(existing, config.files, config.exclude)

    @functools.cache  # noqa: B019 (one classifier per run)
    def tags(self, name: str) -> frozenset[str]:
        return frozenset(tags_from_path(str(self.root / name)))

    def by_types(
        self,
        names: Iterable[str],
        types: Iterable[str],
        types_or: Iterable[str],
        exclude_types: Iterable[str],
    ) -> list[str]:
        want, any_of, unwanted = frozenset(types), frozenset(types_or), frozenset(exclude_types)
        out = []
        for name in names:
            tags = self.tags(name)
            if tags >= want and (not any_of or tags & any_of) and not tags & unwanted:
                out.append(name)
        return out

    def for_hook(self, hook: Hook) -> list[str]:
        names = filter_by_include_exclude(self.filenames, hook.files, hook.exclude)
        return self.by_types(names, hook.types, hook.types_or, hook.exclude_types)


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
    return sum(len(a.encode(sys.getfilesystemencoding(), "surrogateescape")) + 1 for a in args)


@dataclass(frozen=True)
class Batch:
    argv: tuple[str, ...]
    files: tuple[str, ...]


def batches(
    command: Sequence[str],
    files: Sequence[str],
    *,
    parts: int = 1,
    max_length: int | None = None,
) -> list[Batch]:
    """Split ``files`` over commands, as pre-commit's xargs does.

    ``parts`` is the number of batches to aim for (the job budget; 1 for
    ``require_serial``); each command line also stays under the OS limit.
    """
    limit = max_command_length() if max_length is None else max_length
    base = _length(command)
    if not files:
        return [Batch(tuple(command), ())]
    if base + max((_length([f]) for f in files), default=0) > limit:
        raise ArgumentTooLong(f"a file name is too long for one command line: {command[0]}")
    chunk = max(1, -(-len(files) // max(parts, 1)))
    out: list[Batch] = []
    current: list[str] = []
    size = base
    for name in files:
        extra = _length([name])
        if current and (size + extra > limit or len(current) >= chunk):
            out.append(Batch((*command, *current), tuple(current)))
            current, size = [], base
        current.append(name)
        size += extra
    out.append(Batch((*command, *current), tuple(current)))
    return out


class ArgumentTooLong(Exception):
    pass
